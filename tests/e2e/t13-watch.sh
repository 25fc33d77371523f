#!/bin/sh
# photovoice watch end to end: started in the background, it takes what was
# there, files renamed into place, a slow writer only once it is done, a
# caption file arriving just after its photo, new subfolders; never a hidden
# file or anything through a link; leaves the lock free between runs; sets a
# caption file without a photo aside after its wait; stops cleanly on
# SIGTERM and SIGINT, also in the middle of a run (exit 1 while files are
# still in the drop folder, t19).
. "$(dirname "$0")/lib.sh"

S="$ROOT/sample-media/drop"
D="$A/drop"
WATCH_PID=
trap '[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null; rm -rf "$TMP"' EXIT

# until SECONDS COMMAND...: polls every 0.1 s until COMMAND succeeds
until_ok() {
	_limit=$(($1 * 10)); shift; _i=0
	while [ $_i -lt $_limit ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}
count() { pv list --json "$@" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }
count_is() { [ "$(count)" = "$1" ]; }
gone() { [ ! -e "$1" ]; }
start_watch() {   # start_watch LOG ARGS...
	_log=$1; shift
	"$PV" watch "$@" >"$_log.out" 2>"$_log.err" &
	WATCH_PID=$!
	until_ok 20 grep -q '^Watching ' "$_log.out" || fail "watch started" "$(cat "$_log.out" "$_log.err")"
}
# stop_watch SIGNAL: sends it and keeps the exit status in $rc
stop_watch() {
	kill "-$1" "$WATCH_PID"
	wait "$WATCH_PID"; rc=$?
	WATCH_PID=
}
# drop SRC DEST: copied under a hidden name, then renamed into place
drop() {
	mkdir -p "$(dirname "$2")"
	cp "$1" "$(dirname "$2")/.incoming.tmp" && mv "$(dirname "$2")/.incoming.tmp" "$2"
}

new_archive
cp "$S/DSC_0087.jpg" "$D/er-al.jpg"
start_watch "$TMP/w1" --grace 1
check "a photo already there is taken by the first run" until_ok 30 count_is 1
check "and leaves the drop folder" gone "$D/er-al.jpg"

# renamed into place, its caption file arriving just after it
drop "$S/de-klik.jpg" "$D/de-klik.jpg"
drop "$S/de-klik.txt" "$D/de-klik.txt"
check "a photo renamed into place is taken" until_ok 30 count_is 2
check_eq "the caption file that came just after it travelled with it" "De klik" \
	"$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][1]["title"])')"
check "the caption file left the drop folder too" gone "$D/de-klik.txt"

# a slow writer: half the photo, a pause longer than the grace, the rest
size=$(stat -c %s "$S/IMG_3310.jpg")
half=$((size / 2))
{ head -c "$half" "$S/IMG_3310.jpg"; sleep 2.5; tail -c +"$((half + 1))" "$S/IMG_3310.jpg"; } >"$D/langzaam.jpg"
check "a slowly written photo is taken once it is complete" until_ok 30 count_is 3
check_eq "and nothing was set aside as cut off" "" "$(ls "$D/.quarantine")"
check_nogrep "no run looked at it before it was complete (none left it for later)" 'langzaam' "$TMP/w1.err"

# a subfolder made while watching: the participant
mkdir "$D/sem"
drop "$S/sem/DSC_0012.JPG" "$D/sem/DSC_0012.JPG"
check "a photo in a new subfolder is taken" until_ok 30 count_is 4
check_eq "the subfolder names the participant" 1 "$(count --participant sem)"

# never a hidden file, never anything through a link
mkdir "$TMP/buiten"
ln -s "$TMP/buiten" "$D/link"
cp "$S/IMG_3310.jpg" "$D/.verborgen.jpg"
sleep 0.2
cp "$S/fenna/IMG_2041.jpg" "$TMP/buiten/foto.jpg"
drop "$S/fenna/IMG_2057.jpg" "$D/teken.jpg"    # something to make a run happen
check "the run after them takes the photo beside them" until_ok 30 count_is 5
check "a hidden file is left alone" test -f "$D/.verborgen.jpg"
check "a file in a linked folder outside is never touched" test -f "$TMP/buiten/foto.jpg"

# the lock is free between runs: an ingest, which never waits for it, runs
run "$TMP/out" "$TMP/err" pv ingest --quiet
check_eq "between runs, another command gets the archive (ingest exits 0 or 1, not 3)" yes \
	"$([ "$rc" -ne 3 ] && echo yes || echo "no ($rc): $(cat "$TMP/err")")"

check_grep "a line per photo taken is logged on stdout" '^entry +5 +teken\.jpg' "$TMP/w1.out"
check_grep "and a line per run" '^[0-9]{2}:[0-9]{2}:[0-9]{2}  1 taken, 0 already in the archive, 0 set aside, 0 left for later$' "$TMP/w1.out"
check_nogrep "the log never names the hidden file" 'verborgen' "$TMP/w1.out"
stop_watch TERM
check_eq "SIGTERM stops watch, with exit 1 while a file is still in the drop folder (the hidden one)" 1 "$rc"
check_grep "and it says so" '^Stopped watching' "$TMP/w1.out"
run "$TMP/out" "$TMP/err" pv ingest --quiet
check_eq "the lock is released after the stop" yes "$([ "$rc" -ne 3 ] && echo yes || echo no)"

# a caption file without a photo waits for it (its photo arriving a moment
# later still finds it), then is set aside
start_watch "$TMP/w2" --grace 0.1
printf 'Onderschrift: eerst de tekst\n' >"$D/later.txt"
sleep 0.5
drop "$S/ouders-groep/IMG_0733.jpg" "$D/later.jpg"
check "a photo arriving after its caption file is taken" until_ok 30 count_is 6
check_eq "with that caption file" 1 "$(pv list --json | python3 -c 'import json,sys; print(sum(e["caption"] == "eerst de tekst" for e in json.load(sys.stdin)["entries"]))')"
printf 'Onderschrift: niemand\n' >"$D/eenzaam.txt"
check "a caption file whose photo never comes is set aside after its wait" \
	until_ok 30 test -f "$D/.quarantine/eenzaam.txt"
check_grep "with a reason" 'no photo' "$D/.quarantine/eenzaam.txt.reason.txt"
stop_watch INT
check_eq "SIGINT stops watch (exit 1: the hidden file is still there)" 1 "$rc"

# stopped in the middle of a run: each photo is either still in the drop
# folder or in the archive, never both, never lost
before=$(count)
for f in ouders-groep/IMG_0741.jpg sem/DSC_0019.JPG fenna/IMG_2041.jpg; do
	cp "$S/$f" "$D/stop-$(basename "$f")"
done
start_watch "$TMP/w3" --grace 0
until_ok 30 grep -q '^entry' "$TMP/w3.out"
stop_watch TERM
check_eq "SIGTERM during a run: exit 1 (files are still waiting)" 1 "$rc"
left=$(ls "$D" | grep -c '^stop-')
check_eq "every photo is either taken or still waiting, none lost, none twice" 3 "$(( $(count) - before + left ))"
check_eq "nothing was set aside by the stop" "" "$(ls "$D/.quarantine" | grep stop- || true)"

# a folder moved within the drop folder is still watched under its new name
start_watch "$TMP/w4" --grace 0.2
mkdir -p "$D/oud/diep"
sleep 0.3
mv "$D/oud" "$D/nieuw"
sleep 0.3
drop "$S/sem/DSC_0019.JPG" "$D/nieuw/diep/verplaatst.jpg"
check "a photo in a folder moved inside the drop folder is taken" until_ok 30 test ! -e "$D/nieuw/diep/verplaatst.jpg"
stop_watch TERM

# the drop folder itself removed while watching: exit 3 with a sentence
mkdir "$TMP/los"
start_watch "$TMP/w5" --drop "$TMP/los" --grace 0.1
rm -rf "$TMP/los"
wait "$WATCH_PID"; rc=$?; WATCH_PID=
check_eq "watch stops with exit 3 when its drop folder is removed" 3 "$rc"
check_grep "and says why" 'removed or moved away' "$TMP/w5.err"

# ...also when the run that was waiting for the archive finds it gone: the
# run starts once another command lets go of the archive, and its reading of
# the drop folder fails; the same exit and sentence, not a reading error
if command -v flock >/dev/null 2>&1; then
	mkdir "$TMP/los2"
	rm -f "$TMP/release"
	flock "$A/lock" sh -c "i=0; until [ -e '$TMP/release' ] || [ \$i -ge 600 ]; do sleep 0.1; i=\$((i + 1)); done" &
	holder=$!
	i=0; while flock -n "$A/lock" true && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	start_watch "$TMP/w6" --drop "$TMP/los2" --grace 0.1
	until_ok 30 grep -q '^Waiting for another' "$TMP/w6.out"
	rm -rf "$TMP/los2"
	sleep 0.5
	touch "$TMP/release"; wait "$holder"
	wait "$WATCH_PID"; rc=$?; WATCH_PID=
	check_eq "removed while its run waited for the archive: exit 3" 3 "$rc"
	check_grep "and says it was removed" 'removed or moved away' "$TMP/w6.err"
else
	skip "flock is not installed: a drop folder removed while the run waits"
	skip "flock is not installed: and says why"
fi

# a stream of sendings (a caption file, then its photo renamed into place,
# as serve's phone page writes them) is taken while it still comes: later
# arrivals never push back the run a photo with its caption asked for. The
# stream comes faster than that run's delay, so a debounce would wait for
# its end; the grace (2 s) is far longer than the stream's gaps.
new_archive
"$BUILD/mksample" --bench 24 --megapixels 0.1 "$TMP/stream" >/dev/null
start_watch "$TMP/w7" --grace 2
taken_during=
for f in "$TMP"/stream/*.jpg; do
	b=$(basename "$f" .jpg)
	printf 'Titel: stroom %s\n' "$b" >"$D/$b.txt"
	drop "$f" "$D/$b.jpg"
	grep -q ' taken,' "$TMP/w7.out" && taken_during=${taken_during:-$b}
	sleep 0.2
done
check "a stream of photos with caption files is taken while it still comes" \
	test -n "$taken_during"
check "and all of it in the end, each with its caption file" until_ok 60 count_is 24
check_eq "nothing of the stream was set aside" "" "$(ls "$D/.quarantine")"
check_eq "no caption file of the stream was left behind" "" "$(ls "$D" | grep -c '\.txt$' | grep -v '^0$')"
stop_watch TERM

# a photo without its caption file, just before a sending with one: the
# sending's run comes first and finds the lone photo inside its grace (0.5 s),
# so leaves it; the lone photo's own run still comes after its grace, not
# only at the retry for files left (2 s after that run)
start_watch "$TMP/w8" --grace 0.5
"$BUILD/mksample" --bench 2 --megapixels 0.1 "$TMP/lone" >/dev/null
set -- "$TMP"/lone/*.jpg
t0=$(date +%s%N)
drop "$1" "$D/alleen.jpg"
printf 'Titel: met woorden\n' >"$D/paar.txt"
drop "$2" "$D/paar.jpg"
until_ok 30 grep -q 'alleen\.jpg' "$TMP/w8.out"
t1=$(date +%s%N)
check "a lone photo found inside its grace by a sending's run is taken after its grace" \
	test $(((t1 - t0) / 1000000)) -lt 1800
check_grep "and the sending was taken too" 'paar\.jpg' "$TMP/w8.out"
stop_watch TERM

# bad use
run "$TMP/out" "$TMP/err" pv watch --grace soon
check_eq "a grace that is not a number is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv watch --drop "$TMP/nergens"
check_eq "a drop folder that does not exist is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv --archive "$TMP/geen-archief" watch
check_eq "a missing archive exits 3" 3 "$rc"
check_grep "and says how to create one" 'init' "$TMP/err"

done_testing
