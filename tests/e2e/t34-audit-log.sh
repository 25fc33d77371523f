#!/bin/sh
# audit: every stored file hashes to its name and passes the privacy check,
# every entry has its photo, no file without an entry, leftovers in tmp/, the
# catalogue's integrity; --repair removes only files no entry owns. log: the
# audit trail, append-only, every change in it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
add_entry a "Title: Een
Caption: Een."
add_entry b "Title: Twee
Caption: Twee."
add_entry c "Title: Drie
Caption: Drie."
ingest_all
a=$(id_of "Een"); b=$(id_of "Twee"); c=$(id_of "Drie")
media_of() { sha=$(pv show --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sha256"])'); echo "$A/media/$(echo "$sha" | cut -c1-2)/$sha.jpg"; }

run "$TMP/out" "$TMP/err" pv audit
check_eq "audit of a whole archive exits 0" 0 "$rc"
check_grep "and says all is well" 'all is well' "$TMP/out"
pv audit --json >"$TMP/audit.json"
check "audit --json is valid JSON" python3 -m json.tool "$TMP/audit.json"
check_eq "audit --json shape" "entries files problems_left problems" "$(json_get "$TMP/audit.json" '" ".join(d.keys())')"
check_eq "every entry checked" 3 "$(json_get "$TMP/audit.json" 'd["entries"]')"

# plant problems: an orphan, a stray folder, a leftover, a changed photo, a
# missing photo, a derived file with metadata
fan=$(ls "$A/media" | head -1)
echo "stray" >"$A/media/$fan/0000000000000000000000000000000000000000000000000000000000000000.jpg"
mkdir -p "$A/media/zz"
echo "half" >"$A/tmp/.pv-tmp-123"
pa=$(media_of "$a"); pb=$(media_of "$b"); pc=$(media_of "$c")
cp "$pa" "$TMP/a-orig.jpg"
python3 -c 'import sys; p = sys.argv[1]; d = bytearray(open(p, "rb").read()); d[len(d) // 2] ^= 0xff; open(p, "wb").write(d)' "$pa"
mv "$pb" "$TMP/b-moved.jpg"
cp "${pc%.jpg}.thumb.jpg" "$TMP/c-thumb.jpg"
cp "$ROOT/sample-media/drop/de-klik.jpg" "${pc%.jpg}.thumb.jpg"   # still has its camera metadata

run "$TMP/out" "$TMP/err" pv audit --json
check_eq "audit with problems exits 1" 1 "$rc"
cp "$TMP/out" "$TMP/audit.json"
check "and its JSON is valid" python3 -m json.tool "$TMP/audit.json"
kinds=$(json_get "$TMP/audit.json" '",".join(sorted(p["kind"] for p in d["problems"]))')
check_eq "each planted problem is found, once (the thumbnail is also not its photo's)" "derived,hash,leftover,missing,orphan,orphan,unclean" "$kinds"
check_eq "problems name the entry" "$a" "$(json_get "$TMP/audit.json" '[p["entry"] for p in d["problems"] if p["kind"] == "hash"][0]')"
check_eq "problem items have kind, entry, path, problem, repaired, todo" "kind entry path problem repaired todo" "$(json_get "$TMP/audit.json" '" ".join(d["problems"][0].keys())')"
pv audit >"$TMP/audit.txt" 2>&1
check_grep "the human report says it in sentences" 'no longer match the hash' "$TMP/audit.txt"

logs=$(log_count)
run "$TMP/out" "$TMP/err" pv audit --repair --json
check_eq "repair leaves problems it may not touch: exit 1" 1 "$rc"
cp "$TMP/out" "$TMP/repair.json"
check_eq "the orphan file and the leftover were removed; the folder, the changed photo, the missing one and the unclean thumbnail were not" \
	"derived:False,hash:False,leftover:True,missing:False,orphan:False,orphan:True,unclean:False" \
	"$(json_get "$TMP/repair.json" '",".join(sorted("%s:%s" % (p["kind"], p["repaired"]) for p in d["problems"]))')"
check_eq "the orphan is gone" "" "$(ls "$A/media/$fan" | grep '^0000')"
check_eq "the leftover is gone" "" "$(ls -A "$A/tmp")"
check "the changed photo is still there (never removed)" test -f "$pa"
check_eq "the repair is in the log" $((logs + 1)) "$(log_count)"

# put things right: audit is clean again
cp "$TMP/a-orig.jpg" "$pa"; mv "$TMP/b-moved.jpg" "$pb"; cp "$TMP/c-thumb.jpg" "${pc%.jpg}.thumb.jpg"; rmdir "$A/media/zz"
run "$TMP/out" "$TMP/err" pv audit
check_eq "once put right, audit exits 0" 0 "$rc"

# a damaged catalogue (on a copy): exit 1 or 3 with a sentence, never a crash
cp -r "$A" "$TMP/copy"
python3 -c 'import sys; p = sys.argv[1]; d = bytearray(open(p, "rb").read()); n = len(d)
for i in range(n // 2, n // 2 + 4096): d[i] = 0x55
open(p, "wb").write(d)' "$TMP/copy/catalogue.db"
run "$TMP/out" "$TMP/err" pv --archive "$TMP/copy" audit
if [ "$rc" -eq 1 ] || [ "$rc" -eq 3 ]; then ok "audit of a damaged catalogue exits 1 or 3 ($rc)"; else fail "audit of a damaged catalogue exits 1 or 3" "rc=$rc" "$(cat "$TMP/out" "$TMP/err")"; fi
check_grep "and says the catalogue is damaged" 'damaged|malformed|does not match' "$(cat "$TMP/out" "$TMP/err" >"$TMP/both"; echo "$TMP/both")"
run "$TMP/out" "$TMP/err" pv audit extra
check_eq "audit with an argument is a usage error" 2 "$rc"

# log
pv log --json >"$TMP/log.json"
check "log --json is valid JSON" python3 -m json.tool "$TMP/log.json"
check_eq "log --json shape" "count events|id at actor action detail" "$(json_get "$TMP/log.json" '" ".join(d.keys()) + "|" + " ".join(d["events"][0].keys())')"
check_eq "the log begins with the archive's creation" "init" "$(json_get "$TMP/log.json" 'd["events"][0]["action"]')"
check_eq "each ingest is logged" 3 "$(json_get "$TMP/log.json" 'len([e for e in d["events"] if e["action"] == "ingest"])')"
check_eq "who did it is recorded" "$(id -un)" "$(json_get "$TMP/log.json" 'd["events"][-1]["actor"]')"
pv log >"$TMP/log.txt"
check_grep "the human log has time, who, what" "^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z +$(id -un) +ingest +entry" "$TMP/log.txt"
run "$TMP/out" "$TMP/err" pv log --verbose
check_eq "log with an unknown option is a usage error" 2 "$rc"

# every command that changes something adds to the log
n=$(log_count)
for cmd in "tag $a x" "tags rename x y" "tags merge y z" "tag $a -z" "edit $a --title Anders" \
	"consent $a poster --guardian yes" "participants set p1 --credit anoniem" "forget $c"; do
	# shellcheck disable=SC2086
	pv $cmd >/dev/null 2>&1
	m=$(log_count)
	if [ "$m" -gt "$n" ]; then ok "'$cmd' is in the log"; else fail "'$cmd' is in the log" "log count stayed $n"; fi
	n=$m
done

# append-only: the log's rows cannot be changed or removed
python3 - "$A/catalogue.db" >"$TMP/py.txt" 2>&1 <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for sql in ("DELETE FROM log", "UPDATE log SET detail = 'x'"):
    try:
        db.execute(sql); db.commit(); print("allowed:", sql)
    except sqlite3.DatabaseError as e:
        print("refused:", e)
PY
check_nogrep "the log refuses updates and deletes" '^allowed' "$TMP/py.txt"

# read-only commands do not log
n=$(log_count)
pv list >/dev/null; pv show "$a" >/dev/null; pv search een >/dev/null; pv tags >/dev/null; pv participants >/dev/null; pv log >/dev/null; pv audit >/dev/null
check_eq "reading commands add nothing to the log" "$n" "$(log_count)"

done_testing
