#!/bin/sh
# audit --repair never destroys an entry's photo: a photo moved by hand
# within the media store (to another fan folder, under another name, to the
# top, into a new folder, left in tmp/) is put back in its place, never
# removed as an orphan; a second copy goes to its place; the crash journal an
# interrupted ingest needs is kept. Each thumbnail and preview belongs to its
# photo (their hashes are recorded): a swapped preview is found and put back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
for n in 1 2 3 4; do add_entry "foto-$n" "Titel: Foto $n"; done
# ingest killed right after its first batch committed: the originals are
# still in drop/, the journal in tmp/ says they are in the catalogue
PV_TEST_CRASH=committed:1 "$PV" ingest --jobs 1 >/dev/null 2>&1
check "the interrupted ingest left its journal" test -f "$A/tmp/ingest.journal"
run "$TMP/out" "$TMP/err" pv audit --repair --json
check "audit --repair keeps the journal an interrupted ingest needs" test -f "$A/tmp/ingest.journal"
check_eq "and lists it as not repaired" "leftover:False" \
	"$(json_get "$TMP/out" '",".join("%s:%s" % (p["kind"], p["repaired"]) for p in d["problems"] if p["path"] == "tmp/ingest.journal")')"
check_grep "saying what to do" "photovoice ingest" "$TMP/out"
check_eq "its todo says so" "True" "$(json_get "$TMP/out" '[("photovoice ingest" in p["todo"]) for p in d["problems"] if p["path"] == "tmp/ingest.journal"][0]')"
run "$TMP/out" "$TMP/err" pv ingest --json
check_eq "the next ingest finishes that run's work: recovered, not duplicates" "4 0" \
	"$(json_get "$TMP/out" '"%d %d" % (d["ingested"] + d["recovered_count"], d["duplicates_count"])')"
check_eq "with the caption files gone, not set aside" "0" "$(ls -A "$A/drop/.quarantine" | wc -l)"
check "audit is clean" pv audit

# ---- a photo moved by hand within the media store -------------------------
new_archive
for n in 1 2 3 4 5 6; do add_entry "los-$n" "Titel: Los $n"; done
ingest_all
sha_of() { pv show --json "$(id_of "$1")" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sha256"])'; }
place_of() { s=$(sha_of "$1"); echo "$A/media/$(echo "$s" | cut -c1-2)/$s.jpg"; }
other_fan() { for f in "$A"/media/*/; do f=$(basename "$f"); [ "$f" != "$1" ] && { echo "$f"; return; }; done; }
p1=$(place_of "Los 1"); p2=$(place_of "Los 2"); p3=$(place_of "Los 3"); p4=$(place_of "Los 4"); p5=$(place_of "Los 5"); p6=$(place_of "Los 6")
for p in "$p1" "$p2" "$p3" "$p4" "$p5" "$p6"; do sha256sum "$p" | cut -d' ' -f1; done >"$TMP/want"
fan1=$(basename "$(dirname "$p1")")
mv "$p1" "$A/media/$(other_fan "$fan1")/$(basename "$p1")"    # another fan folder
mv "$p2" "$(dirname "$p2")/kopie van foto.jpg"                # another name
mv "$p3" "$A/media/"                                          # the top of media/
mkdir -p "$A/media/bewaard"; mv "$p4" "$A/media/bewaard/foto.jpg"   # a folder of its own
mv "$p5" "$A/tmp/.pv-put-back-9"                              # aside in tmp/
cp "$p6" "$(dirname "$p6")/nog een kopie.jpg"                 # a second copy
run "$TMP/out" "$TMP/err" pv audit --json
check_eq "audit finds the 5 moved photos missing: exit 1" 1 "$rc"
check_eq "and says where each one is" 5 "$(json_get "$TMP/out" 'len([p for p in d["problems"] if p["kind"] == "missing" and "were found at" in p["problem"]])')"
check_eq "audit alone moves and removes nothing" 7 "$(find "$A/media" "$A/tmp" -type f -name '*.jpg' -o -type f -name '.pv-put-back-*' | grep -v '\.thumb\.\|\.preview\.' | wc -l)"
run "$TMP/out" "$TMP/err" pv audit --repair --json
check_eq "audit --repair puts every photo back: no problem left but the folder" \
	"missing:True,missing:True,missing:True,missing:True,missing:True,orphan:False,orphan:True" \
	"$(json_get "$TMP/out" '",".join(sorted("%s:%s" % (p["kind"], p["repaired"]) for p in d["problems"]))')"
for p in "$p1" "$p2" "$p3" "$p4" "$p5" "$p6"; do sha256sum "$p" 2>/dev/null | cut -d' ' -f1; done >"$TMP/got"
check_eq "each photo is in its place with its bytes" "$(cat "$TMP/want")" "$(cat "$TMP/got")"
check_eq "no photo was removed: the second copy went to its place" "" "$(find "$A/media" "$A/tmp" -type f ! -name '*.thumb.jpg' ! -name '*.preview.jpg' | grep -v -F -f "$TMP/want" | grep -v '/[0-9a-f]\{64\}\.jpg$')"
rmdir "$A/media/bewaard"
check "audit is clean after" pv audit
check "a bundle of them works" pv bundle --query los --purpose internal -o "$TMP/b.zip"

# ---- derivatives belong to their photo -------------------------------------
new_archive
for n in 1 2 3; do add_entry "afgeleid-$n" "Titel: Afgeleid $n"; done
ingest_all
s1=$(sha_of "Afgeleid 1"); s2=$(sha_of "Afgeleid 2"); s3=$(sha_of "Afgeleid 3")
d() { echo "$A/media/$(echo "$1" | cut -c1-2)/$1.$2.jpg"; }
sha256sum "$(d "$s1" preview)" "$(d "$s2" preview)" "$(d "$s3" thumb)" | cut -d' ' -f1 >"$TMP/dwant"
# two previews swapped, and a thumbnail replaced by another entry's
mv "$(d "$s1" preview)" "$TMP/p1"; mv "$(d "$s2" preview)" "$(d "$s1" preview)"; mv "$TMP/p1" "$(d "$s2" preview)"
cp "$(d "$s3" thumb)" "$TMP/t3"; cp "$(d "$s1" thumb)" "$(d "$s3" thumb)"
run "$TMP/out" "$TMP/err" pv audit --json
check_eq "audit finds the swapped previews and the wrong thumbnail: exit 1" 1 "$rc"
check_eq "each is named as not made from its photo" "derived,derived,derived" \
	"$(json_get "$TMP/out" '",".join(sorted(p["kind"] for p in d["problems"]))')"
run "$TMP/out" "$TMP/err" pv audit --repair --json
check_eq "repair puts the two previews back; the thumbnail whose bytes are nowhere stays, with what to do" \
	"derived:False,derived:True,derived:True" \
	"$(json_get "$TMP/out" '",".join(sorted("%s:%s" % (p["kind"], p["repaired"]) for p in d["problems"]))')"
check_eq "every problem repair could not fix says what to do; repaired ones need nothing" "ok" \
	"$(json_get "$TMP/out" '"ok" if all(bool(p["todo"]) != p["repaired"] for p in d["problems"]) else d["problems"]')"
pv audit --repair >"$TMP/human" 2>&1
check_grep "the human report says it too" '^ +not repaired: .*backup' "$TMP/human"
check_eq "the previews are back with their bytes" "$(head -2 "$TMP/dwant")" \
	"$(sha256sum "$(d "$s1" preview)" "$(d "$s2" preview)" | cut -d' ' -f1)"
check "entry 1's own thumbnail was not taken to put elsewhere" test -f "$(d "$s1" thumb)"
cp "$TMP/t3" "$(d "$s3" thumb)"
check "once the right thumbnail is back, audit is clean" pv audit

# ---- SQLite's own words never reach a person -------------------------------
cp -r "$A" "$TMP/damaged"
python3 -c 'import sys; p = sys.argv[1]; d = bytearray(open(p, "rb").read()); n = len(d)
for i in range(4096, n): d[i] = 0x55 if i % 7 else d[i]
open(p, "wb").write(d)' "$TMP/damaged/catalogue.db"
rm -f "$TMP/damaged/catalogue.db-wal" "$TMP/damaged/catalogue.db-shm"
: >"$TMP/all-err"
for cmd in "list" "show 1" "search een" "tag 1 x" "edit 1 --title X" "consent 1 none" "audit" "audit --repair" "forget 1"; do
	# shellcheck disable=SC2086
	"$PV" --archive "$TMP/damaged" $cmd >>"$TMP/all-err" 2>&1
	echo "rc=$?" >>"$TMP/all-err"
done
check_grep "a damaged catalogue is said in a sentence" 'damaged' "$TMP/all-err"
check_nogrep "never with SQLite's own text" 'malformed|disk image|constraint failed|no such (table|column)|SQLITE_|sqlite3_|database is locked|file is not a database' "$TMP/all-err"
check_nogrep "and no command crashed" 'rc=(1[3-9][0-9]|2[0-9][0-9])' "$TMP/all-err"

done_testing
