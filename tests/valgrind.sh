#!/bin/sh
# Runs the whole test suite under valgrind: each unit test program directly,
# and the end-to-end tests with a wrapper standing in for the photovoice
# binary (PV_TEST_BIN), so every command they run is checked.
# Fails when a test fails or valgrind reports anything: invalid reads or
# writes, use of uninitialised values, definite leaks. Known noise of the
# libraries is suppressed in tests/valgrind.supp (each entry says why).
# Usage: tests/valgrind.sh BUILD_DIR [PATTERN]
BUILD=${1:?usage: tests/valgrind.sh BUILD_DIR [PATTERN]}
PATTERN=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
VG="$BUILD/valgrind"
rm -rf "$VG"; mkdir -p "$VG/logs" "$VG/commands"
# JSIMD_FORCENONE=1: libjpeg-turbo's SIMD assembly is opaque to valgrind,
# which then reports the decoded pixels as uninitialised (a known false
# positive, libjpeg-turbo issue #238); its plain C paths are checked instead.
# Each run of the wrapper gets its own log, logs/vg.XXXXXX.log (a process id
# would be reused in a long run, and a later log would wipe an earlier
# report), and its command line beside it in commands/vg.XXXXXX. A run that
# kills itself at a crash point (PV_TEST_CRASH, t16) is checked for
# everything but leaks: valgrind does its leak check after the kill, with
# the work of the other threads cut off mid-way, and would call that work's
# memory lost.
# --trace-children=yes: photovoice runs photovoice-full in its place for the
# commands that need the picture libraries (src/cli/full.c); valgrind follows
# it into that program (the same process, so the same log file).
cat >"$VG/photovoice" <<WRAP
#!/bin/sh
id=\$(mktemp "$VG/commands/vg.XXXXXX")
printf '%s\\n' "\$*" >"\$id"
leaks=full
[ -z "\$PV_TEST_CRASH" ] || leaks=no
JSIMD_FORCENONE=1 exec valgrind -q --trace-children=yes --leak-check=\$leaks --errors-for-leak-kinds=definite \\
  --show-leak-kinds=definite --error-exitcode=99 --vgdb=no \\
  --suppressions="$ROOT/tests/valgrind.supp" \\
  --log-file="$VG/logs/\$(basename "\$id").log" "$BUILD/photovoice" "\$@"
WRAP
chmod +x "$VG/photovoice"

export PV_TEST_BIN="$VG/photovoice" PV_TEST_BUILD="$BUILD" PV_TEST_ROOT="$ROOT"
export PV_TEST_VALGRIND=1
# the kill test under valgrind: fewer kills, each run is slow to start
export PV_KILLS=${PV_KILLS:-20}
export CMOCKA_MESSAGE_OUTPUT=TAP
cd "$ROOT"
failed=0
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	start=$(date +%s)
	JSIMD_FORCENONE=1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --error-exitcode=99 --vgdb=no \
		--suppressions="$ROOT/tests/valgrind.supp" --log-file="$VG/logs/vg.$name.%p.log" \
		"$t" >"$VG/$name.log" 2>&1; rc=$?
	nf=$(grep -c '^not ok' "$VG/$name.log")
	printf '%-24s exit %3s  %3s failed  %4ss\n' "$name" "$rc" "$nf" $(( $(date +%s) - start ))
	[ "$rc" -eq 0 ] || { failed=$((failed + 1)); grep '^not ok' "$VG/$name.log" | head -5 | sed 's/^/    /'; }
done
for t in tests/e2e/t*.sh; do
	name=$(basename "$t" .sh)
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	start=$(date +%s)
	sh "$t" >"$VG/$name.log" 2>&1; rc=$?
	nf=$(grep -c '^not ok' "$VG/$name.log")
	printf '%-24s exit %3s  %3s failed  %4ss\n' "$name" "$rc" "$nf" $(( $(date +%s) - start ))
	[ "$rc" -eq 0 ] || { failed=$((failed + 1)); grep '^not ok' "$VG/$name.log" | head -5 | sed 's/^/    /'; }
done
# a log is empty when valgrind had nothing to say (-q)
reports=$(find "$VG/logs" -type f -size +0 | wc -l)
runs=$(find "$VG/logs" -type f | wc -l)
echo "valgrind: $runs processes, $reports with a report (logs in $VG/logs/)"
find "$VG/logs" -type f -size +0 | head -3 | while read -r f; do
	id=$(basename "$f" .log)
	[ -f "$VG/commands/$id" ] && echo "    photovoice $(cat "$VG/commands/$id")"
	head -40 "$f" | sed 's/^/    /'
done
[ "$failed" -eq 0 ] && [ "$reports" -eq 0 ]
