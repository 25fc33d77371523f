#!/bin/sh
# Crash safety: ingest killed with SIGKILL at exact steps (the PV_TEST_CRASH
# hook: POINT:N kills the process the Nth time it reaches POINT), then run
# again. Afterwards no photo is lost, none is in the catalogue twice, nothing
# is left in the drop folder, every stored file has its catalogue row, and the
# second run does not call the first run's photos duplicates.
. "$(dirname "$0")/lib.sh"

S="$ROOT/sample-media/drop"
"$BUILD/mksample" --bench 22 --megapixels 0.2 "$TMP/many" >/dev/null
# the sample photos + 20 small ones + 2 more in a zip: more than one batch of 16
python3 - "$TMP/inzending.zip" "$TMP/many" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.write(sys.argv[2] + "/bench-00021.jpg", "sem/bench-00021.jpg")
    z.writestr("sem/bench-00021.txt", "Onderschrift: uit de zip\n")
    z.write(sys.argv[2] + "/bench-00022.jpg", "bench-00022.jpg")
PY
rm "$TMP/many/bench-00021.jpg" "$TMP/many/bench-00022.jpg"
expected=$(( $(sample_photo_count) + 20 + 2 ))

fill_drop() {
	cp -r "$S"/* "$A/drop/"
	cp -r "$TMP/many" "$A/drop/veel"
	cp "$TMP/inzending.zip" "$A/drop/"
}
count() { pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }
# stored files (photos, thumbnails, previews) without a catalogue row, and
# how many of each kind there are
orphans() {
	pv list --json | python3 -c '
import json, sys, os, re
rows = {e["sha256"] for e in json.load(sys.stdin)["entries"]}
media = sys.argv[1]
files = [f for d in os.listdir(media) for f in os.listdir(os.path.join(media, d))]
kinds = {"": 0, ".thumb": 0, ".preview": 0}
bad = 0
for f in files:
    m = re.fullmatch(r"([0-9a-f]{64})(\.thumb|\.preview)?\.jpg", f)
    if not m or m.group(1) not in rows: bad += 1; continue
    kinds[m.group(2) or ""] += 1
print(bad, kinds[""], kinds[".thumb"], kinds[".preview"])' "$A/media"
}

for point in stored:1 stored:12 added:3 added:20 committed:1 committed:2 released:1 released:17; do
	new_archive
	fill_drop
	PV_TEST_CRASH=$point "$PV" ingest --jobs 2 >"$TMP/out1" 2>"$TMP/err1"
	rc1=$?
	check_eq "$point: the first run was killed" 137 "$rc1"
	run "$TMP/out" "$TMP/err" pv ingest --jobs 2
	check_eq "$point: the run after the crash exits 0" 0 "$rc"
	check_eq "$point: every photo is in the catalogue once" "$expected" "$(count)"
	check_eq "$point: no stored file without its catalogue row, each with its thumbnail and preview" "0 $expected $expected $expected" "$(orphans)"
	check_eq "$point: the drop folder is empty" "" "$(find "$A/drop" -path "$A/drop/.quarantine" -prune -o -type f -print | grep -v '\.generated$')"
	check_eq "$point: nothing was quarantined" "" "$(find "$A/drop/.quarantine" -type f)"
	check_eq "$point: no temporary file or journal is left" "" "$(ls -A "$A/tmp")"
	check_nogrep "$point: the first run's photos are not called duplicates" '^same ' "$TMP/out"
	check "$point: audit finds every photo clean and no file without its entry" pv audit
done

# killed after the commit: the originals still in the drop folder are finished
# off, reported as such, not as duplicates
new_archive
fill_drop
PV_TEST_CRASH=committed:1 "$PV" ingest --jobs 1 >/dev/null 2>&1
run "$TMP/out" "$TMP/err" pv ingest --json
python3 - "$TMP/out" "$expected" >"$TMP/check.txt" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = d["recovered_count"] >= 1 and d["duplicates_count"] == 0 and \
     d["recovered_count"] + d["ingested"] == int(sys.argv[2]) and \
     len(d["recovered"]) == d["recovered_count"]
print({k: d[k] for k in ("ingested", "recovered_count", "duplicates_count")}); sys.exit(0 if ok else 1)
PY
if [ $? -eq 0 ]; then ok "the report counts the photos finished from the interrupted run, and no duplicates"; else fail "the report counts the photos finished from the interrupted run, and no duplicates" "$(cat "$TMP/check.txt")"; fi

# a second crash during the recovery run is recovered too
new_archive
fill_drop
PV_TEST_CRASH=committed:1 "$PV" ingest --jobs 2 >/dev/null 2>&1
PV_TEST_CRASH=released:3 "$PV" ingest --jobs 2 >/dev/null 2>&1
run "$TMP/out" "$TMP/err" pv ingest
check_eq "after two crashes the third run exits 0" 0 "$rc"
check_eq "after two crashes every photo is in the catalogue once" "$expected" "$(count)"
check_nogrep "after two crashes nothing is called a duplicate" '^same ' "$TMP/out"

done_testing
