#!/bin/sh
# Runs libFuzzer targets for a while each and sums up what they did.
# Usage: tests/fuzz/run.sh FUZZ_BUILD SECONDS JOBS NAME...
#   FUZZ_BUILD/fuzz/fuzz_NAME   the target binaries (make fuzz builds them)
#   FUZZ_BUILD/corpus/NAME/     inputs libFuzzer found new coverage with
#                               (kept between runs; the committed seeds in
#                               tests/fuzz/corpus/NAME/ are read, never written)
#   FUZZ_BUILD/findings/NAME/   crash-*, leak-*, timeout-*, oom-* inputs
#   FUZZ_BUILD/logs/NAME.log    libFuzzer's output
# Exit status 1 when any target found something.
set -u
B=${1:?usage: run.sh FUZZ_BUILD SECONDS JOBS NAME...}
SECS=${2:?}; JOBS=${3:?}; shift 3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
mkdir -p "$B/logs"

run_one() {
	name=$1
	mkdir -p "$B/corpus/$name" "$B/findings/$name"
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	# -rss_limit_mb: photovoice must stay well inside this for any input
	"$B/fuzz/fuzz_$name" $dict -max_total_time="$SECS" -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$B/findings/$name/" \
		"$B/corpus/$name" "tests/fuzz/corpus/$name" >"$B/logs/$name.log" 2>&1
	echo "$name exited $?" >>"$B/logs/$name.log"
}

if [ "${FUZZ_RUN_ONE:-}" ]; then
	run_one "$FUZZ_RUN_ONE"
	exit 0
fi

echo "Fuzzing $* for $SECS s each, $JOBS at a time (logs in $B/logs/)"
printf '%s\n' "$@" | xargs -P "$JOBS" -I{} env FUZZ_RUN_ONE={} sh "$0" "$B" "$SECS" "$JOBS"

found=0
printf '%-10s %8s %12s %8s %7s %7s %6s  %s\n' target seconds executions exec/s cov ft corpus findings
for name in "$@"; do
	log="$B/logs/$name.log"
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
	n=$(find "$B/findings/$name" -type f | wc -l)
	found=$((found + n))
	printf '%-10s %8s %12s %8s %7s %7s %6s  %s\n' "$name" "${secs:--}" \
		"${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" "${corp:--}" "$n"
done
if [ "$found" -gt 0 ]; then
	echo "Findings (keep each, once fixed, in tests/fuzz/regressions/NAME/):"
	find "$B/findings" -type f | sed 's/^/  /'
	exit 1
fi
