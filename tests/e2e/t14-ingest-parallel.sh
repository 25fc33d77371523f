#!/bin/sh
# Parallel ingest: any --jobs gives the same archive; several batches; the
# same photo twice in one run is stored once; --keep-originals and a re-run
# report duplicates; the --json report is one document with the counts.
. "$(dirname "$0")/lib.sh"

"$BUILD/mksample" --bench 40 --megapixels 0.1 "$TMP/many" >/dev/null
total=$(( $(sample_photo_count) + 40 ))
count() { pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }
hashes() { pv list --json | python3 -c 'import json,sys; print(" ".join(sorted(e["sha256"] for e in json.load(sys.stdin)["entries"])))'; }

for jobs in 1 4; do
	new_archive
	cp -r "$ROOT"/sample-media/drop/* "$A/drop/"
	cp -r "$TMP/many" "$A/drop/veel"
	cp "$TMP/many/bench-00007.jpg" "$A/drop/nog-een-keer.jpg"
	run "$TMP/out" "$TMP/err" pv ingest --jobs "$jobs" --json
	check_eq "--jobs $jobs: exits 0" 0 "$rc"
	check_eq "--jobs $jobs: every distinct photo is one entry" "$total" "$(count)"
	check "--jobs $jobs: the report is one JSON document" python3 -m json.tool "$TMP/out"
	python3 - "$TMP/out" "$total" >"$TMP/check.txt" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
total = int(sys.argv[2])
bad = []
if d["ingested"] != total: bad.append(f"ingested {d['ingested']}")
if d["duplicates_count"] != 1: bad.append(f"duplicates_count {d['duplicates_count']}")
if len(d["entries"]) != total: bad.append("entries")
jpegs = sum(1 for e in d["entries"] if e["format"] == "jpeg")
if d["removed"].get("Exif") != jpegs or jpegs < 40: bad.append(f"removed {d['removed']}")
if d["converted"] != total - jpegs: bad.append(f"converted {d['converted']}")
dup = d["duplicates"][0]
first = [e for e in d["entries"] if e["file"] in ("veel/bench-00007.jpg", "nog-een-keer.jpg")]
if len(first) != 1 or dup["entry"] != first[0]["id"]: bad.append(f"duplicate {dup} of {first}")
if sorted(e["id"] for e in d["entries"]) != list(range(1, total + 1)): bad.append("ids not 1..total")
# looks_like names only entries entered before it: later ones of the run are
# in the catalogue or not depending on where the batches were cut
later = [(e["id"], e["looks_like"]) for e in d["entries"] if any(i >= e["id"] for i in e["looks_like"])]
if later: bad.append(f"looks_like names a later entry: {later}")
if not any(e["looks_like"] for e in d["entries"]): bad.append("no photo looks like another (the samples have some)")
print("\n".join(bad)); sys.exit(1 if bad else 0)
PY
	if [ $? -eq 0 ]; then ok "--jobs $jobs: the report counts every photo taken and the one duplicate"; else fail "--jobs $jobs: the report counts every photo taken and the one duplicate" "$(cat "$TMP/check.txt")"; fi
	eval "hashes_$jobs=\"\$(hashes)\""
done
check_eq "--jobs 1 and --jobs 4 store exactly the same photos" "$hashes_1" "$hashes_4"

# in the order of the drop folder, whatever the number of workers
pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][0]["caption"])' >"$TMP/first"
check_grep "entries are numbered in the drop folder's order" 'Artikel 12' "$TMP/first"

# --keep-originals, then the same drop again: duplicates, nothing stored twice
new_archive
cp "$TMP/many/bench-00001.jpg" "$TMP/many/bench-00002.jpg" "$A/drop/"
run "$TMP/out" "$TMP/err" pv ingest --keep-originals
check_eq "--keep-originals exits 0" 0 "$rc"
check_eq "--keep-originals leaves the originals" 2 "$(find "$A/drop" -name '*.jpg' | wc -l)"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "the re-run exits 0" 0 "$rc"
check_eq "the re-run reports both as already in the archive" 2 "$(grep -c '^same ' "$TMP/out")"
check_eq "nothing is stored twice" 2 "$(count)"
check_eq "the re-run removed the originals" 0 "$(find "$A/drop" -name '*.jpg' | wc -l)"
check_grep "the summary counts them" '2 already in the archive' "$TMP/out"

# photos larger than the pixel budget of the jobs (12.5 megapixels a job) wait
# for each other and run alone: all are still taken, nothing hangs
new_archive
"$BUILD/mksample" --bench 3 --megapixels 14 "$A/drop" >/dev/null
run "$TMP/out" "$TMP/err" pv ingest --jobs 2
check_eq "photos over the pixel budget are taken one at a time" "0 3" "$rc $(count)"
"$BUILD/mksample" --bench 1 --megapixels 14 "$A/drop/enkel" >/dev/null
run "$TMP/out" "$TMP/err" pv ingest --jobs 1
check_eq "a photo over one job's budget is taken with --jobs 1" "0" "$rc"

run "$TMP/out" "$TMP/err" pv ingest --jobs 0
check_eq "--jobs 0 is a usage error" 2 "$rc"

done_testing
