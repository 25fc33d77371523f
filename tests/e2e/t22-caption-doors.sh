#!/bin/sh
# Which caption file belongs to which photo is decided in one place, so a
# drop folder's files and the same files inside a zip come out alike: the
# same entries with the same words, and as many files set aside (none lost).
# Each case is ingested loose, then (into a fresh archive) as one zip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

photos 20 "$TMP/p"
p() { printf '%s/p/bench-%05d.jpg' "$TMP" "$1"; }

# set_aside: the names of the files in the quarantine (reason files left
# out; a zip set aside whole stands for the files in it)
set_aside() {
	python3 - "$A/drop/.quarantine" <<'PY'
import os, sys, zipfile
names = []
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith(".reason.txt"):
            continue
        if f.endswith(".zip"):
            names += [os.path.basename(m) for m in zipfile.ZipFile(os.path.join(d, f)).namelist()]
        else:
            names.append(f)
print(" ".join(sorted(names)) or "none")
PY
}
# outcome: the entries, as "TITLE|CAPTION ..."
outcome() {
	pv list --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted("%s|%s" % (e["title"] or "-", e["caption"] or "-") for e in d["entries"])))'
}
# try NAME: the files of $TMP/case ingested loose, then zipped; the same?
try() {
	name=$1
	new_archive
	cp -r "$TMP/case/." "$A/drop/"
	pv ingest --json >"$TMP/loose.json" 2>/dev/null
	loose="$(outcome); set aside: $(set_aside)"
	new_archive
	(cd "$TMP/case" && python3 -c '
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for f in sorted(os.listdir(".")):
        z.write(f)' "$A/drop/inzending.zip")
	pv ingest --json >"$TMP/zip.json" 2>/dev/null
	zipped="$(outcome); set aside: $(set_aside)"
	check_eq "$name: loose and in a zip alike" "$loose" "$zipped"
	rm -rf "$TMP/case"
}
mk() { mkdir -p "$TMP/case"; }
words() { printf 'Titel: %s\nOnderschrift: %s\nToestemming: poster\n' "$2" "$3" >"$TMP/case/$1"; }

mk; cp "$(p 1)" "$TMP/case/foto.jpg"; words foto.txt Een "Van de txt"
printf '{"title": "Twee", "caption": "Van de json"}' >"$TMP/case/foto.json"
try "two caption files for one photo"
check_eq "two caption files: nothing entered (no guess)" "" "$(outcome)"

mk; cp "$(p 2)" "$TMP/case/foto.jpg"; words foto.txt Een "Van de txt"; words foto.md Twee "Van de md"
try "a .txt and a .md for one photo"

mk; cp "$(p 3)" "$TMP/case/a.jpg"; words a.txt Drie "Gewoon"
try "one photo, one caption file"
check_eq "one photo, one caption file: entered with its words" "Drie|Gewoon" "$(outcome)"

mk; cp "$(p 4)" "$TMP/case/Kamer.JPG"; words kamer.txt Vier "Hoofdletters"
try "names that differ in case"

mk; cp "$(p 5)" "$TMP/case/x.jpg"; words x.jpg.txt Vijf "Hele naam"
try "the photo's whole name plus .txt"

mk; cp "$(p 6)" "$TMP/case/IMG_1 (1).jpg"; words IMG_1.txt Zes "Een kopie"
try "a copy alone keeps the words"

mk; cp "$(p 7)" "$TMP/case/b.jpg"; cp "$(p 8)" "$TMP/case/b (1).jpg"; words b.txt Zeven "Twee fotos"
try "two photos for one caption file"

mk; cp "$(p 9)" "$TMP/case/c.jpg"; words c.txt Acht "Met de hand"; words d.txt Negen "Geen foto"
try "a caption file with no photo"

done_testing
