#!/bin/sh
# Personal links (photovoice invite): the link BASE/i/TOKEN alone on stdout,
# the base from PHOTOVOICE_BASE_URL, --json, --list and --revoke without ever
# showing a token again, a one-page A4 sheet with the QR code of the link, and
# the bad inputs: one sentence, the documented exit status, nothing written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"
unset PHOTOVOICE_BASE_URL

new_archive
TOKEN_RE='[A-Za-z0-9_-]{22}'
invitations() { pv invite --list --json >"$TMP/count.json" && json_get "$TMP/count.json" 'd["count"]'; }

# ---- a link -----------------------------------------------------------------------
run "$TMP/out" "$TMP/err" pv invite fenna
check_eq "invite fenna exits 0" 0 "$rc"
check_eq "stdout is one line" 1 "$(wc -l <"$TMP/out")"
check_grep "the link is BASE/i/TOKEN on the default base" "^http://127\\.0\\.0\\.1:8080/i/$TOKEN_RE\$" "$TMP/out"
check_grep "stderr says until when it works" "works until the end of [0-9]{4}-[0-9]{2}-[0-9]{2}" "$TMP/err"
link1=$(cat "$TMP/out"); token1=${link1##*/}
taken=$(pv invite fenna 2>/dev/null)
check_eq "a script takes the link with \$(...)" 1 "$(printf '%s\n' "$taken" | grep -cxE "http://127\.0\.0\.1:8080/i/$TOKEN_RE")"

PHOTOVOICE_BASE_URL=https://foto.example.nl/ pv invite sem >"$TMP/out" 2>/dev/null
check_grep "PHOTOVOICE_BASE_URL sets the base (without its trailing /)" "^https://foto\\.example\\.nl/i/$TOKEN_RE\$" "$TMP/out"
token2=$(sed 's|.*/||' "$TMP/out")
check_eq "two links differ" "" "$([ "$token1" = "$token2" ] && echo same)"

# ---- --json -------------------------------------------------------------------------
run "$TMP/j.json" "$TMP/err" pv invite noor --until 2099-12-31 --json
check_eq "invite --json exits 0" 0 "$rc"
check "invite --json is valid JSON" python3 -m json.tool "$TMP/j.json"
check_eq "invite --json shape" "id participant link valid_until sheet" "$(json_get "$TMP/j.json" '" ".join(d.keys())')"
check_eq "invite --json values" "noor 2099-12-31 None" \
	"$(json_get "$TMP/j.json" '" ".join(str(x) for x in (d["participant"], d["valid_until"], d["sheet"]))')"
token3=$(json_get "$TMP/j.json" 'd["link"].rsplit("/", 1)[1]')
noor=$(json_get "$TMP/j.json" 'd["id"]')

# ---- --list and --revoke ----------------------------------------------------------------
run "$TMP/list" "$TMP/err" pv invite --list
check_eq "invite --list exits 0" 0 "$rc"
check_grep "--list shows noor's invitation with its last day, working" "^ +$noor +noor +2099-12-31 +works\$" "$TMP/list"
check_eq "--list shows every invitation" 4 "$(grep -cE ' (works|expired|revoked)$' "$TMP/list")"
pv invite --list --json >"$TMP/list.json"
check_eq "--list --json shape" "count invitations|id participant created_at valid_until revoked_at state under16" \
	"$(json_get "$TMP/list.json" '" ".join(d.keys()) + "|" + " ".join(d["invitations"][0].keys())')"
pv log --json >"$TMP/log.json"
for t in "$token1" "$token2" "$token3" "${taken##*/}"; do
	check_nogrep "--list never shows a token" "$t" "$TMP/list"
	check_nogrep "--list --json never shows a token" "$t" "$TMP/list.json"
	check_nogrep "the log never holds a token" "$t" "$TMP/log.json"
	check_eq "no file of the archive holds a token" "" "$(grep -rl -- "$t" "$A" 2>/dev/null)"
done

run "$TMP/out" "$TMP/err" pv invite --revoke "$noor"
check_eq "--revoke exits 0" 0 "$rc"
check_grep "--revoke says so" "Invitation $noor revoked" "$TMP/out"
pv invite --list >"$TMP/list"
check_grep "--list shows it revoked" "^ +$noor +noor +2099-12-31 +revoked\$" "$TMP/list"
run "$TMP/out" "$TMP/err" pv invite --revoke "$noor"
check_eq "revoking it again is fine" 0 "$rc"
run "$TMP/out" "$TMP/err" pv invite --revoke 999
check_eq "--revoke of a missing invitation: exit 1" 1 "$rc"
check_eq "in one sentence" 1 "$(wc -l <"$TMP/err")"
check_grep "naming it" "no invitation 999" "$TMP/err"

# ---- the sheet --------------------------------------------------------------------------
run "$TMP/out" "$TMP/err" pv invite fenna --sheet "$TMP/fenna.pdf"
check_eq "invite --sheet exits 0" 0 "$rc"
check_grep "says where the sheet is" "fenna\\.pdf" "$TMP/err"
link=$(cat "$TMP/out")
pdfinfo "$TMP/fenna.pdf" >"$TMP/info" 2>&1
check_grep "the sheet is one page" "^Pages: +1\$" "$TMP/info"
check_grep "of A4" "^Page size: +595 x 842 pts" "$TMP/info"
pdftotext -layout "$TMP/fenna.pdf" "$TMP/sheet.txt"
check_grep "the sheet holds the link in letters" "$link" "$TMP/sheet.txt"
check_grep "the participant code" "Voor: fenna" "$TMP/sheet.txt"
check_grep "the last day" "Deze link werkt tot en met [0-9]+ [a-z]+ [0-9]{4}" "$TMP/sheet.txt"
check_grep "step 1 in Dutch" "Scan de code met de camera van je telefoon" "$TMP/sheet.txt"
check_grep "step 2" "Kies je foto en vertel erbij wat je ziet" "$TMP/sheet.txt"
check_grep "step 3" "druk op Versturen" "$TMP/sheet.txt"
if command -v zbarimg >/dev/null 2>&1; then
	pdftoppm -png -r 100 "$TMP/fenna.pdf" "$TMP/page"
	check_eq "the QR code on the sheet reads as the link" "$link" \
		"$(zbarimg -q --raw "$TMP"/page*.png 2>/dev/null | head -1)"
else
	skip "zbarimg is not installed: the QR code is not read back"
fi

# ---- bad input: one sentence, the exit status of its kind, nothing written ----------------
before=$(invitations)
# bad NAME STATUS LINES PATTERN ARGS...: invite ARGS exits STATUS, says LINES
# lines on stderr matching PATTERN, and writes no invitation
bad() {
	name=$1; status=$2; lines=$3; pattern=$4; shift 4
	run "$TMP/out" "$TMP/err" pv invite "$@"
	check_eq "$name: exit $status" "$status" "$rc"
	check_eq "$name: $lines line(s) on stderr" "$lines" "$(wc -l <"$TMP/err")"
	check_grep "$name: says why" "$pattern" "$TMP/err"
	check_eq "$name: nothing on stdout" "" "$(cat "$TMP/out")"
	check_eq "$name: no invitation written" "$before" "$(invitations)"
}
bad "no participant" 2 2 "Say whom the link is for"
bad "a bad date" 1 1 "not a date" fenna --until 2027-02-30
bad "a date in the past" 1 1 "has passed" fenna --until 2001-01-01
bad "a code with a /" 1 1 "participant code" a/b
bad "a hidden folder's name" 1 1 "cannot start with a dot" ..
bad "a sheet into a missing folder" 1 1 "does not exist" fenna --sheet "$TMP/nowhere/fenna.pdf"
check_eq "and no sheet" "" "$(ls "$TMP/nowhere" 2>/dev/null)"
bad "an unknown option" 2 2 "'--qr' is not an option of invite" fenna --qr
bad "--list with a participant" 2 2 "cannot be used with --list" fenna --list
bad "--revoke that is not a number" 2 2 "number of an invitation" --revoke abc
bad "two participants" 2 2 "'sem' is one too many" fenna sem
run "$TMP/out" "$TMP/err" pv --archive "$TMP/none" invite fenna
check_eq "a missing archive: exit 3" 3 "$rc"

done_testing
