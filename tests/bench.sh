#!/bin/sh
# make bench: timings against the tools a user would otherwise pick, in the same
# run, with ratios. Nothing here is asserted; the figures are for people.
#
# Part 1 (privacy rewrite): `photovoice scrub` on forty 12-megapixel JPEGs with
# full camera metadata, against exiftool -all=, jhead -purejpg, mat2 and cp.
#
# Usage: tests/bench.sh BUILD_DIR        (BENCH_FILES=40 BENCH_MP=12 BENCH_RUNS=3)
set -eu
BUILD=$(cd "${1:?usage: tests/bench.sh BUILD_DIR}" && pwd)
PV="$BUILD/photovoice"
N=${BENCH_FILES:-40}
MP=${BENCH_MP:-12}
RUNS=${BENCH_RUNS:-3}
WORK="$BUILD/bench"
IN="$WORK/in-$N-$MP"
mkdir -p "$WORK"

if [ "$(ls "$IN" 2>/dev/null | wc -l)" -ne "$N" ]; then
	rm -rf "$IN"
	echo "Making $N photos of $MP megapixels with full camera metadata..."
	"$BUILD/mksample" --bench "$N" --megapixels "$MP" "$IN" >/dev/null
fi
BYTES=$(cat "$IN"/*.jpg | wc -c)
MB=$(echo "$BYTES" | awk '{printf "%.1f", $1 / 1e6}')
echo "Input: $N photos, $MB MB, $(nproc) cores, $(uname -m)"
echo

# time_cmd PREP CMD: runs PREP (untimed) then CMD (timed) RUNS times; prints
# "median_seconds peak_kb" for CMD.
time_cmd() {
	prep=$1; cmd=$2; runs=${3:-$RUNS}
	: >"$WORK/times"
	i=0
	while [ "$i" -lt "$runs" ]; do
		sh -c "$prep" >/dev/null 2>&1
		/usr/bin/time -f "%e %M" -o "$WORK/t1" sh -c "$cmd" >/dev/null 2>"$WORK/stderr" || true
		tail -n 1 "$WORK/t1" >>"$WORK/times"
		i=$((i + 1))
	done
	sort -n "$WORK/times" | awk '{ s[NR] = $1; m[NR] = $2 } END { printf "%s %s\n", s[int((NR + 1) / 2)], m[NR] }'
}

OUT="$WORK/out"
fresh_out="rm -rf '$OUT' && mkdir -p '$OUT'"
copy_in="rm -rf '$OUT' && cp -r '$IN' '$OUT'"

results="$WORK/results"
: >"$results"
row() { echo "$1 $2 $3" >>"$results"; }

set -- $(time_cmd "$fresh_out" "'$PV' scrub -o '$OUT' '$IN'/*.jpg")
row photovoice-scrub "$1" "$2"
set -- $(time_cmd "$fresh_out" "cp '$IN'/*.jpg '$OUT'/ && sync -f '$OUT'")
row cp "$1" "$2"
if command -v exiftool >/dev/null 2>&1; then
	set -- $(time_cmd "$fresh_out" "exiftool -q -all= -o '$OUT'/ '$IN'/*.jpg")
	row "exiftool-all=" "$1" "$2"
fi
if command -v jhead >/dev/null 2>&1; then
	set -- $(time_cmd "$copy_in" "jhead -q -purejpg '$OUT'/*.jpg")
	row "jhead-purejpg" "$1" "$2"
fi
if command -v mat2 >/dev/null 2>&1; then
	set -- $(time_cmd "$copy_in" "mat2 '$OUT'/*.jpg" 1)
	row mat2 "$1" "$2"
fi

pv=$(awk '$1 == "photovoice-scrub" { print $2 }' "$results")
printf '%-18s %9s %9s %9s %11s %12s\n' tool seconds files/s MB/s "vs scrub" "peak RSS MB"
while read -r tool secs kb; do
	awk -v t="$tool" -v s="$secs" -v kb="$kb" -v n="$N" -v b="$BYTES" -v pv="$pv" 'BEGIN {
		if (s <= 0) s = 0.001
		printf "%-18s %9.2f %9.1f %9.1f %10.2fx %12.1f\n", t, s, n / s, b / 1e6 / s, s / pv, kb / 1024 }'
done <"$results"
echo "(\"vs scrub\": the tool's time divided by photovoice scrub's; above 1 means photovoice is faster."
echo " Median of $RUNS runs, mat2 once; cp includes a sync of the copies, scrub syncs every file.)"

# Peak memory should be one photo plus a constant, whatever the number of files.
set -- $(time_cmd "$fresh_out" "'$PV' scrub -o '$OUT' '$IN'/bench-00002.jpg" 1)
one=$2
echo
echo "scrub peak memory: $(awk -v k="$one" 'BEGIN{printf "%.1f", k/1024}') MB for 1 file that is turned, $(awk -v k="$(awk '$1 == "photovoice-scrub" { print $3 }' "$results")" 'BEGIN{printf "%.1f", k/1024}') MB for $N files"
rm -rf "$OUT"
