#!/bin/sh
# Runs every test: the cmocka unit tests (TAP output) and the end-to-end
# scripts in tests/e2e/ (TAP as well), and ends with one line
#   N passed, N failed[, N skipped]
# Exit status: 0 when nothing failed.
# Usage: tests/run.sh BUILD_DIR [PATTERN]
BUILD=${1:?usage: tests/run.sh BUILD_DIR [PATTERN]}
PATTERN=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
LOGDIR="$BUILD/test-logs"
rm -rf "$LOGDIR"; mkdir -p "$LOGDIR"
passed=0; failed=0; skipped=0

# Counts the TAP lines of one test program's output; a program that exits
# non-zero without reporting a failure (a crash) counts as one failure.
tally() {
	name=$1; log=$2; rc=$3; took=$(( $(date +%s) - $4 ))
	p=$(grep -E '^ok [0-9]+' "$log" | grep -vc '# SKIP' || true)
	s=$(grep -E '^(not )?ok [0-9]+ # SKIP' "$log" | wc -l)
	f=$(grep -E '^not ok [0-9]+' "$log" | grep -vc '# SKIP' || true)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $name exited with status $rc" >>"$log"; fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -eq 0 ]; then status=ok; else status=FAIL; fi
	printf '%-28s %4s passed %3s failed %3s skipped  %-4s %4s s\n' "$name" "$p" "$f" "$s" \
		"$status" "$took"
	if [ "$f" -ne 0 ]; then
		grep -E '^not ok|^#' "$log" | grep -v '# SKIP' | head -40 | sed 's/^/    /'
	fi
}

export PV_TEST_BIN="$BUILD/photovoice"
export PV_TEST_BUILD="$BUILD"
export PV_TEST_ROOT="$ROOT"
export CMOCKA_MESSAGE_OUTPUT=TAP
# The tests read photovoice's English sentences, whatever the machine's
# locale; t44-i18n chooses its languages itself.
export PHOTOVOICE_LANG=en
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$ROOT"

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	log="$LOGDIR/$name.log"
	start=$(date +%s)
	"$t" >"$log" 2>&1; rc=$?
	tally "$name" "$log" "$rc" "$start"
done

for t in tests/e2e/t*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	log="$LOGDIR/$name.log"
	start=$(date +%s)
	sh "$t" >"$log" 2>&1; rc=$?
	tally "$name" "$log" "$rc" "$start"
done

echo "Logs: $LOGDIR"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
