#!/bin/sh
# The drop folder's caption formats end to end: .json caption files, folder-wide
# _project files (defaults, precedence, the project name as a tag, kept for
# later drops), NFD/NFC file names, participants from folders, and bad caption
# files (UTF-16, broken JSON) set aside with their photo.
. "$(dirname "$0")/lib.sh"

new_archive
D="$A/drop"
S="$ROOT/sample-media/drop"
NFD_CAFE=$(printf 'cafe\314\201')      # "café" decomposed, as a Mac names it
NFC_CAFE=$(printf 'caf\303\251')

printf 'Project: Cli\303\253ntfeedback 2025\nTrefwoorden: feedback\nToestemming: intern\n' >"$D/_project.txt"
cp "$S/de-klik.jpg" "$D/de-klik.jpg"
cat >"$D/de-klik.json" <<'EOF'
{"titel": "De klik", "trefwoorden": ["klik", "luisteren"],
 "toestemming": "poster", "toestemming-ouder": true,
 "verhaal": "Twee bekers chocolademelk."}
EOF
mkdir -p "$D/kamp/fenna"
printf '{"project": "Zomerkamp", "toestemming": "poster"}\n' >"$D/kamp/_project.json"
cp "$S/fenna/IMG_2057.jpg" "$D/kamp/fenna/$NFD_CAFE.jpg"
printf 'Onderschrift: Mijn %s\n' "$NFD_CAFE" >"$D/kamp/fenna/$NFC_CAFE.txt"
cp "$S/fenna/IMG_2041.jpg" "$D/kamp/fenna/IMG_2041.jpg"
cp "$S/DSC_0087.jpg" "$D/utf16.jpg"
printf '\377\376O\000n\000d\000e\000r\000' >"$D/utf16.txt"
cp "$S/IMG_3310.jpg" "$D/kapot.jpg"
printf '{"titel": "geheime woorden"' >"$D/kapot.json"

run "$TMP/out" "$TMP/err" pv ingest
check_eq "ingest with two bad caption files exits 1" 1 "$rc"
pv list --json >"$TMP/list.json"

# field TITLE-OR-CAPTION KEY: one field of the entry with that title or caption
field() {
	python3 - "$TMP/list.json" "$1" "$2" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for e in doc["entries"]:
    if sys.argv[2] in (e["title"], e["caption"]):
        v = e[sys.argv[3]]
        print(",".join(v) if isinstance(v, list) else v)
        break
else:
    print("(no such entry)")
EOF
}
by_tag_count() { pv list --tag "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }

check_eq "three photos were taken" 3 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["count"])' "$TMP/list.json")"
check_eq "the .json caption file gives the consent" poster "$(field 'De klik' consent)"
check_eq "the .json caption file gives guardian consent as true" True "$(field 'De klik' guardian_consent)"
check_eq "the .json caption file gives the story" "Twee bekers chocolademelk." "$(field 'De klik' story)"
check_eq "tags add up: the caption file's, the project file's and the project name" \
	"$(printf 'cli\303\253ntfeedback-2025,feedback,klik,luisteren')" "$(field 'De klik' tags)"
check_eq "an NFD photo name finds its NFC caption file; the caption is stored NFC" \
	"fenna" "$(field "Mijn $NFC_CAFE" participant)"
check_eq "the nearer project file's consent wins over the outer one" poster "$(field "Mijn $NFC_CAFE" consent)"
check_eq "both project names become tags" 2 "$(by_tag_count zomerkamp)"
check_eq "the outer project's tag reaches every photo below it" 3 "$(by_tag_count feedback)"
check_eq "the participant is the folder below the project folder" 2 "$(pv list --participant fenna --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"

Q="$D/.quarantine"
for f in utf16.jpg utf16.txt kapot.jpg kapot.json; do
	if [ -e "$Q/$f" ] && [ -s "$Q/$f.reason.txt" ]; then ok "$f is in quarantine with its reason"; else fail "$f is in quarantine with its reason" "$(ls -laR "$D")"; fi
done
check_grep "the UTF-16 caption's reason says UTF-16" 'UTF-16' "$Q/utf16.jpg.reason.txt"
check_grep "the broken JSON's reason says JSON" 'not valid JSON' "$Q/kapot.jpg.reason.txt"
check_nogrep "the reason never quotes the caption file's words" 'geheime' "$Q/kapot.jpg.reason.txt"
check_nogrep "nor does stderr" 'geheime' "$TMP/err"
check "the project files stay in the drop folder" test -f "$D/_project.txt" -a -f "$D/kamp/_project.json"
left=$(find "$D" -path "$Q" -prune -o -type f -print | grep -v '/_project\.' | wc -l)
check_eq "nothing else is left in the drop folder" 0 "$left"

# a later drop into the same folder gets the same defaults; the project
# files are never quarantined as caption files without a photo
cp "$S/sem/DSC_0012.JPG" "$D/kamp/fenna/later.jpg"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "a later drop ingests with exit 0" 0 "$rc"
check_eq "and gets the project's tag" 3 "$(by_tag_count zomerkamp)"
check "the project files are still there" test -f "$D/_project.txt" -a -f "$D/kamp/_project.json"
check_eq "no project file went to quarantine" "" "$(find "$Q" -name '_project*')"

# a broken project file: its photos are set aside, the file itself stays
printf 'Titel: voor iedereen\n' >"$D/kamp/_project.json"
cp "$S/sem/DSC_0019.JPG" "$D/kamp/fenna/nog-een.jpg"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "a photo under a broken project file is not taken (exit 1)" 1 "$rc"
check_grep "its reason names the project file" 'kamp/_project.json' "$Q/kamp/fenna/nog-een.jpg.reason.txt"
check "the broken project file stays where it is" test -f "$D/kamp/_project.json"

done_testing
