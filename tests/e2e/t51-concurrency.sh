#!/bin/sh
# Concurrency: two ingests at once, an ingest and a watch, an ingest and
# bundles at once. No corruption, no photo entered twice or lost, and where
# one command must wait or give way it says so in a sentence.
. "$(dirname "$0")/lib.sh"

N=40
STATE="python3 $ROOT/tests/e2e/archive_state.py"
POOL="$TMP/pool"
"$BUILD/mksample" --bench "$N" --megapixels 0.02 "$TMP/made" >/dev/null
mkdir -p "$POOL"
i=0
for f in "$TMP"/made/*.jpg; do
	i=$((i + 1))
	mv "$f" "$POOL/foto-$i.jpg"
	printf 'Onderschrift: conc-%d\nToestemming: poster\nTrefwoorden: conc\n' "$i" >"$POOL/foto-$i.txt"
done
state() { $STATE "$PV" "$A" "$A/drop" conc "$N" >"$TMP/state" 2>&1 || echo "error state" >>"$TMP/state"; }
val() { sed -n "s/^$1 //p" "$TMP/state"; }

# ---- two ingests at once, many times ----------------------------------------
refused=0; both_ran=0; bad_exit=0; no_sentence=0; lost=0; doubled=0; bad_integrity=0; not_all=0
for trial in 1 2 3 4 5 6 7 8; do
	new_archive
	cp "$POOL"/* "$A/drop/"
	"$PV" ingest --quiet >"$TMP/o1" 2>"$TMP/e1" &
	p1=$!
	"$PV" ingest --quiet >"$TMP/o2" 2>"$TMP/e2" &
	p2=$!
	wait "$p1"; r1=$?
	wait "$p2"; r2=$?
	[ "$r1" = 0 ] && [ "$r2" = 0 ] && both_ran=$((both_ran + 1))
	for r in "$r1:$TMP/e1" "$r2:$TMP/e2"; do
		st=${r%%:*}; err=${r#*:}
		case $st in
		0) ;;
		3) refused=$((refused + 1))
		   grep -q 'Another photovoice command is changing this archive' "$err" ||
			no_sentence=$((no_sentence + 1)) ;;
		*) bad_exit=$((bad_exit + 1)); echo "# trial $trial: an ingest exited $st: $(head -c 300 "$err")" ;;
		esac
	done
	state
	[ "$(val integrity)" = ok ] || bad_integrity=$((bad_integrity + 1))
	lost=$((lost + $(val lost)))
	doubled=$((doubled + $(val doubled)))
	# whichever ran took everything; the other one took nothing
	[ "$(val entries)" = "$N" ] && [ "$(val in_drop)" = 0 ] || not_all=$((not_all + 1))
done
echo "# 8 trials of two ingests at once: $both_ran times both ran, $refused times one refused"
check_eq "two ingests at once: each exits 0 or 3" 0 "$bad_exit"
# the second waits its turn (PV_LOCK_TURN_MS) rather than failing at once
check "at least once the second ingest waited its turn and ran" test "$both_ran" -gt 0
check_eq "the one that gives way says another command is changing the archive" 0 "$no_sentence"
check_eq "two ingests at once: integrity_check always ok" 0 "$bad_integrity"
check_eq "two ingests at once: no photo lost" 0 "$lost"
check_eq "two ingests at once: no photo entered twice" 0 "$doubled"
check_eq "two ingests at once: every photo taken, the drop folder empty" 0 "$not_all"

# ---- an ingest and bundles at once ---------------------------------------------
new_archive
cp "$POOL"/* "$A/drop/"
"$PV" ingest --quiet >/dev/null 2>"$TMP/ei" &
pi=$!
bundles=0; bad_bundle=0; bundle_fail=0
while kill -0 "$pi" 2>/dev/null || [ "$bundles" -lt 3 ]; do
	bundles=$((bundles + 1))
	rm -f "$TMP/b.zip"
	"$PV" bundle --tag conc -o "$TMP/b.zip" >/dev/null 2>"$TMP/eb"; rb=$?
	if [ "$rb" -eq 0 ]; then
		# a bundle made while photos arrive is still whole: every photo it
		# lists is in it and matches its checksum
		python3 - "$TMP/b.zip" >"$TMP/bcheck" 2>&1 <<'EOF' || bad_bundle=$((bad_bundle + 1))
import hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
sums = {}
for line in z.read("SHA256SUMS").decode().splitlines():
    digest, name = line.split(None, 1)
    sums[name.lstrip("*")] = digest
for name, digest in sums.items():
    assert hashlib.sha256(z.read(name)).hexdigest() == digest, name
photos = [n for n in z.namelist() if n.startswith("photos/")]
assert all(p in sums for p in photos)
EOF
	else
		# an empty selection (nothing ingested yet) is a sentence, not a crash
		[ "$rb" -eq 1 ] || [ "$rb" -eq 3 ] && grep -q '[a-z]' "$TMP/eb" || { bundle_fail=$((bundle_fail + 1)); echo "# bundle exited $rb: $(head -c 300 "$TMP/eb")"; }
	fi
	[ "$bundles" -lt 200 ] || break
done
wait "$pi"; ri=$?
echo "# $bundles bundles made while one ingest ran (ingest exit $ri)"
# a bundle records itself in the catalogue, so it takes the write lock: an
# ingest that meets one gives way with its sentence, and the next one works
case $ri in
0) ok "the ingest beside the bundles ran (exit 0)" ;;
3) check_grep "the ingest beside a bundle gives way with a sentence" 'Another photovoice command' "$TMP/ei"
   pv ingest --quiet >/dev/null 2>"$TMP/ei"; ri=$? ;;
*) fail "the ingest beside the bundles exits 0 or 3" "exit $ri: $(head -c 300 "$TMP/ei")" ;;
esac
check_eq "the ingest beside the bundles (run again if it gave way) exits 0" 0 "$ri"
check_eq "every bundle made during the ingest is whole and matches its checksums" 0 "$bad_bundle"
check_eq "a bundle during the ingest never failed but with a sentence" 0 "$bundle_fail"
state
check_eq "ingest and bundles at once: integrity_check ok" ok "$(val integrity)"
check_eq "ingest and bundles at once: every photo once" "$N 0 0" "$(val entries) $(val doubled) $(val lost)"

# ---- an ingest and a watch at once ----------------------------------------------
if ! "$PV" watch --help >/dev/null 2>&1; then
	skip "photovoice watch is not there yet"
else
	new_archive
	"$PV" watch >"$TMP/ow" 2>"$TMP/ew" &
	pw=$!
	sleep 1
	cp "$POOL"/* "$A/drop/"
	"$PV" ingest --quiet >/dev/null 2>"$TMP/ei"; ri=$?
	case $ri in
	0) ok "an ingest beside a watch runs (exit 0)" ;;
	3) check_grep "an ingest beside a watch gives way with a sentence" 'Another photovoice command' "$TMP/ei" ;;
	*) fail "an ingest beside a watch exits 0 or 3" "exit $ri: $(head -c 300 "$TMP/ei")" ;;
	esac
	# give the watch time to take what is left, then stop it
	tries=0
	while [ "$tries" -lt 50 ]; do
		state
		[ "$(val in_drop)" = 0 ] && break
		tries=$((tries + 1)); sleep 0.2
	done
	kill -INT "$pw" 2>/dev/null; wait "$pw"
	state
	check_eq "ingest and watch at once: integrity_check ok" ok "$(val integrity)"
	check_eq "ingest and watch at once: every photo once, the drop folder empty" "$N 0 0 0" \
		"$(val entries) $(val doubled) $(val lost) $(val in_drop)"
fi

done_testing
