#!/bin/sh
# Files that change while they are being taken. During a 40-photo run a photo
# or a caption file is replaced at exact moments (the PV_TEST_WAIT hook: the
# run waits at POINT:N until the test says go): after the caption files were
# read (scanned), after a worker read the photo (read), just before a batch's
# COMMIT (commit) and after it (committed); in place (truncate and write, the
# same file) and by rename (a new file written and renamed over). In `ingest`
# and in `watch`. The original is removed only when it is still the file that
# was read: the replaced file stays in the drop folder, the next run takes it
# with its NEW content, and nothing is lost.
. "$(dirname "$0")/lib.sh"

D="$A/drop"
W="$TMP/wait"
"$BUILD/mksample" --bench 41 --megapixels 0.2 "$TMP/src" >/dev/null
NEW_PHOTO="$TMP/src/bench-00041.jpg"
# the sha256 the replacement photo gets in an archive
"$PV" --archive "$TMP/ref" init >/dev/null
cp "$NEW_PHOTO" "$TMP/ref/drop/"
"$PV" --archive "$TMP/ref" ingest --quiet >/dev/null 2>&1
NEW_SHA=$(pv --archive "$TMP/ref" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][0]["sha256"])')

fill() {
	new_archive
	i=1
	while [ "$i" -le 40 ]; do
		n=$(printf '%05d' "$i")
		cp "$TMP/src/bench-$n.jpg" "$D/foto-$n.jpg"
		printf 'Caption: oud %s\n' "$n" >"$D/foto-$n.txt"
		i=$((i + 1))
	done
}
# replace FILE CONTENT_FILE MODE
replace() {
	if [ "$3" = inplace ]; then cat "$2" >"$1"
	else cp "$2" "$TMP/new.tmp" && mv "$TMP/new.tmp" "$1"; fi
}
# catalogue QUERY: python over the entries of `list --json` (e: the entries)
catalogue() { pv list --json | python3 -c "import json,sys; e=json.load(sys.stdin)['entries']; print($1)"; }
files_left() { find "$D" -path "$D/.quarantine" -prune -o -type f -print | wc -l; }

# start_paused POINT:N COMMAND...: runs the command in the background with the
# hook, waits until it is paused; $X is the photo it names (at "scanned",
# foto-00007.jpg)
start_paused() {
	rm -rf "$W"; mkdir "$W"
	PV_TEST_WAIT=$1 PV_TEST_WAIT_DIR=$W; export PV_TEST_WAIT PV_TEST_WAIT_DIR
	shift
	"$@" >"$TMP/run.out" 2>"$TMP/run.err" &
	RUN_PID=$!
	unset PV_TEST_WAIT PV_TEST_WAIT_DIR
	i=0; while [ ! -e "$W/reached" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	X=$(cat "$W/reached" 2>/dev/null)
	case "$X" in *.jpg) ;; *) X="$D/foto-00007.jpg" ;; esac
}
go() { touch "$W/go"; wait "$RUN_PID"; rc=$?; }

# expect KIND MOMENT MODE WHAT: the checks after the paused run and the next one
expect() {
	kind=$1; moment=$2; mode=$3; what="$1 $2 $3 ($4)"
	n=$(basename "$X" .jpg | sed 's/foto-//')
	if [ "$kind$moment" = photoscanned ]; then   # not read yet: this run reads the new one
		check_eq "$what: a photo replaced before it is read is taken as it is now" \
			"oud $n" "$(catalogue "[x['caption'] for x in e if x['sha256'] == '$NEW_SHA']" | tr -d "[]'")"
		check_eq "$what: 40 entries, nothing left" "40 0" "$(catalogue "len(e)") $(files_left)"
		return
	fi
	check_eq "$what: the run that saw the change ends with exit 1" 1 "$rc"
	check_grep "$what: it names the file and says it changed" "foto-$n\.jpg: .*changed" "$TMP/run.err"
	# (watch's own next run may have taken it already: the replacement is an arrival)
	[ "$4" = watch ] || check "$what: the replaced file is still in the drop folder" test -f "$X"
	run "$TMP/out" "$TMP/err" pv ingest
	if [ "$kind" = photo ]; then
		check_eq "$what: the next run enters the NEW photo, with its caption file's words" \
			"oud $n" "$(catalogue "[x['caption'] for x in e if x['sha256'] == '$NEW_SHA']" | tr -d "[]'")"
		want=40; [ "$moment" = committed ] && want=41
		check_eq "$what: every other photo is there once, the old one only if it was entered before the change" \
			"$want" "$(catalogue "len(e)")"
	elif [ "$moment" = committed ]; then
		check_eq "$what: the old words were entered" 1 "$(catalogue "sum(x['caption'] == 'oud $n' for x in e)")"
		q=$(grep -rl "nieuw $n" "$D/.quarantine" 2>/dev/null | head -n 1)
		check "$what: the new words are kept in the quarantine" test -n "$q"
		check_grep "$what: with a reason naming the entry" 'as entry [0-9]' "$q.reason.txt"
	else
		check_eq "$what: the next run enters the NEW words" 1 "$(catalogue "sum(x['caption'] == 'nieuw $n' for x in e)")"
		check_eq "$what: and not the old ones" 0 "$(catalogue "sum(x['caption'] == 'oud $n' for x in e)")"
		check_eq "$what: 40 entries" 40 "$(catalogue "len(e)")"
	fi
	check_eq "$what: nothing is left in the drop folder" 0 "$(files_left)"
}

# ---- ingest ---------------------------------------------------------------------
for point in scanned:1 read:20 commit:2 committed:2; do
	for mode in inplace rename; do
		fill
		start_paused "$point" pv ingest --jobs 2
		replace "$X" "$NEW_PHOTO" "$mode"
		go
		expect photo "${point%%:*}" "$mode" ingest

		fill
		start_paused "$point" pv ingest --jobs 2
		printf 'Caption: nieuw %s\n' "$(basename "$X" .jpg | sed 's/foto-//')" >"$TMP/words"
		replace "${X%.jpg}.txt" "$TMP/words" "$mode"
		go
		expect caption "${point%%:*}" "$mode" ingest
	done
done

# ---- killed between COMMIT and removal, then a caption file re-saved: the next
# run finishes the photo, and keeps the new words (never deletes them unread)
new_archive
for n in 00001 00002 00003; do
	cp "$TMP/src/bench-$n.jpg" "$D/foto-$n.jpg"; printf 'Caption: oud %s\n' "$n" >"$D/foto-$n.txt"
done
PV_TEST_CRASH=committed:1 "$PV" ingest --quiet >/dev/null 2>&1
check "killed after the COMMIT, the caption files are still there" test -f "$D/foto-00002.txt"
printf 'Caption: nieuw 00002\n' >"$D/foto-00002.txt"
run "$TMP/out" "$TMP/err" pv ingest
q=$(grep -rl "nieuw 00002" "$D" 2>/dev/null | head -n 1)
check "the re-saved words of a recovered photo are kept (in the quarantine)" test -n "$q"
check_grep "with a reason naming the entry" 'as entry [0-9]' "$q.reason.txt"

# ---- watch: the same hook in its run; stopped once the run is done -----------------
stop_watch() {
	i=0; while ! grep -q '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] ' "$TMP/run.out" && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1)); done
	kill -TERM "$RUN_PID"; wait "$RUN_PID"
	rc=1   # the round's line and the stop's exit say what was left; checked below
}
for point in read:20 commit:2 committed:1; do
	for mode in inplace rename; do
		for kind in photo caption; do
			fill
			start_paused "$point" "$PV" watch --grace 0
			if [ "$kind" = photo ]; then replace "$X" "$NEW_PHOTO" "$mode"
			else
				printf 'Caption: nieuw %s\n' "$(basename "$X" .jpg | sed 's/foto-//')" >"$TMP/words"
				replace "${X%.jpg}.txt" "$TMP/words" "$mode"
			fi
			touch "$W/go"
			stop_watch
			check_grep "watch $kind ${point%%:*} $mode: the round says something was left for later" \
				' [1-9][0-9]* left for later$' "$TMP/run.out"
			expect "$kind" "${point%%:*}" "$mode" watch
		done
	done
done

done_testing
