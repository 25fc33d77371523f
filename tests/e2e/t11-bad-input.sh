#!/bin/sh
# Bad input end to end: each bad file gets a one-sentence reason and goes to
# quarantine with a .reason.txt; the good files beside it are ingested; the
# exit status is 1; nothing is lost.
. "$(dirname "$0")/lib.sh"

new_archive
D="$A/drop"
good=$(find "$ROOT/sample-media/drop" -iname '*.jpg' | head -n 1)
cp "$good" "$D/good.jpg"
printf 'Onderschrift: Een goede foto.\n' >"$D/good.txt"
: >"$D/empty.jpg"
printf 'Dit is geen foto, alleen tekst.\n' >"$D/tekst.jpg"
head -c 3000 "$good" >"$D/afgebroken.jpg"
cp "$good" "$D/vreemd.jpg"
printf 'Onderschrift: caf\351 zonder UTF-8\n' >"$D/vreemd.txt"
printf 'Onderschrift: ik heb geen foto\n' >"$D/eenzaam.txt"
printf '\211PNG\r\n\032\n....' >"$D/scherm.jpg"
ln -s /etc/passwd "$D/link.jpg"

run "$TMP/out" "$TMP/err" pv ingest
check_eq "ingest with bad files exits 1" 1 "$rc"
check_eq "the good photo is ingested" 1 "$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
check_grep "the good photo keeps its caption" '"caption": "Een goede foto."' "$(pv show 1 --json >"$TMP/show.json"; echo "$TMP/show.json")"

Q="$D/.quarantine"
for f in empty.jpg tekst.jpg afgebroken.jpg vreemd.jpg vreemd.txt eenzaam.txt scherm.jpg link.jpg; do
	if [ -e "$Q/$f" ] || [ -L "$Q/$f" ]; then ok "$f is in quarantine"; else fail "$f is in quarantine" "$(ls -la "$Q" "$D")"; fi
	if [ -s "$Q/$f.reason.txt" ]; then ok "$f has its reason"; else fail "$f has its reason"; fi
	check_grep "stderr names $f with a reason" "^photovoice: $f: [A-Z].*\.\$" "$TMP/err"
done
check_grep "the zero-byte file's reason says it is empty" 'empty' "$Q/empty.jpg.reason.txt"
check_grep "the text file's reason says what it is" 'text file' "$Q/tekst.jpg.reason.txt"
check_grep "the PNG's reason names the format found" 'PNG' "$Q/scherm.jpg.reason.txt"
check_grep "the truncated photo's reason says it is cut off" '(cut off|ends|truncated|incomplete)' "$Q/afgebroken.jpg.reason.txt"
check_grep "the bad caption's reason names UTF-8" 'UTF-8' "$Q/vreemd.jpg.reason.txt"
check_grep "the lonely caption's reason says there is no photo" 'no photo' "$Q/eenzaam.txt.reason.txt"
check_grep "the link's reason says links are never followed" 'link' "$Q/link.jpg.reason.txt"
check "the link still points where it did (never followed, never changed)" test "$(readlink "$Q/link.jpg")" = /etc/passwd
head -c 3000 "$good" >"$TMP/trunc"
check "the truncated file is kept byte for byte" cmp "$Q/afgebroken.jpg" "$TMP/trunc"
left=$(find "$D" -path "$Q" -prune -o -type f -print | wc -l)
check_eq "nothing is left in the drop folder, nothing lost" 0 "$left"

# ---- the rest of the bad-input matrix of issue 4 ------------------------------
new_archive
D="$A/drop"
Q="$D/.quarantine"
cp "$good" "$D/goed.jpg"
cp "$good" "$D/regel
breuk.jpg"
# a caption file in UTF-16 (as Windows Notepad may save it), its photo distinct
"$BUILD/mksample" --bench 3 --megapixels 0.1 "$TMP/b" >/dev/null
cp "$TMP/b/bench-00001.jpg" "$D/utf16.jpg"
printf '\377\376O\000n\000d\000e\000r\000s\000c\000h\000r\000i\000f\000t\000:\000 \000x\000\n\000' >"$D/utf16.txt"
# a decompression bomb: a real JPEG whose header declares 65535 x 65535 pixels
python3 - "$TMP/b/bench-00002.jpg" "$D/bom.jpg" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = 2
while i < len(d) - 9:
    m = d[i + 1]
    if m in (0xC0, 0xC1, 0xC2):
        d[i + 5:i + 9] = b"\xff\xff\xff\xff"
        break
    i += 2 + (d[i + 2] << 8 | d[i + 3])
open(sys.argv[2], "wb").write(d)
PY
# a truncated PNG screenshot
head -c 2000 "$ROOT/sample-media/drop/sem/groepsapp.png" >"$D/afgebroken.png"
# a HEIC whose codec no installed decoder reads: the image item's type 'hvc1'
# becomes 'vvc1', as a HEIC looks on a machine without an HEVC decoder plugin
heic="$ROOT/sample-media/drop/fenna/IMG_2102.heic"
if [ -f "$heic" ]; then
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"hvc1", b"vvc1"))' "$heic" "$D/geen-decoder.heic"
fi
# a file still being written: the writer keeps it open during the whole run
head -c 20000 "$good" >"$D/half.jpg"
exec 7>>"$D/half.jpg"
run "$TMP/out" "$TMP/err" pv ingest
exec 7>&-
check_eq "ingest beside the bad-input matrix exits 1" 1 "$rc"
check_eq "the good photo beside them is taken" 1 "$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
check "the photo named with a newline is in quarantine" test -f "$Q/regel
breuk.jpg"
check_grep "its reason says the name has a line break" 'line break' "$Q/regel
breuk.jpg.reason.txt"
check_grep "stderr shows its name on one line, the newline as ?" '^photovoice: regel\?breuk\.jpg: [A-Z].*\.$' "$TMP/err"
check "the photo with the UTF-16 caption is in quarantine" test -f "$Q/utf16.jpg"
check "and its caption file beside it" test -f "$Q/utf16.txt"
check_grep "the reason names UTF-16" 'UTF-16' "$Q/utf16.jpg.reason.txt"
check "the 65535 x 65535 photo is in quarantine" test -f "$Q/bom.jpg"
check_grep "its reason says the declared size is too large" '(size|pixels).*(larger|more than)' "$Q/bom.jpg.reason.txt"
check "the truncated PNG is in quarantine" test -f "$Q/afgebroken.png"
check_grep "its reason says it is a damaged or cut-off PNG" 'PNG.*(damaged|incomplete|cut off)|(damaged|incomplete|cut off).*PNG' "$Q/afgebroken.png.reason.txt"
if [ -f "$heic" ]; then
	check "the HEIC without a decoder is in quarantine" test -f "$Q/geen-decoder.heic"
	check_grep "its reason says no decoder is installed" 'cannot be decoded on this machine' "$Q/geen-decoder.heic.reason.txt"
	check "it is kept byte for byte" sh -c "python3 -c 'import sys; d = open(sys.argv[1], \"rb\").read(); sys.stdout.buffer.write(d.replace(b\"hvc1\", b\"vvc1\"))' '$heic' | cmp - '$Q/geen-decoder.heic'"
else
	skip "no sample HEIC (no HEVC encoder where the samples were made)"
fi
check "the file being written is left in the drop folder" test -f "$D/half.jpg"
check_eq "and not in quarantine" "" "$(ls "$Q"/half.jpg* 2>/dev/null)"
check_grep "stderr says it is still being written" '^photovoice: half.jpg: .*still being written' "$TMP/err"
check_eq "it is untouched" 20000 "$(wc -c <"$D/half.jpg")"
cp "$TMP/b/bench-00003.jpg" "$D/half.jpg"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "once written and closed, the next run exits 0" 0 "$rc"
check_grep "and takes it" '^entry +2 +half.jpg' "$TMP/out"

# a second ingest while one runs waits its turn a moment (PV_LOCK_TURN_MS,
# 5 s), then is refused with a sentence, and exits 3
if command -v flock >/dev/null 2>&1; then
	flock "$A/lock" sleep 7 &
	sleep 0.5
	run "$TMP/out" "$TMP/err" pv ingest
	check_eq "a second ingest while one runs exits 3" 3 "$rc"
	check_grep "and says another command is running" 'Another photovoice command' "$TMP/err"
	wait
	# held for a moment only (serve's ingest of a batch): it waits its turn
	flock "$A/lock" sleep 1 &
	sleep 0.3
	run "$TMP/out" "$TMP/err" pv ingest
	check_eq "an ingest while another holds the archive a moment waits its turn" 0 "$rc"
	check_nogrep "and does not say it is locked" 'Another photovoice command' "$TMP/err"
	wait
else
	skip "flock(1) is not installed"
fi

# usage and archive errors
run "$TMP/out" "$TMP/err" pv --archive "$TMP/nowhere" list
check_eq "a missing archive exits 3" 3 "$rc"
check_grep "and says how to create one" 'init' "$TMP/err"
run "$TMP/out" "$TMP/err" pv frobnicate
check_eq "an unknown command exits 2" 2 "$rc"
run "$TMP/out" "$TMP/err" pv list --bogus
check_eq "an unknown option exits 2" 2 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --tag klik
check_eq "bundle without -o exits 2" 2 "$rc"
run "$TMP/out" "$TMP/err" pv scrub --jobs 0 -o "$TMP/clean" "$good"
check_eq "scrub --jobs 0 is a usage error" 2 "$rc"
check "--help works for the tool" pv --help
check "--help works for a command" pv ingest --help
check_grep "--version prints the version" '^photovoice [0-9]' "$(pv --version >"$TMP/v"; echo "$TMP/v")"

done_testing
