#!/bin/sh
# Terminal safety: characters that steer a terminal (ESC sequences, BEL, CR,
# backspace, the C1 CSI U+009B) or reorder text (U+202E) are kept out of
# stored words at intake the same way whether the words came from a caption
# file or from inside the photo, and by edit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

ESC=$(printf '\033'); BEL=$(printf '\007'); BS=$(printf '\010'); CR=$(printf '\r')
CSI=$(printf '\302\233'); RLO=$(printf '\342\200\256')
# one line of words with every kind of control in it
LINE="Rood${ESC}[31mALARM${ESC}]0;titel${BEL} weg${BS}${BS}x ${CSI}2J U${RLO}tnemmoc einde"
CLEAN="Rood[31mALARM]0;titel wegx 2J Utnemmoc einde"

# raw_controls FILE: how many control bytes or sequences FILE holds raw (by od)
raw_controls() {
	od -An -tx1 -v "$1" | tr -d '\n' |
		grep -oE ' (1b|07|0d|08|7f)| c2 (8[0-9a-f]|9[0-9a-f])| e2 80 a[a-e]| e2 81 a[6-9]| ef bb bf' | wc -l
}
# no_raw DESCRIPTION FILE
no_raw() {
	n=$(raw_controls "$2")
	if [ "$n" -eq 0 ]; then ok "$1"; else fail "$1" "$n raw control characters in:" "$(od -c "$2" | head -20)"; fi
}

new_archive

# ---- intake: the same words through a caption file and through the photo ----
add_entry "uit-bestand" "$(printf 'Titel: %s\nOnderschrift: %s\nToestemming: poster\n\nRegel een %s\r\nRegel twee\rRegel drie' "$LINE" "$LINE" "$LINE")"
photos 2 "$TMP/meta-src"
pv scrub -o "$TMP/meta-clean" "$TMP/meta-src/bench-00002.jpg" >/dev/null 2>&1
# an Exif block whose ImageDescription (caption) and XPTitle (title) hold LINE
python3 - "$TMP/meta-clean/bench-00002.jpg" "$A/drop/uit-foto.jpg" "$LINE" <<'PY'
import struct, sys
src, dst, line = sys.argv[1], sys.argv[2], sys.argv[3].encode("utf-8", "surrogateescape")
desc = line + b"\0"
xp = line.decode("utf-8").encode("utf-16-le") + b"\0\0"
n = 2
data_at = 8 + 2 + n * 12 + 4
ifd = struct.pack("<H", n)
ifd += struct.pack("<HHII", 0x010E, 2, len(desc), data_at)
ifd += struct.pack("<HHII", 0x9C9B, 1, len(xp), data_at + len(desc))
tiff = b"II*\0" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + desc + xp
app1 = b"Exif\0\0" + tiff
jpeg = open(src, "rb").read()
open(dst, "wb").write(jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:])
PY
pv ingest >"$TMP/ingest.out" 2>"$TMP/ingest.err"
check_eq "both photos are taken" 2 "$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
no_raw "ingest's report holds no raw control" "$TMP/ingest.out"
no_raw "nor does its stderr" "$TMP/ingest.err"
pv list --json >"$TMP/list.json"
python3 - "$TMP/list.json" "$CLEAN" >"$TMP/intake.txt" 2>&1 <<'PY'
import json, sys
by = {}
for e in json.load(open(sys.argv[1]))["entries"]:
    by["file" if e["consent"] == "poster" else "photo"] = e
clean = sys.argv[2]
f, p = by["file"], by["photo"]
print("file: ", repr(f["title"]), repr(f["caption"]), repr(f["story"]))
print("photo:", repr(p["title"]), repr(p["caption"]))
assert f["title"] == p["title"] == clean, "titles differ"
assert f["caption"] == p["caption"] == clean, "captions differ"
assert f["story"] == "Regel een %s\nRegel twee\nRegel drie" % clean, "story"
PY
if [ $? -eq 0 ]; then ok "a caption file and the photo's own metadata keep the same words, without controls"; else fail "a caption file and the photo's own metadata keep the same words, without controls" "$(cat "$TMP/intake.txt")"; fi

# edit is a third way in, with the same rule
file_id=$(python3 -c 'import json,sys; print([e["id"] for e in json.load(open(sys.argv[1]))["entries"] if e["consent"] == "poster"][0])' "$TMP/list.json")
pv edit "$file_id" --caption "$LINE" >/dev/null 2>&1
check_eq "edit keeps the same words as intake" "$CLEAN" "$(pv show "$file_id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["caption"])')"

done_testing
