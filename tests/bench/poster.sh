#!/bin/sh
# make bench, the poster preview (issue 15, part 8): the latency of POST
# /posters/preview of `photovoice serve`, from the request to the whole PNG,
# for a poster of 12 photos on A2 at screen size (900 pixels wide, what the
# builder asks for in a window of 1366), over loopback with curl. The first
# request of a fresh server is shown apart (fonts and the catalogue opened);
# then RUNS requests, with their median and spread. Against it, the same
# poster built as poster.pdf inside `photovoice bundle` (the same layout,
# with the full photos). Nothing is asserted; target: under 500 ms.
#
# Usage: tests/bench/poster.sh BUILD_DIR   (BENCH_MP=12 BENCH_RUNS=3;
#        or BENCH_ONLY=poster make bench)
set -eu
BUILD=$(cd "${1:?usage: tests/bench/poster.sh BUILD_DIR}" && pwd)
PV="$BUILD/photovoice"
MP=${BENCH_MP:-12}
RUNS=${BENCH_RUNS:-3}
N=12
WORK="$BUILD/bench"
IN="$WORK/poster-in-$N-$MP"
A="$WORK/poster-archive"
PW="bench password 123"
. "$(dirname "$0")/lib.sh"
cleanup() { serve_cleanup; rm -f "$WORK/poster-cookies"; return 0; }
trap cleanup EXIT
mkdir -p "$WORK"
if [ "$(ls "$IN" 2>/dev/null | wc -l)" -ne "$N" ]; then
	rm -rf "$IN"
	"$BUILD/mksample" --bench "$N" --megapixels "$MP" "$IN" >/dev/null
fi
rm -rf "$A"
"$PV" --archive "$A" init >/dev/null
cp "$IN"/*.jpg "$A/drop/"
"$PV" --archive "$A" ingest --quiet >/dev/null 2>&1
ids=$("$PV" --archive "$A" list --json | grep -o '"id": *[0-9]*' | grep -o '[0-9]*$' | tr '\n' ' ')
# poster consent, and the words the photos carried confirmed (they hold none
# a participant wrote), so that every photo may go on a poster
for id in $ids; do
	"$PV" --archive "$A" consent "$id" poster >/dev/null
	"$PV" --archive "$A" edit "$id" --title "Foto $id" --caption "Onderschrift bij foto $id" --confirm >/dev/null
done
echo "$PW" | "$PV" --archive "$A" staff add bench >/dev/null
ORDER=$(echo $ids | tr ' ' ',')

serve_start "$A" poster-serve
J="$WORK/poster-cookies"
csrf() { curl -s -b "$J" -c "$J" "$URL$1" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1; }
curl -s -b "$J" -c "$J" -o /dev/null --data-urlencode name=bench --data-urlencode "password=$PW" \
	--data "csrf=$(csrf /login)" "$URL/login"
CSRF=$(csrf /posters/new)
preview() {
	curl -s -b "$J" -o "$WORK/poster-preview.png" -w '%{time_total}\n' \
		--data "csrf=$CSRF&order=$ORDER&paper=A2&orientation=portrait&title=Bench&width=900" \
		"$URL/posters/preview"
}
echo "Poster of $N photos of $MP megapixels on A2, preview 900 pixels wide, $(nproc) cores"
first=$(preview)
: >"$WORK/poster-times"
k=0
while [ "$k" -lt "$RUNS" ]; do preview >>"$WORK/poster-times"; k=$((k + 1)); done
file "$WORK/poster-preview.png" 2>/dev/null | sed 's/^.*: /PNG: /' || true
sort -n "$WORK/poster-times" | awk -v first="$first" '{ t[NR] = $1 * 1000 } END {
	n = NR
	printf "%-36s %8.0f ms\n", "first request of a fresh server", first * 1000
	printf "%-36s %8.0f ms   (%d runs: %s)\n", "request to PNG, median", t[int((n + 1) / 2)], n,
		sprintf("%.0f..%.0f ms", t[1], t[n])
}'
serve_stop
spec="$WORK/poster.spec"
{ echo "Title: Bench"; echo "Paper: A2"; for id in $ids; do echo "$id"; done; } >"$spec"
t0=$(date +%s%N)
"$PV" --archive "$A" bundle --spec "$spec" -o "$WORK/poster-bundle.zip" --force >/dev/null 2>&1
t1=$(date +%s%N)
printf '%-36s %8.0f ms   (the whole bundle, poster.pdf with the full photos)\n' \
	"photovoice bundle of the same poster" "$(( (t1 - t0) / 1000000 ))"
echo "(Target: the preview under 500 ms. The bundle is no rival: it writes every photo"
echo " and its derivatives; it shows what the browser is spared.)"
rm -rf "$A" "$WORK/poster-bundle.zip" "$spec"
