#!/bin/sh
# Nothing is left behind in silence: a photo in a folder deeper than the scan
# goes, hidden files and folders, what a Mac, Windows or a sync client leaves
# (.DS_Store, ._IMG_1.jpg, Thumbs.db, desktop.ini, .stfolder, partial
# downloads), a file of an unknown type and a name too long for its reason
# file are each named on stderr with a reason, and the run ends with exit 1.
# Afterwards every file is either in the quarantine with a reason someone can
# find, or still in the drop folder and named; the summary's counts match the
# folders; a sync client's marker folder is not moved.
. "$(dirname "$0")/lib.sh"

S="$ROOT/sample-media/drop"
D="$A/drop"
one="$S/DSC_0087.jpg"

# files_in DIR: regular files below DIR, relative, one a line (not .quarantine,
# not project files)
files_in() {
	python3 - "$1" <<'PY'
import os, sys
root = sys.argv[1]
for d, dirs, files in os.walk(root):
    if d == root and ".quarantine" in dirs:
        dirs.remove(".quarantine")
    for f in files:
        if f.lower().startswith("_project."):
            continue
        print(os.path.relpath(os.path.join(d, f), root))
PY
}
# json_field FILE KEY
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

new_archive
cp "$one" "$D/goed.jpg"
deep="d1/d2/d3/d4/d5/d6/d7/d8/d9"
mkdir -p "$D/$deep" "$D/d1/d2/d3/d4/d5/d6/d7/ok"
cp "$S/de-klik.jpg" "$D/$deep/diep.jpg"
cp "$S/IMG_3310.jpg" "$D/d1/d2/d3/d4/d5/d6/d7/ok/net-niet.jpg"
cp "$S/fenna/IMG_2041.jpg" "$D/.verborgen.jpg"
mkdir "$D/.prive" "$D/.stfolder"
cp "$S/fenna/IMG_2057.jpg" "$D/.prive/foto.jpg"
printf '\000\005\026\007\000\002\000\000Mac OS X        ' >"$D/._goed.jpg"
printf '\000\000\000\001Bud1\000\000' >"$D/.DS_Store"
printf 'Windows thumbnail cache' >"$D/Thumbs.db"
printf '[.ShellClassInfo]\r\nIconResource=x\r\n' >"$D/desktop.ini"
head -c 3000 "$one" >"$D/.IMG_1.jpg.part"
head -c 3000 "$one" >"$D/IMG_2.jpg.crdownload"
printf 'tijdelijk' >"$D/~IMG.tmp"
printf '%%PDF-1.4\n%% een document\n' >"$D/notities.pdf"
long=$(python3 -c 'print("lang-" + "x" * 240 + ".jpg")')
printf 'geen foto' >"$D/$long"
files_in "$D" | sort >"$TMP/before"

run "$TMP/out" "$TMP/err" pv ingest
check_eq "a run that leaves or sets aside anything ends with exit 1" 1 "$rc"
check_grep "the photo beside them is taken" '^entry +[0-9]+ +goed\.jpg' "$TMP/out"
check_grep "the photo eight folders deep is taken" 'net-niet\.jpg' "$TMP/out"
for name in "$deep/diep.jpg" .verborgen.jpg .prive/foto.jpg .stfolder ._goed.jpg .DS_Store \
	Thumbs.db desktop.ini .IMG_1.jpg.part IMG_2.jpg.crdownload '~IMG.tmp' notities.pdf "$long"; do
	if grep -qF "photovoice: $name: " "$TMP/err"; then ok "named on stderr: $(echo "$name" | cut -c1-40)"
	else fail "named on stderr: $(echo "$name" | cut -c1-40)" "$(cat "$TMP/err")"; fi
done
check_grep "the deep photo's reason says how deep photovoice looks" "$deep/diep\.jpg: .*8 folders" "$TMP/err"
check_grep "the hidden file's reason says it is hidden" '^photovoice: \.verborgen\.jpg: .*hidden' "$TMP/err"
check_grep "the photo in a hidden folder is named with that folder" '^photovoice: \.prive/foto\.jpg: .*hidden folder \.prive' "$TMP/err"
check_grep "the sync marker is called Syncthing's" '^photovoice: \.stfolder: .*Syncthing' "$TMP/err"
check_grep "AppleDouble is explained" '^photovoice: \._goed\.jpg: .*Mac' "$TMP/err"
check_grep "a partial download is explained" '^photovoice: IMG_2\.jpg\.crdownload: .*not finished' "$TMP/err"
check "the sync client's marker folder is not moved" test -d "$D/.stfolder"

# every file: in the quarantine with its reason, or still in drop/ and named
python3 - "$D" "$TMP/before" "$TMP/err" <<'PY' >"$TMP/where"
import os, sys
drop, before, err = sys.argv[1], open(sys.argv[2]).read().split("\n"), open(sys.argv[3]).read()
q = os.path.join(drop, ".quarantine")
reasons = []
for d, _, files in os.walk(q):
    for f in files:
        if f.endswith(".reason.txt"):
            reasons.append((os.path.join(d, f), open(os.path.join(d, f), errors="replace").read()))
for rel in filter(None, before):
    if rel in ("goed.jpg", "d1/d2/d3/d4/d5/d6/d7/ok/net-niet.jpg"):
        continue
    base = os.path.basename(rel)
    if os.path.lexists(os.path.join(drop, rel)):
        print(("left-named " if "photovoice: %s: " % rel in err else "LEFT-SILENT ") + rel)
    elif os.path.lexists(os.path.join(q, rel)):
        own = os.path.join(q, rel) + ".reason.txt"
        found = os.path.exists(own) or any(base in text for _, text in reasons)
        print(("quarantined " if found else "QUARANTINED-NO-REASON ") + rel)
    else:
        print("LOST " + rel)
PY
check_nogrep "no file lost, none left silently, none set aside without a findable reason" \
	'^(LOST|LEFT-SILENT|QUARANTINED-NO-REASON) ' "$TMP/where"
check_grep "the long name is in the quarantine" "^quarantined lang-x" "$TMP/where"
check_grep "the run says where the long name's reason is" "^photovoice: $long: .*reason.*shortened" "$TMP/err"

# a long-named caption file kept in the quarantine because its photo is
# already an entry: its shortened reason names the entry, so forget finds it
stem=$(python3 -c 'print("zelfde-" + "y" * 243)')
cp "$(find "$A/media" -name '*.jpg' ! -name '*.thumb.jpg' ! -name '*.preview.jpg' | head -n 1)" "$D/$stem.jpg"
printf 'Caption: Roerdompveer andere woorden\n' >"$D/$stem.txt"
run "$TMP/out" "$TMP/err" pv ingest
check_grep "the long caption file's reason is under a shortened name" "^photovoice: $stem\.txt: .*shortened" "$TMP/err"
check_eq "the shortened reason file names the file and the entry" 1 \
	"$(grep -l "named: $stem.txt" "$D"/.quarantine/zelfde-*.reason.txt 2>/dev/null | xargs grep -l 'as entry [0-9]' | wc -l)"
run "$TMP/out2" "$TMP/err2" pv forget "$(grep -o 'as entry [0-9]*' "$TMP/err" | head -n 1 | cut -d' ' -f3)"
check "forget erases the long-named caption file from the quarantine" test ! -e "$D/.quarantine/$stem.txt"

# a full quarantine: no reason file can be written, so the file is put back
# where it was and named as left (never in the quarantine without a reason)
if [ "$(id -u)" = 0 ] && mkdir -p "$TMP/vol" && mount -t tmpfs -o size=256k tmpfs "$TMP/vol" 2>/dev/null; then
	mkdir -p "$TMP/vol/drop/.quarantine"
	printf '%%PDF-1.4\n' >"$TMP/vol/drop/vol.pdf"
	dd if=/dev/zero of="$TMP/vol/vulling" bs=4k count=1000 2>/dev/null
	run "$TMP/out" "$TMP/err" pv ingest --drop "$TMP/vol/drop"
	check_eq "a full quarantine: exit 1" 1 "$rc"
	check "a full quarantine: the file is back in the drop folder" test -f "$TMP/vol/drop/vol.pdf"
	check_grep "a full quarantine: the run says its reason could not be written" \
		'^photovoice: vol\.pdf: .*reason could not be written.*left where it is' "$TMP/err"
	check_eq "a full quarantine: nothing in it without a reason" "" "$(ls "$TMP/vol/drop/.quarantine")"
	umount "$TMP/vol"
else
	skip "cannot mount a small tmpfs here (not root): a full quarantine"
fi

# the summary tells the truth about both folders
# ...also with a photo still being written (a writer holds it open) and its
# caption file, which waits beside it: both are named, both counted
cp "$one" "$D/bezig.jpg"
printf 'Caption: wacht op de foto\n' >"$D/bezig.txt"
exec 3>>"$D/bezig.jpg"
run "$TMP/out" "$TMP/err" pv ingest --json
exec 3>&-
check_eq "a second run still ends with exit 1 (things are still left)" 1 "$rc"
check_eq "the caption file waiting beside its photo is named" 1 "$(python3 -c '
import json, sys
print(sum(l["file"] == "bezig.txt" and "beside its photo" in l["reason"] for l in json.load(open(sys.argv[1]))["left"]))' "$TMP/out")"
left=$(files_in "$D" | wc -l)
check_eq "left_count is the number of files still in the drop folder" "$left" "$(json_field "$TMP/out" left_count)"
rm "$D/bezig.jpg" "$D/bezig.txt"
left=$(files_in "$D" | wc -l)
run "$TMP/out" "$TMP/err" pv ingest
check_grep "the summary says how many files are left in the drop folder" \
	"$left files? left in the drop folder" "$TMP/out"
rm -rf "$D/.quarantine"; mkdir "$D/.quarantine"
rm -f "$D"/.DS_Store; printf '\000\000\000\001Bud1' >"$D/.DS_Store"
cp "$one" "$D/weer.jpg"; printf 'Caption: x\n' >"$D/weer.txt"; printf 'PK\003\004' >"$D/kapot.zip"
run "$TMP/out" "$TMP/err" pv ingest --json
q=$(find "$D/.quarantine" -type f ! -name '*.reason.txt' | wc -l)
check_eq "quarantined_count is the number of files put in the quarantine" "$q" "$(json_field "$TMP/out" quarantined_count)"

# watch stopped with SIGTERM: its summary tells the truth about what is
# still waiting in the drop folder (a run it stopped in the middle, a hidden
# file, a caption file waiting for its photo), each named, and exit 1
new_archive
"$BUILD/mksample" --bench 30 --megapixels 0.3 "$TMP/veel" >/dev/null
cp "$TMP/veel"/*.jpg "$D/"
cp "$one" "$D/.verborgen.jpg"
printf 'Caption: mijn foto komt zo\n' >"$D/komt-nog.txt"
"$PV" watch --grace 0 >"$TMP/w.out" 2>"$TMP/w.err" &
wpid=$!
i=0; while ! grep -q '^entry' "$TMP/w.out" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM "$wpid"; wait "$wpid"; rc=$?
waiting=$(files_in "$D" | wc -l)
check_eq "watch stopped with files still in the drop folder ends with exit 1" 1 "$rc"
check_grep "its last line says how many files are still waiting there" \
	"^Stopped watching; $waiting files? (are|is) still in the drop folder" "$TMP/w.out"
files_in "$D" >"$TMP/waiting"
named=0
while IFS= read -r f; do grep -qF "photovoice: $f: " "$TMP/w.err" && named=$((named + 1)); done <"$TMP/waiting"
check_eq "each of them is named on stderr" "$waiting" "$named"
rm -f "$D"/* "$D"/.verborgen.jpg
"$PV" watch --grace 0 >"$TMP/w.out" 2>"$TMP/w.err" &
wpid=$!
i=0; while ! grep -q '^Watching' "$TMP/w.out" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM "$wpid"; wait "$wpid"; rc=$?
check_eq "watch stopped with nothing waiting ends with exit 0" 0 "$rc"
check_grep "and says nothing is waiting" '^Stopped watching; nothing is waiting in the drop folder' "$TMP/w.out"

done_testing
