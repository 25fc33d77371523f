#!/bin/sh
# make bench, the start-up part (issue 13): how long `photovoice --version`
# and `photovoice search` take from start to exit, against the sqlite3 shell
# opening the same catalogue (`sqlite3 catalogue.db 'select 1'`), and against
# photovoice-full, the whole program (what every command cost before the
# light half: all 64 libraries loaded and relocated). Target: both under 4 ms.
#
# On an archive of the sample drop folder (the demo's), made once in
# BUILD/bench/startup-archive. BENCH_STARTUP_ROUNDS (3) rounds, each starting
# every command BENCH_STARTUP_RUNS (200) times in turn (tests/bench/
# startup_timer.c: fork + exec + wait, output to /dev/null); the median is the
# median of the rounds' medians, p10-p90 the widest over the rounds, and the
# rounds' medians show the run-to-run noise.
#
# Runs alone:  make bench BENCH_ONLY=startup
#         or   sh tests/bench/startup.sh BUILD_DIR   (after make bench once)
set -eu
BUILD=$(cd "${1:?usage: tests/bench/startup.sh BUILD_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PV="$BUILD/photovoice"
FULL="$BUILD/photovoice-full"
TIMER="$BUILD/startup_timer"
ROUNDS=${BENCH_STARTUP_ROUNDS:-3}
RUNS=${BENCH_STARTUP_RUNS:-200}
AR="$BUILD/bench/startup-archive"
for tool in "$PV" "$FULL" "$TIMER"; do
	[ -x "$tool" ] || { echo "start-up bench: $tool is missing; run 'make bench'." >&2; exit 1; }
done

if [ ! -f "$AR/catalogue.db" ]; then
	[ -f "$ROOT/sample-media/drop/.generated" ] ||
		{ echo "start-up bench: no sample drop folder; run 'make bench'." >&2; exit 1; }
	rm -rf "$AR"
	mkdir -p "$BUILD/bench"
	"$PV" --archive "$AR" init >/dev/null
	cp -r "$ROOT/sample-media/drop/." "$AR/drop/"
	rm -f "$AR/drop/.generated"
	"$PV" --archive "$AR" ingest --quiet >/dev/null 2>&1 || true
fi
entries=$("$PV" --archive "$AR" list | grep -cE '^ *[0-9]+ ' || true)
found=$("$PV" --archive "$AR" search klik | grep -cE '^ *[0-9]+ ' || true)

# the commands timed: label N, and start N under the timer
NCMD=4
command -v sqlite3 >/dev/null 2>&1 && NCMD=5
label() {
	case $1 in
	1) echo "photovoice --version" ;;
	2) echo "photovoice search klik" ;;
	3) echo "photovoice-full --version" ;;
	4) echo "photovoice-full search klik" ;;
	5) echo "sqlite3 catalogue.db 'select 1'" ;;
	esac
}
timed() {
	case $1 in
	1) "$TIMER" "$RUNS" "$PV" --version ;;
	2) "$TIMER" "$RUNS" "$PV" --archive "$AR" search klik ;;
	3) "$TIMER" "$RUNS" "$FULL" --version ;;
	4) "$TIMER" "$RUNS" "$FULL" --archive "$AR" search klik ;;
	5) "$TIMER" "$RUNS" sqlite3 "$AR/catalogue.db" 'select 1' ;;
	esac
}

echo "Archive: the sample drop folder, $entries entries ('klik' finds $found); $(nproc) cores, $(uname -m)"
echo "$ROUNDS rounds of $RUNS starts of each command, in turn"
RES="$BUILD/bench/startup-results"
: >"$RES"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	i=1
	while [ "$i" -le "$NCMD" ]; do
		printf '%s %s\n' "$i" "$(timed "$i")" >>"$RES"
		i=$((i + 1))
	done
	r=$((r + 1))
done

# the median of the rounds' medians of command N
median_of() {
	awk -v i="$1" '$1 == i { print $2 }' "$RES" | sort -n |
		awk '{ m[NR] = $1 } END { print m[int((NR + 1) / 2)] }'
}
base=""
[ "$NCMD" -lt 5 ] || base=$(median_of 5)
printf '  %-32s %9s %13s  %-20s %10s\n' command "median ms" "p10-p90 ms" "rounds' medians" "vs sqlite3"
i=1
while [ "$i" -le "$NCMD" ]; do
	awk -v i="$i" -v label="$(label "$i")" -v m="$(median_of "$i")" -v base="$base" '$1 == i {
		if (lo == "" || $3 < lo) lo = $3; if ($4 > hi) hi = $4
		list = list sprintf("%.2f ", $2) }
	END {
		ratio = base != "" ? sprintf("%9.2fx", m / base) : "         -"
		printf "  %-32s %9.2f %6.2f-%-6.2f  %-20s %10s\n", label, m, lo, hi, list, ratio }' "$RES"
	i=$((i + 1))
done
[ -n "$base" ] || echo "  (sqlite3 is not installed: no comparison)"
echo "  (\"vs sqlite3\": the command's median over the sqlite3 shell's. photovoice is the light half;"
echo "   photovoice-full is the whole program, as every command started before. Target: photovoice"
echo "   --version and search under 4 ms.)"
