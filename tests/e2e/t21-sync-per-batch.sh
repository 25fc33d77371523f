#!/bin/sh
# Scrub and ingest make their files durable once per batch, not once per
# file (issue 13), and still keep the crash promises: nothing is said done,
# and no original leaves the drop folder, before the clean copy (and for
# ingest the catalogue row) is synced. Seen from the system calls (strace):
# the number of syncs does not grow with the number of files, and the order
# is sync, then the report line (scrub) or the removal of an original (ingest).
# (sync_file_range(SYNC_FILE_RANGE_WRITE), which only starts the writing out
# early and waits for nothing, is no sync and is not counted.)
. "$(dirname "$0")/lib.sh"

if ! command -v strace >/dev/null 2>&1 || ! strace -f -o /dev/null true 2>/dev/null; then
	skip "strace is not installed or may not trace here"
	done_testing; exit $?
fi
SYNCS='^[0-9]+ +(fsync|fdatasync|syncfs|sync|msync)\('

# traced LOG COMMAND...: runs COMMAND under strace (sync calls, writes to
# stdout, unlinks and renames), its output in $TMP/out, status in rc
traced() {
	log=$1; shift
	# LeakSanitizer cannot run under ptrace (the SAN build); other tests
	# check the same commands for leaks
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -o "$log" -e trace=fsync,fdatasync,syncfs,sync,sync_file_range,msync,write,unlink,unlinkat,rename,renameat,renameat2,link,linkat \
		"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
syncs() { grep -cE "$SYNCS" "$1"; }

"$BUILD/mksample" --bench 12 --megapixels 0.05 "$TMP/twelve" >/dev/null
mkdir -p "$TMP/three"
cp "$TMP/twelve/bench-00001.jpg" "$TMP/twelve/bench-00002.jpg" "$TMP/twelve/bench-00003.jpg" "$TMP/three/"

# ---- scrub -o DIR: 3 files and 12 files, the same number of syncs ----------
traced "$TMP/s3.log" "$PV" scrub --jobs 2 -o "$TMP/o3" "$TMP/three"/*.jpg
check_eq "scrub of 3 files exits 0" 0 "$rc"
traced "$TMP/s12.log" "$PV" scrub --jobs 2 -o "$TMP/o12" "$TMP/twelve"/*.jpg
check_eq "scrub of 12 files exits 0" 0 "$rc"
check_eq "scrub wrote 12 clean copies" 12 "$(ls "$TMP/o12" | wc -l)"
check_eq "no temporary file is left" "" "$(ls -A "$TMP/o12" | grep '^\.pv-write' || true)"
s3=$(syncs "$TMP/s3.log"); s12=$(syncs "$TMP/s12.log")
check_eq "scrub -o: as many syncs for 12 files as for 3 ($s3)" "$s3" "$s12"
if [ "$s12" -le 4 ]; then ok "scrub -o: at most 4 syncs for 12 files ($s12)"
else fail "scrub -o: at most 4 syncs for 12 files" "$(grep -E "$SYNCS" "$TMP/s12.log" | head -30)"; fi

# the first report line is written after the last sync, and every clean copy
# got its name (link) before that last sync
first_say=$(grep -nE '^[0-9]+ +write\(1, ' "$TMP/s12.log" | head -1 | cut -d: -f1)
last_sync=$(grep -nE "$SYNCS" "$TMP/s12.log" | tail -1 | cut -d: -f1)
last_name=$(grep -nE '^[0-9]+ +(link|linkat|rename|renameat2?)\(' "$TMP/s12.log" | tail -1 | cut -d: -f1)
if [ -n "$first_say" ] && [ -n "$last_sync" ] && [ "$last_sync" -lt "$first_say" ]; then
	ok "scrub says a file is done only after the sync"
else fail "scrub says a file is done only after the sync" "sync at line $last_sync, first line said at $first_say"; fi
if [ -n "$last_name" ] && [ "$last_name" -lt "$last_sync" ]; then ok "the names are synced too"
else fail "the names are synced too" "last name given at line $last_name, last sync at $last_sync"; fi

# ---- scrub --in-place: the same, and the bytes are synced before a rename
# replaces an original ---------------------------------------------------------
cp -r "$TMP/twelve" "$TMP/inplace"
traced "$TMP/si.log" "$PV" scrub --jobs 2 --in-place "$TMP/inplace"/*.jpg
check_eq "scrub --in-place of 12 files exits 0" 0 "$rc"
si=$(syncs "$TMP/si.log")
if [ "$si" -le 4 ]; then ok "scrub --in-place: at most 4 syncs for 12 files ($si)"
else fail "scrub --in-place: at most 4 syncs for 12 files" "$(grep -E "$SYNCS" "$TMP/si.log" | head -30)"; fi
first_sync=$(grep -nE "$SYNCS" "$TMP/si.log" | head -1 | cut -d: -f1)
first_rename=$(grep -nE '^[0-9]+ +rename(at2?)?\(' "$TMP/si.log" | head -1 | cut -d: -f1)
if [ -n "$first_rename" ] && [ -n "$first_sync" ] && [ "$first_sync" -lt "$first_rename" ]; then
	ok "in place, no original is replaced before the clean bytes are synced"
else fail "in place, no original is replaced before the clean bytes are synced" \
	"first sync at line $first_sync, first rename at $first_rename"; fi
"$PV" inspect "$TMP/inplace"/*.jpg >"$TMP/inspect.out" 2>&1
check_eq "in place: every file is clean" 12 "$(grep -c 'Nothing identifying found' "$TMP/inspect.out")"

# ---- ingest: 3 photos and 12 photos, one batch each --------------------------
ingest_traced() {
	rm -rf "$A"; "$PV" --archive "$A" init >/dev/null
	cp "$1"/*.jpg "$A/drop/"
	traced "$2" "$PV" --archive "$A" ingest --quiet --jobs 2
}
ingest_traced "$TMP/three" "$TMP/i3.log"
check_eq "ingest of 3 photos exits 0" 0 "$rc"
ingest_traced "$TMP/twelve" "$TMP/i12.log"
check_eq "ingest of 12 photos exits 0" 0 "$rc"
check_eq "ingest took all 12" 12 "$("$PV" --archive "$A" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')"
check_eq "the drop folder is empty" "" "$(ls "$A/drop")"
i3=$(syncs "$TMP/i3.log"); i12=$(syncs "$TMP/i12.log")
# 12 photos are 36 stored files: synced one by one, that is 72 syncs or more
if [ "$i12" -le $((i3 + 2)) ] && [ "$i12" -lt 12 ]; then
	ok "ingest: syncs do not grow with the photos ($i3 for 3, $i12 for 12)"
else fail "ingest: syncs do not grow with the photos" "$i3 for 3 photos, $i12 for 12:" \
	"$(grep -E "$SYNCS" "$TMP/i12.log" | head -40)"; fi

# no original is removed before a sync that follows the last stored file,
# and the catalogue's COMMIT (its own sync) comes after the files' sync
first_unlink=$(grep -nE "^[0-9]+ +unlink(at)?\(.*$A/drop/bench" "$TMP/i12.log" | head -1 | cut -d: -f1)
last_store=$(grep -nE "^[0-9]+ +rename(at2?)?\(.*$A/media/" "$TMP/i12.log" | tail -1 | cut -d: -f1)
fs_sync=$(awk -v s="$last_store" 'NR > s && /^[0-9]+ +(fsync|fdatasync|syncfs)\(/ { print NR; exit }' "$TMP/i12.log")
if [ -n "$first_unlink" ] && [ -n "$fs_sync" ] && [ "$fs_sync" -lt "$first_unlink" ]; then
	ok "ingest removes originals only after the stored files are synced"
else fail "ingest removes originals only after the stored files are synced" \
	"last stored at line $last_store, files synced at ${fs_sync:-never}, first original removed at $first_unlink"; fi
db_sync=$(awk -v s="${fs_sync:-0}" 'NR > s && /^[0-9]+ +f(data)?sync\(/ { print NR; exit }' "$TMP/i12.log")
if [ -n "$db_sync" ] && [ "$db_sync" -lt "$first_unlink" ]; then
	ok "the catalogue is synced after the files and before any original goes"
else fail "the catalogue is synced after the files and before any original goes" \
	"files synced at ${fs_sync:-never}, catalogue synced at ${db_sync:-never}, first removal at $first_unlink"; fi

done_testing
