#!/bin/sh
# One caption file speaks for one photo. Two different photos that fit one
# caption file (IMG_1.jpg beside IMG_1.png or .heic, names that differ only
# in case or Unicode form, a copy a sync client made) are set aside together
# with the caption file, with a sentence naming each photo; a copy with no
# caption file of its own never loses or silently shares the words. The one
# exception: the same photo twice (same bytes, or the same photo once its
# metadata is removed) becomes one entry. Loose files and inside zips.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

S="$ROOT/sample-media/drop"
new_archive
D="$A/drop"
Q="$D/.quarantine"
photos 30 "$TMP/p"
p() { printf '%s/p/bench-%05d.jpg' "$TMP" "$1"; }
caption() { printf 'Titel: %s\nToestemming: poster\n' "$2" >"$D/$1"; }
count() { pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["matches"])'; }
titles() { pv list --json | python3 -c 'import json,sys; print(" ".join(sorted(e["title"] or "-" for e in json.load(sys.stdin)["entries"])))'; }
NFC=$(printf 'caf\303\251')
NFD=$(printf 'cafe\314\201')

# set aside together: NAME|PHOTO;PHOTO...|CAPTION
python3 - "$TMP/small.png" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
w, h = 8, 6
raw = b"".join(b"\0" + b"".join(bytes((x * 30, y * 40, 90)) for x in range(w)) for y in range(h))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
       chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
PY
cp "$(p 1)" "$D/IMG_1.jpg"; cp "$TMP/small.png" "$D/IMG_1.png"
caption IMG_1.txt "Een"
cp "$(p 2)" "$D/B.jpg"; cp "$(p 3)" "$D/b.JPG"; caption b.txt "Twee"
cp "$(p 4)" "$D/$NFC.jpg"; cp "$(p 5)" "$D/$NFD.jpg"; caption "$NFC.txt" "Drie"
cp "$(p 6)" "$D/C.jpg"; cp "$(p 7)" "$D/C (1).jpg"; caption C.txt "Vier"
cp "$(p 8)" "$D/E.jpg"; cp "$(p 9)" "$D/E (conflicted copy 2026-01-02).jpg"; caption E.txt "Vijf"
cp "$(p 10)" "$D/F.jpg"; cp "$(p 11)" "$D/F-DESKTOP-AB12.jpg"; caption F.txt "Zes"
cp "$(p 12)" "$D/G.jpg"; cp "$(p 13)" "$D/G.sync-conflict-20260102-101010-ABCDEF.jpg"; caption G.txt "Zeven"
cp "$(p 14)" "$D/H.jpg"; cp "$(p 15)" "$D/H - Kopie.jpg"; caption H.txt "Acht"
if [ -f "$S/fenna/IMG_2102.heic" ]; then
	cp "$(p 16)" "$D/K.jpg"; cp "$S/fenna/IMG_2102.heic" "$D/K.heic"; caption K.txt "Negen"
fi
# the same photo twice: one entry, nothing set aside
cp "$(p 20)" "$D/L.jpg"; cp "$(p 20)" "$D/L (1).jpg"; caption L.txt "Tien"
python3 - "$(p 21)" "$D/M.jpg" "$D/M (conflicted copy 2026-01-02).jpg" <<'PY'
import sys
src = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(src)
com = b"bewerkt op de telefoon"     # the same pixels, other metadata
open(sys.argv[3], "wb").write(src[:2] + b"\xff\xfe" + (len(com) + 2).to_bytes(2, "big") + com + src[2:])
PY
caption M.txt "Elf"
# a copy alone keeps the words; a copy with its own caption file keeps its own
cp "$(p 22)" "$D/N (1).jpg"; caption N.txt "Twaalf"
cp "$(p 23)" "$D/O.jpg"; caption O.txt "Dertien"
cp "$(p 24)" "$D/O (1).jpg"; caption "O (1).txt" "Veertien"

run "$TMP/out" "$TMP/err" pv ingest
check_eq "ingest exits 1: photos were set aside" 1 "$rc"
set_aside() { # NAME CAPTION PHOTO...: all in quarantine, each reason naming every photo
	name=$1; cap=$2; shift 2
	good=1; why=""
	for f in "$cap" "$@"; do [ -f "$Q/$f" ] || { good=0; why="$why $f not in quarantine;"; }; done
	for f in "$@"; do
		for g in "$@"; do
			grep -qF "$g" "$Q/$f.reason.txt" 2>/dev/null || { good=0; why="$why $f's reason does not name $g;"; }
		done
	done
	if [ "$good" = 1 ]; then ok "$name: set aside together, each reason naming every photo"
	else fail "$name: set aside together, each reason naming every photo" "$why" "$(ls -A "$D" "$Q" 2>&1 | tr '\n' ' ')"; fi
}
set_aside "IMG_1.jpg beside IMG_1.png" IMG_1.txt IMG_1.jpg IMG_1.png
set_aside "names that differ in case" b.txt B.jpg b.JPG
set_aside "names that differ in Unicode form" "$NFC.txt" "$NFC.jpg" "$NFD.jpg"
set_aside "a numbered copy" C.txt C.jpg "C (1).jpg"
set_aside "a Dropbox conflicted copy" E.txt E.jpg "E (conflicted copy 2026-01-02).jpg"
set_aside "a OneDrive copy" F.txt F.jpg F-DESKTOP-AB12.jpg
set_aside "a Syncthing conflict" G.txt G.jpg G.sync-conflict-20260102-101010-ABCDEF.jpg
set_aside "a Windows copy" H.txt H.jpg "H - Kopie.jpg"
if [ -f "$S/fenna/IMG_2102.heic" ]; then set_aside "K.jpg beside K.heic" K.txt K.jpg K.heic
else skip "no sample HEIC"; fi
check_grep "the reason says why in words" 'fits more than one photo.*does not guess' "$Q/C.jpg.reason.txt"
for t in Een Twee Drie Vier Vijf Zes Zeven Acht Negen; do
	check_eq "no entry has the words '$t'" "" "$(titles | tr ' ' '\n' | grep -x "$t")"
done
check_eq "the same bytes twice: one entry with the words" "1" "$(titles | tr ' ' '\n' | grep -cx Tien)"
check_eq "the same photo with other metadata: one entry with the words" "1" "$(titles | tr ' ' '\n' | grep -cx Elf)"
check_eq "a copy alone keeps the caption file's words" "1" "$(titles | tr ' ' '\n' | grep -cx Twaalf)"
check_eq "a copy with its own caption file keeps its own words" "Dertien Veertien" \
	"$(titles | tr ' ' '\n' | grep -x 'Dertien\|Veertien' | tr '\n' ' ' | sed 's/ $//')"
left=$(find "$D" -path "$Q" -prune -o -type f -print | wc -l)
check_eq "nothing is left in the drop folder" 0 "$left"

# ---- inside a zip ---------------------------------------------------------------
new_archive
mkzip "$D/twee.zip" "IMG_1.jpg=$(p 1)" "IMG_1 (1).jpg=$(p 2)" "IMG_1.txt=@Titel: Zip een
Toestemming: poster"
mkzip "$D/hoofdletters.zip" "map/A.jpg=$(p 3)" "map/a.png=$TMP/small.png" \
	"map/a.txt=@Titel: Zip twee"
cp "$(p 20)" "$TMP/same.jpg"
mkzip "$D/zelfde.zip" "S.jpg=$TMP/same.jpg" "S (1).jpg=$TMP/same.jpg" "S.txt=@Titel: Zip drie"
mkzip "$D/kopie.zip" "T (1).jpg=$(p 25)" "T.txt=@Titel: Zip vier"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "ingest of the zips exits 1" 1 "$rc"
check "the zip with two photos for one caption file is set aside" test -f "$Q/twee.zip"
check_grep "its reason names both photos" 'IMG_1\.jpg.*IMG_1 \(1\)\.jpg' "$Q/twee.zip.reason.txt"
check_grep "and the caption file" 'IMG_1\.txt' "$Q/twee.zip.reason.txt"
check "the zip with names that differ in case is set aside" test -f "$Q/hoofdletters.zip"
check_grep "its reason names both photos" 'map/A\.jpg.*map/a\.png' "$Q/hoofdletters.zip.reason.txt"
zcount() { pv search "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["matches"])'; }
check_eq "no entry has the words of either" "0 0" "$(zcount een) $(zcount twee)"
check_eq "the same photo twice in a zip: one entry" 1 "$(zcount drie)"
check "that zip is taken and removed" test ! -e "$D/zelfde.zip"
check_eq "a copy alone in a zip keeps the words" 1 "$(zcount vier)"

done_testing
