#!/bin/sh
# Terminal safety: characters that steer a terminal (ESC sequences, BEL, CR,
# backspace, the C1 CSI U+009B) or reorder text (U+202E) in stored words
# are never written raw by list, show, search, log, tags, participants,
# inspect or ingest; they are kept out at intake the same way whether the
# words came from a caption file or from inside the photo; --json stays
# exact and valid; a story keeps its line breaks in show.
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

# ---- printing: words stored raw (an archive from before the rule) -----------
# planted straight into the catalogue: every printer must show them, not send them
STORY="Eerste regel ${ESC}[2J
Tweede regel${CR}overschreven
Derde regel ${CSI}31m"
python3 - "$A" "$file_id" "$LINE" "$STORY" <<'PY'
import glob, os, sqlite3, sys
a, eid, line, story = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
db = [p for p in glob.glob(os.path.join(a, "*.db")) + glob.glob(os.path.join(a, "*.sqlite"))][0]
c = sqlite3.connect(db)
c.execute("UPDATE entries SET title = ?, caption = ?, story = ?, credit = ?, participant = ? WHERE id = ?",
          ("zoekwoord " + line, line, story, line, "deelnemer" + line, eid))
c.execute("INSERT INTO tags (entry_id, tag) VALUES (?, ?)", (eid, "label" + line))
c.execute("INSERT INTO participants (code, credit) VALUES (?, ?)", ("deelnemer" + line, line))
c.execute("INSERT INTO history (entry_id, field, old_text, changed_at) VALUES (?, 'caption', ?, '2026-01-01T00:00:00Z')", (eid, line))
c.execute("INSERT INTO log (at, action, detail, actor) VALUES ('2026-01-01T00:00:00Z', 'edit', ?, ?)", (line, line))
c.commit()
PY

for cmd in "list" "show $file_id" "show $file_id --history" "search zoekwoord" "log" "tags" "participants"; do
	# shellcheck disable=SC2086
	pv $cmd >"$TMP/out.txt" 2>"$TMP/err.txt"
	no_raw "$cmd writes no raw control" "$TMP/out.txt"
	check_grep "$cmd shows the words, with the controls made visible" 'Rood<U\+001B>\[31mALARM' "$TMP/out.txt"
	# shellcheck disable=SC2086
	pv $cmd --json >"$TMP/out.json" 2>"$TMP/err.txt"
	no_raw "$cmd --json writes no raw control" "$TMP/out.json"
	check "$cmd --json is valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out.json"
done

# --json is exact: the stored words, every character
pv show "$file_id" --json --history >"$TMP/show.json"
python3 - "$TMP/show.json" "$LINE" "$STORY" >"$TMP/exact.txt" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
line, story = sys.argv[2], sys.argv[3]
assert d["caption"] == line, repr(d["caption"])
assert d["title"] == "zoekwoord " + line
assert d["story"] == story, repr(d["story"])
assert d["credit"] == line
assert "label" + line in d["tags"]
assert d["history"][0]["old_text"] == line
PY
if [ $? -eq 0 ]; then ok "show --json gives the stored words exactly"; else fail "show --json gives the stored words exactly" "$(cat "$TMP/exact.txt")"; fi

# the story keeps its lines in show; a row of list stays one line
pv show "$file_id" >"$TMP/show.txt"
check_grep "show keeps the story's first line" '^Eerste regel <U\+001B>\[2J$' "$TMP/show.txt"
check_grep "and its second, with the CR made visible" '^Tweede regel<U\+000D>overschreven$' "$TMP/show.txt"
check_grep "and its third, with the C1 CSI made visible" '^Derde regel <U\+009B>31m$' "$TMP/show.txt"
check_grep "show makes U+202E visible" 'U<U\+202E>tnemmoc' "$TMP/show.txt"
check_eq "list prints one line per entry" 3 "$(pv list | wc -l)"

# ---- inspect: a file name and metadata values with controls ---------------
python3 - "$TMP/meta-clean/bench-00002.jpg" "$TMP/name${ESC}[31m.jpg" <<'PY'
import shutil, sys
shutil.copy(sys.argv[1], sys.argv[2])
PY
pv inspect "$TMP/name${ESC}[31m.jpg" >"$TMP/inspect.txt" 2>&1
no_raw "inspect does not write a file name's controls raw" "$TMP/inspect.txt"
pv inspect --json "$TMP/name${ESC}[31m.jpg" >"$TMP/inspect.json" 2>&1
no_raw "nor in --json" "$TMP/inspect.json"

# ---- file names: scrub, bundle, forget; audit's findings ---------------------
pv scrub -o "$TMP/scrubbed" "$TMP/name${ESC}[31m.jpg" >"$TMP/scrub.out" 2>&1
no_raw "scrub does not write a file name's controls raw" "$TMP/scrub.out"
pv audit >"$TMP/audit.out" 2>&1
no_raw "audit does not write a stored word's controls raw" "$TMP/audit.out"
pv bundle --id "$file_id" --purpose internal -o "$TMP/bundel${ESC}[31m.zip" >"$TMP/bundle.out" 2>&1
check "a bundle is written under a name with a control" test -f "$TMP/bundel${ESC}[31m.zip"
no_raw "bundle does not write its name's controls raw" "$TMP/bundle.out"
pv forget "$file_id" >"$TMP/forget.out" 2>&1
check_grep "forget names the bundle that held the entry" 'bundel<U\+001B>\[31m\.zip' "$TMP/forget.out"
no_raw "without writing its controls raw" "$TMP/forget.out"

# ---- error sentences that quote what was typed --------------------------------
pv show "1${ESC}[31m${CSI}2J" >"$TMP/show-bad.out" 2>"$TMP/show-bad.err"
check_grep "an error sentence still quotes what was typed" "'1<U\+001B>\[31m<U\+009B>2J' is not an entry number" "$TMP/show-bad.err"
no_raw "but writes no raw control" "$TMP/show-bad.err"
pv tag "$file_id" "a${ESC}[31mb" >"$TMP/tag.out" 2>"$TMP/tag.err"
no_raw "nor does refusing a tag with a control" "$TMP/tag.err"

done_testing
