#!/bin/sh
# Kill tests: ingest and bundle are killed with SIGKILL at many different
# moments (random delays from a fixed seed, spread over a whole run), and
# after every kill nothing may be lost or doubled and the catalogue must be
# sound; after each round the next run must finish the work and leave no
# orphan file in media/ and nothing in tmp/. A bundle killed at any moment
# leaves either no output file or a complete one.
#
#   PV_KILLS         total kills (default 200: 160 of ingest, 40 of bundle;
#                    60 under the sanitizers, whose runs are slower)
#   PV_KILL_SEED     the seed of the delays (default 7)
# A bundle writes an unnamed file (O_TMPFILE) that gets its name only when
# complete, so a killed bundle leaves no temporary file beside the output
# either; on a file system without unnamed files it would leave its named one
# (.pv-bundle.*), and that check is skipped.
. "$(dirname "$0")/lib.sh"

case "$BUILD" in */san) default_kills=60 ;; *) default_kills=200 ;; esac
KILLS=${PV_KILLS:-$default_kills}
SEED=${PV_KILL_SEED:-7}
BUNDLE_KILLS=$((KILLS / 5))
INGEST_KILLS=$((KILLS - BUNDLE_KILLS))
N=40
STATE="python3 $ROOT/tests/e2e/archive_state.py"

# ---- the photos: N small distinct photos, each with a canary caption --------
# (the last few of them inside a zip)
POOL="$TMP/pool"
"$BUILD/mksample" --bench "$N" --megapixels 0.02 "$TMP/made" >/dev/null
mkdir -p "$POOL/p1" "$POOL/p2"
i=0
for f in "$TMP"/made/*.jpg; do
	i=$((i + 1))
	case $((i % 3)) in 0) d="$POOL" ;; 1) d="$POOL/p1" ;; *) d="$POOL/p2" ;; esac
	mv "$f" "$d/foto-$i.jpg"
	printf 'Onderschrift: kill-%d\nToestemming: poster\nTrefwoorden: kill\n\nVerhaal %d.\n' \
		"$i" "$i" >"$d/foto-$i.txt"
done
# and a zip submission of the last 6 photos with their caption files
ZIPPED=6
python3 - "$POOL" "$N" "$ZIPPED" <<'EOF'
import os, sys, zipfile
pool, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
where = {}
for d in (pool, pool + "/p1", pool + "/p2"):
    for f in os.listdir(d):
        where[f] = d
with zipfile.ZipFile(pool + "/inzending.zip", "w") as z:
    for i in range(n - k + 1, n + 1):
        for ext in (".jpg", ".txt"):
            f = "foto-%d%s" % (i, ext)
            z.write(os.path.join(where[f], f), "inzending/" + f)
            os.remove(os.path.join(where[f], f))
EOF
fill_drop() { cp -r "$POOL"/* "$A/drop/"; }
state() { $STATE "$PV" "$A" "$A/drop" kill "$N" >"$TMP/state" 2>&1 || echo "error state" >>"$TMP/state"; }
val() { sed -n "s/^$1 //p" "$TMP/state"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# one delay in [0, 1) per line, the same for the same seed
awk -v s="$SEED" -v n="$KILLS" 'BEGIN { srand(s); for (i = 0; i < n * 4; i++) printf "%.4f\n", rand() }' >"$TMP/delays"
delay_line=0
next_delay() {  # next_delay SPAN_MS: prints seconds in [0, SPAN_MS)
	delay_line=$((delay_line + 1))
	r=$(sed -n "${delay_line}p" "$TMP/delays")
	awk -v r="$r" -v span="$1" 'BEGIN { printf "%.3f", r * span / 1000 }'
}

# how long an ingest of the whole pool takes when nobody kills it
new_archive; fill_drop
# Runs that are timed or killed skip the sanitizers' leak check at exit: a
# killed process never reaches it, and its time would only stretch the span
# past the work (the runs that finish a round keep it).
NOLEAK="${ASAN_OPTIONS:-}:detect_leaks=0"
t0=$(now_ms); ASAN_OPTIONS=$NOLEAK pv ingest --quiet >/dev/null 2>&1; t1=$(now_ms)
SPAN=$(( (t1 - t0) * 12 / 10 + 5 ))
echo "# an uninterrupted ingest of $N photos takes $((t1 - t0)) ms; kills fall in 0..$SPAN ms"

# ---- ingest, killed ------------------------------------------------------------
bad_integrity=0; lost=0; doubled=0; quarantined=0; unknown=0; both_seen=0
rounds=0; kills=0; finished_runs=0; points=""
recover_fail=0; orphans=0; tmp_left=0; missing=0; not_all=0; drop_left=0

finish_round() {
	rounds=$((rounds + 1))
	pv ingest --quiet >/dev/null 2>"$TMP/recover.err"; rrc=$?
	state; [ -n "${PV_KILL_DEBUG:-}" ] && echo "# st=$st $(tr "\n" " " <"$TMP/state")"
	[ "$rrc" -eq 0 ] || { recover_fail=$((recover_fail + 1)); echo "# recovery ingest exited $rrc: $(head -c 300 "$TMP/recover.err")"; }
	[ "$(val entries)" = "$N" ] || { not_all=$((not_all + 1)); echo "# round $rounds: $(val entries) entries after recovery"; }
	[ "$(val in_drop)" = 0 ] && [ "$(val sidecar_alone)" = 0 ] || drop_left=$((drop_left + 1))
	orphans=$((orphans + $(val orphans)))
	tmp_left=$((tmp_left + $(val tmp_files)))
	missing=$((missing + $(val missing_media)))
	[ "$(val orphans)$(val tmp_files)" = 00 ] || echo "# round $rounds: $(val orphans) orphans in media/, $(val tmp_files) files in tmp/ after recovery"
}

new_archive; fill_drop; state
while [ "$kills" -lt "$INGEST_KILLS" ]; do
	# a run killed resumes the work: the kill falls anywhere in a whole run
	# (the span shrinks a little whenever a run beat its kill)
	d=$(next_delay "$SPAN")
	ASAN_OPTIONS=$NOLEAK "$PV" ingest --quiet >/dev/null 2>>"$TMP/ingest.err" &   # not through a function: $! must be photovoice itself
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid"; st=$?
	state; [ -n "${PV_KILL_DEBUG:-}" ] && echo "# st=$st $(tr "\n" " " <"$TMP/state")"
	if [ "$st" -eq 137 ]; then
		kills=$((kills + 1))
		points="$points
$(val entries)/$(val in_drop)/$(val media_files)"
	else
		finished_runs=$((finished_runs + 1))
		SPAN=$((SPAN * 9 / 10 + 1))
	fi
	[ "$(val integrity)" = ok ] || { bad_integrity=$((bad_integrity + 1)); echo "# after kill $kills: integrity: $(val integrity)"; }
	lost=$((lost + $(val lost)))
	doubled=$((doubled + $(val doubled)))
	if [ "$(val quarantined)" != 0 ]; then
		quarantined=$((quarantined + $(val quarantined)))
		for r in $(find "$A/drop/.quarantine" -name '*.reason.txt'); do
			echo "# after kill $kills (exit $st) quarantined: ${r#$A/drop/} $(cat "$r")"
		done
		rm -rf "$A/drop/.quarantine"/*
	fi
	unknown=$((unknown + $(val unknown)))
	[ "$(val both)" = 0 ] || both_seen=$((both_seen + 1))
	if [ "$(val in_drop)" = 0 ]; then
		finish_round
		new_archive; fill_drop
	fi
done
finish_round
distinct=$(echo "$points" | sed '/^$/d' | sort -u | wc -l)
echo "# $kills ingest kills in $rounds rounds ($finished_runs runs ended before their kill), $distinct distinct moments (entries/photos left/files in media)"
echo "# $both_seen kills left a photo both in the catalogue and in drop/ until the next run"

check_eq "ingest was killed $INGEST_KILLS times" "$INGEST_KILLS" "$kills"
check "the kills fell at many different moments ($distinct distinct)" test "$distinct" -ge $((INGEST_KILLS / 10))
check_eq "the catalogue passed integrity_check after every kill" 0 "$bad_integrity"
check_eq "no photo was ever lost (in neither the catalogue nor drop/)" 0 "$lost"
check_eq "no photo was ever entered twice" 0 "$doubled"
check_eq "nothing good was ever quarantined" 0 "$quarantined"
check_eq "no entry ever had a caption but its own" 0 "$unknown"
check_eq "the next run always finished without an error" 0 "$recover_fail"
check_eq "the next run always took every photo" 0 "$not_all"
check_eq "the next run always emptied the drop folder" 0 "$drop_left"
check_eq "no orphan file in media/ after the next run" 0 "$orphans"
check_eq "no file left in tmp/ after the next run" 0 "$tmp_left"
check_eq "no catalogue entry without its photo" 0 "$missing"
check_nogrep "no killed run printed a sanitizer report" 'Sanitizer|runtime error' "$TMP/ingest.err"

# ---- bundle, killed ------------------------------------------------------------
# the archive now holds the N photos (the last round's recovery run took them)
OUT="$TMP/out"
mkdir -p "$OUT"
t0=$(now_ms); ASAN_OPTIONS=$NOLEAK pv bundle --tag kill -o "$OUT/whole.zip" >/dev/null 2>&1; t1=$(now_ms)
BSPAN=$(( (t1 - t0) * 12 / 10 + 5 ))
echo "# an uninterrupted bundle of $N photos takes $((t1 - t0)) ms; kills fall in 0..$BSPAN ms"
check "an unkilled bundle is a complete zip" python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
assert len([n for n in z.namelist() if n.startswith("photos/")]) == int(sys.argv[2])' "$OUT/whole.zip" "$N"

bkills=0; partial=0; complete=0; absent=0; temps=0; battempts=0
while [ "$bkills" -lt "$BUNDLE_KILLS" ] && [ "$battempts" -lt $((BUNDLE_KILLS * 3)) ]; do
	battempts=$((battempts + 1))
	rm -f "$OUT/b.zip"
	d=$(next_delay "$BSPAN")
	ASAN_OPTIONS=$NOLEAK "$PV" bundle --tag kill -o "$OUT/b.zip" >/dev/null 2>>"$TMP/bundle.err" &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid"; st=$?
	if [ "$st" -eq 137 ]; then bkills=$((bkills + 1)); else BSPAN=$((BSPAN * 4 / 5 + 1)); fi
	if [ ! -e "$OUT/b.zip" ]; then
		absent=$((absent + 1))
	elif python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
assert len([n for n in z.namelist() if n.startswith("photos/")]) == int(sys.argv[2])' "$OUT/b.zip" "$N" 2>/dev/null; then
		complete=$((complete + 1))
	else
		partial=$((partial + 1))
	fi
	# count, then clear, so that each kill is counted once
	t=$(find "$OUT" -name '.pv-bundle.*' | wc -l)
	temps=$((temps + t))
	find "$OUT" -name '.pv-bundle.*' -exec rm -f {} +
done
echo "# $bkills bundle kills: $absent left no file, $complete a complete one, $partial a partial one; $temps temporary files left beside the output"
check_eq "bundle was killed $BUNDLE_KILLS times" "$BUNDLE_KILLS" "$bkills"
check_eq "a killed bundle never left a partial output file" 0 "$partial"
if python3 -c 'import os, sys; os.close(os.open(sys.argv[1], os.O_TMPFILE | os.O_WRONLY, 0o600))' "$OUT" 2>/dev/null; then
	check_eq "nor a temporary file beside the output" 0 "$temps"
else
	skip "this file system makes no unnamed files (O_TMPFILE): a killed bundle leaves its temporary file"
fi
# That the kills reached into the writing is a sanity check of the test, not of
# photovoice: under the sanitizers a bundle lingers in its leak check after the
# file is in place, and every kill can fall there.
if [ "$absent" -gt 0 ]; then ok "some kills fell before the bundle was in place"
else skip "every kill fell after the bundle was in place (a slow exit, as under the sanitizers)"; fi
check_nogrep "no killed bundle printed a sanitizer report" 'Sanitizer|runtime error' "$TMP/bundle.err"
state
check_eq "bundles killed, the catalogue still passes integrity_check" ok "$(val integrity)"
check_eq "and still holds every photo once" "$N" "$(val entries)"

done_testing
