#!/bin/sh
# Participants (credit line, under-16 mark, counts) and consent: scopes,
# guardian consent required for poster/public under 16, end dates, and
# `list --consent poster` showing exactly what a poster may use today.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
add_entry f1 "Title: Fenna een
Caption: Een.
Consent: poster
Guardian-Consent: yes
Credit: Fenna (uit het bestand)" fenna
add_entry f2 "Title: Fenna twee
Caption: Twee.
Consent: public" fenna
add_entry s1 "Title: Sem een
Caption: Een.
Consent: poster
Consent-Until: 2001-01-01" sem
add_entry s2 "Title: Sem twee
Caption: Twee.
Consent: internal" sem
add_entry n1 "Title: Zonder map
Caption: Los.
Consent: public"
ingest_all
f1=$(id_of "Fenna een"); f2=$(id_of "Fenna twee"); s1=$(id_of "Sem een"); s2=$(id_of "Sem twee"); n1=$(id_of "Zonder map")
poster_ids() { pv list --consent poster --json | python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(sys.stdin)["entries"]))'; }

check_eq "before any under-16 mark: poster list is every unexpired poster/public entry" "$f1 $f2 $n1" "$(poster_ids)"
pv participants --json >"$TMP/p.json"
check "participants --json is valid JSON" python3 -m json.tool "$TMP/p.json"
check_eq "participants --json shape" "count participants|code credit under16 entries poster_today" \
	"$(json_get "$TMP/p.json" '" ".join(d.keys()) + "|" + " ".join(d["participants"][0].keys())')"
check_eq "participants with their counts" "fenna:2:2,sem:2:0" \
	"$(json_get "$TMP/p.json" '",".join("%s:%d:%d" % (p["code"], p["entries"], p["poster_today"]) for p in d["participants"])')"

# the credit line a participant chooses wins over a sidecar's
check "participants set --credit" pv participants set fenna --credit "Foto: Fenna, 15"
check_eq "every entry of fenna carries the chosen credit" "Foto: Fenna, 15|Foto: Fenna, 15" \
	"$(pv show --json "$f1" >"$TMP/a.json"; pv show --json "$f2" >"$TMP/b.json"; echo "$(json_get "$TMP/a.json" 'd["credit"]')|$(json_get "$TMP/b.json" 'd["credit"]')")"
check "credit anoniem" pv participants set sem --credit anoniem
check_eq "sem's credit" "anoniem" "$(pv show --json "$s2" >"$TMP/a.json"; json_get "$TMP/a.json" 'd["credit"]')"

# under 16: poster/public needs the guardian's yes
run "$TMP/out" "$TMP/err" pv participants set fenna --under16 yes
check_eq "marking under 16 exits 0" 0 "$rc"
check_grep "and says which entries now count as internal" '1 of their entries has poster or public consent without' "$TMP/out"
check_eq "the entry without guardian consent drops off the poster list" "$f1 $n1" "$(poster_ids)"
pv show --json "$f2" >"$TMP/f2.json"
check_eq "show says why: stated public, counts as internal, limit guardian" "public internal guardian True" \
	"$(json_get "$TMP/f2.json" '" ".join(str(x) for x in (d["consent"], d["effective_consent"], d["consent_limit"], d["under16"]))')"
pv list >"$TMP/list.txt"
check_grep "list marks it" "^$f2 +internal\\*" "$TMP/list.txt"
check_grep "and explains the mark" 'under 16 without guardian consent' "$TMP/list.txt"
run "$TMP/out" "$TMP/err" pv consent "$f2" poster
check_eq "poster consent for an under-16 entry without guardian yes is refused" 1 "$rc"
check_grep "with a sentence saying what is needed" 'guardian yes' "$TMP/err"
run "$TMP/out" "$TMP/err" pv consent "$f2" public --guardian no
check_eq "also with guardian no" 1 "$rc"
check "with guardian yes it is taken" pv consent "$f2" public --guardian yes
check_eq "now it is on the poster list" "$f1 $f2 $n1" "$(poster_ids)"
check "internal needs no guardian" pv consent "$f2" internal
check_eq "guardian yes is kept when not given again" "1" "$(pv show --json "$f2" >"$TMP/a.json"; json_get "$TMP/a.json" 'int(d["guardian_consent"])')"

# end dates
check_eq "an ended consent is not on the poster list" "" "$(poster_ids | tr ' ' '\n' | grep -x "$s1")"
check "consent with an end date in the future" pv consent "$s1" poster --until 2999-12-31
check_eq "then it is" "$s1" "$(poster_ids | tr ' ' '\n' | grep -x "$s1")"
check "--until none clears the date" pv consent "$s1" poster --until none
check_eq "cleared" "None" "$(pv show --json "$s1" >"$TMP/a.json"; json_get "$TMP/a.json" 'd["consent_until"]')"
run "$TMP/out" "$TMP/err" pv consent "$s1" poster --until 2024-02-30
check_eq "a date that does not exist is refused" 1 "$rc"
run "$TMP/out" "$TMP/err" pv consent "$s1" poster --until 31-12-2024
check_eq "a date in another form is refused" 1 "$rc"
check_grep "saying the form" 'YYYY-MM-DD' "$TMP/err"

# list --consent variants
check_eq "--consent-is internal: exactly internal today" "$f2 $s2" "$(pv list --consent-is internal --json | python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(sys.stdin)["entries"]))')"
check_eq "--consent public: public only" "$n1" "$(pv list --consent public --json | python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(sys.stdin)["entries"]))')"
run "$TMP/out" "$TMP/err" pv list --consent maybe
check_eq "an unknown scope is a usage error" 2 "$rc"

# bad input
run "$TMP/out" "$TMP/err" pv consent 999 poster
check_eq "consent on a missing entry exits 1" 1 "$rc"
run "$TMP/out" "$TMP/err" pv consent "$s1" sometimes
check_eq "an unknown scope is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv consent "$s1" poster --guardian misschien
check_eq "--guardian takes yes or no" 2 "$rc"
run "$TMP/out" "$TMP/err" pv participants set "a/b" --credit x
check_eq "a code with a slash is refused" 1 "$rc"
run "$TMP/out" "$TMP/err" pv participants set fenna
check_eq "participants set without a change is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv participants set fenna --under16 soms
check_eq "--under16 takes yes or no" 2 "$rc"
check "a participant can be set up before their first photo" pv participants set nieuw --credit "Foto: N." --under16 no
check_grep "and is listed with no entries" '^nieuw +0 +0 +no +Foto: N\.' "$(pv participants >"$TMP/p.txt"; echo "$TMP/p.txt")"

# the log: consent and participant changes, without names or credit lines
pv log --json >"$TMP/log.json"
check "log --json is valid JSON" python3 -m json.tool "$TMP/log.json"
check_eq "consent changes are logged with their scope" "entry $f2: public, guardian yes, until no end date" \
	"$(json_get "$TMP/log.json" '[e["detail"] for e in d["events"] if e["action"] == "consent"][0]')"
check_nogrep "no credit line or participant code in the log" 'Fenna|fenna|anoniem|nieuw' "$TMP/log.json"

done_testing
