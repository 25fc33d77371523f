#!/bin/sh
# make bench: timings against the tools a user would otherwise pick, in the same
# run, with ratios. Nothing here is asserted; the figures are for people.
#
# Part 1 (privacy rewrite): `photovoice scrub` on forty 12-megapixel JPEGs with
# full camera metadata (half of them need a turn), against exiftool -all=,
# jhead -purejpg, mat2 and cp: on all forty, the upright half and the turned
# half, so that like-for-like work is compared apart from the turns.
#
# Part 2 (ingest): `photovoice ingest` of the same forty into a fresh archive
# (rewrite, turn, thumbnail + preview, hash, catalogue) against vipsthumbnail
# making the same two sizes.
#
# Usage: tests/bench.sh BUILD_DIR        (BENCH_FILES=40 BENCH_MP=12 BENCH_RUNS=3)
#        BENCH_ONLY=scrub tests/bench.sh BUILD_DIR    part 1 alone
#        BENCH_ONLY=startup tests/bench.sh BUILD_DIR  the start-up part alone
#        BENCH_ONLY=bundle tests/bench.sh BUILD_DIR   the bundle part alone
#        BENCH_ONLY=web tests/bench.sh BUILD_DIR      the web part alone
#        BENCH_ONLY=poster tests/bench.sh BUILD_DIR   the poster preview alone
#        BENCH_ONLY=workspace tests/bench.sh BUILD_DIR  the workspace's grid and search
set -eu
BUILD=$(cd "${1:?usage: tests/bench.sh BUILD_DIR}" && pwd)
# BENCH_ONLY=startup: only the start-up part (tests/bench/startup.sh)
if [ "${BENCH_ONLY:-}" = startup ]; then
	echo "== Start-up: --version and search against the sqlite3 shell =="
	exec sh "$(dirname "$0")/bench/startup.sh" "$BUILD"
fi
# BENCH_ONLY=bundle: the bundle part alone (tests/bench/bundle.sh)
[ "${BENCH_ONLY:-}" = bundle ] && exec sh "$(dirname "$0")/bench/bundle.sh" "$BUILD"
# BENCH_ONLY=poster: the builder's preview alone (tests/bench/poster.sh)
if [ "${BENCH_ONLY:-}" = poster ]; then
	echo "== The poster builder's preview: 12 photos on A2 =="
	exec sh "$(dirname "$0")/bench/poster.sh" "$BUILD"
fi
# BENCH_ONLY=workspace: the staff workspace's grid and search (tests/bench/workspace.sh)
if [ "${BENCH_ONLY:-}" = workspace ]; then
	echo "== The staff workspace: grid and search on 10,000 entries, 20 sessions =="
	exec sh "$(dirname "$0")/bench/workspace.sh" "$BUILD"
fi
# BENCH_ONLY=web: the web part alone (tests/bench/web.sh)
if [ "${BENCH_ONLY:-}" = web ]; then
	echo "== Web: phone uploads against cp + ingest, pages against nginx =="
	exec sh "$(dirname "$0")/bench/web.sh" "$BUILD"
fi
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
		# wall time to the millisecond (time's %e has 10 ms steps)
		t0=$(date +%s%N)
		/usr/bin/time -f "%M" -o "$WORK/t1" sh -c "$cmd" >/dev/null 2>"$WORK/stderr" || true
		t1=$(date +%s%N)
		echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $(tail -n 1 "$WORK/t1")" >>"$WORK/times"
		i=$((i + 1))
	done
	sort -n "$WORK/times" | awk '{ s[NR] = $1; m[NR] = $2 } END { printf "%s %s\n", s[int((NR + 1) / 2)], m[NR] }'
}

OUT="$WORK/out"
results="$WORK/results"

# Part 1 measures three sets from the same photos: all forty (a phone's mix:
# half need a turn), the twenty that need no turn (like for like: the same
# work every tool does), and the twenty that need a lossless 90-degree turn
# (work no other tool does: they leave those photos sideways).
mkdir -p "$WORK/upright" "$WORK/turned"
rm -f "$WORK/upright"/*.jpg "$WORK/turned"/*.jpg
i=0
for f in "$IN"/*.jpg; do
	if [ $((i % 2)) -eq 0 ]; then ln "$f" "$WORK/upright/"; else ln "$f" "$WORK/turned/"; fi
	i=$((i + 1))
done

# bench_set LABEL DIR: every tool on DIR/*.jpg, a table with ratios.
bench_set() {
	label=$1; dir=$2
	n=$(ls "$dir"/*.jpg | wc -l)
	bytes=$(cat "$dir"/*.jpg | wc -c)
	fresh_out="rm -rf '$OUT' && mkdir -p '$OUT'"
	copy_in="rm -rf '$OUT' && mkdir -p '$OUT' && cp '$dir'/*.jpg '$OUT'/"
	: >"$results"
	set -- $(time_cmd "$fresh_out" "'$PV' scrub -o '$OUT' '$dir'/*.jpg")
	row photovoice-scrub "$1" "$2"
	set -- $(time_cmd "$fresh_out" "cp '$dir'/*.jpg '$OUT'/ && sync -f '$OUT'")
	row "cp+sync-f" "$1" "$2"
	if command -v exiftool >/dev/null 2>&1; then
		set -- $(time_cmd "$fresh_out" "exiftool -q -q -all= -o '$OUT'/ '$dir'/*.jpg")
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
	echo "$label: $n photos, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b / 1e6}') MB"
	pv=$(awk '$1 == "photovoice-scrub" { print $2 }' "$results")
	printf '  %-18s %9s %9s %9s %11s %12s\n' tool seconds files/s MB/s "vs scrub" "peak RSS MB"
	while read -r tool secs kb; do
		awk -v t="$tool" -v s="$secs" -v kb="$kb" -v n="$n" -v b="$bytes" -v pv="$pv" 'BEGIN {
			if (s <= 0) s = 0.001
			printf "  %-18s %9.3f %9.1f %9.1f %10.2fx %12.1f\n", t, s, n / s, b / 1e6 / s, s / pv, kb / 1024 }'
	done <"$results"
	# the targets: scrub within 1.2x of cp + sync -f; against exiftool -all= -o
	awk -v pv="$pv" '$1 == "cp+sync-f" || $1 == "exiftool-all=" {
		if ($2 <= 0) $2 = 0.001
		printf "  scrub / %-16s %6.2fx%s\n", $1, pv / $2, $1 == "cp+sync-f" ? "  (target: at most 1.20x)" : "" }' "$results"
	echo
}
row() { echo "$1 $2 $3" >>"$results"; }

echo "== Part 1: privacy rewrite (scrub) =="
echo
bench_set "All forty (half need a turn)" "$IN"
bench_set "The twenty that need no turn (like for like)" "$WORK/upright"
bench_set "The twenty that need a lossless turn" "$WORK/turned"
echo "(\"vs scrub\": the tool's time divided by photovoice scrub's; above 1 means photovoice is faster."
echo " Median of $RUNS runs, mat2 once. cp+sync-f is cp then sync -f of the copies; scrub verifies every file"
echo " and syncs once per batch of files, before it says any is done."
echo " exiftool -all= also deletes the ICC colour profile and the orientation; jhead -purejpg keeps IPTC,"
echo " trailers and multi-picture data; mat2 re-encodes. Only scrub's outputs are upright.)"

# Peak memory should be one photo plus a constant, whatever the number of files.
set -- $(time_cmd "rm -rf '$OUT' && mkdir -p '$OUT'" "'$PV' scrub --jobs 1 -o '$OUT' '$WORK/turned'/bench-00002.jpg" 1)
one=$2
set -- $(time_cmd "rm -rf '$OUT' && mkdir -p '$OUT'" "'$PV' scrub --jobs 1 -o '$OUT' '$IN'/*.jpg" 1)
all=$2
echo
echo "scrub --jobs 1 peak memory: $(awk -v k="$one" 'BEGIN{printf "%.1f", k/1024}') MB for 1 photo that is turned, $(awk -v k="$all" 'BEGIN{printf "%.1f", k/1024}') MB for all $N"
rm -rf "$OUT"
# BENCH_ONLY=scrub: part 1 alone
[ "${BENCH_ONLY:-}" = scrub ] && exit 0

# ==== Part 2: ingest =========================================================
# `photovoice ingest` of the same forty photos into a fresh archive: privacy
# rewrite, lossless turn (half of them), thumbnail 320 + preview 1600 from one
# scaled decode, perceptual hash, SHA-256, every file synced, catalogue rows
# in batched transactions, originals removed. Against vipsthumbnail making the
# same two sizes (one run per size over all the photos, as it makes one size
# per run). As in part 1, on all forty, on the twenty that need no turn (like
# for like) and on the twenty that need a lossless turn (which vipsthumbnail
# does not make: it turns its small copies only). Uses $IN, $WORK, $N, $RUNS,
# $PV and the upright/turned sets of part 1.
echo
echo "== Part 2: ingest into a fresh archive =="
AR="$WORK/archive"
VOUT="$WORK/vips"
fresh_vout="rm -rf '$VOUT' && mkdir -p '$VOUT'"
# ingest_time PREP CMD [RUNS]: "median_seconds median_cpu_seconds peak_kb"
ingest_time() {
	: >"$WORK/times2"
	i=0
	while [ "$i" -lt "${3:-$RUNS}" ]; do
		sh -c "$1" >/dev/null 2>&1
		/usr/bin/time -f "%e %U %S %M" -o "$WORK/t2" sh -c "$2" >/dev/null 2>"$WORK/stderr2" || true
		tail -n 1 "$WORK/t2" | awk '{ print $1, $2 + $3, $4 }' >>"$WORK/times2"
		i=$((i + 1))
	done
	sort -n "$WORK/times2" | awk '{ s[NR] = $1; c[NR] = $2; if ($3 > m) m = $3 }
		END { k = int((NR + 1) / 2); printf "%s %s %s\n", s[k], c[k], m }'
}
# ingest_set LABEL DIR [all]: ingest --jobs 2 and vipsthumbnail on DIR/*.jpg;
# with "all", also ingest --jobs 1 and vipsthumbnail on one thread.
ingest_set() {
	label=$1; dir=$2; mode=${3:-}
	n=$(ls "$dir"/*.jpg | wc -l)
	fresh_archive="rm -rf '$AR' && '$PV' --archive '$AR' init && cp '$dir'/*.jpg '$AR/drop/' && sync"
	: >"$WORK/results2"
	set -- $(ingest_time "$fresh_archive" "'$PV' --archive '$AR' ingest --quiet --jobs 2")
	echo "photovoice-ingest--jobs-2 $*" >>"$WORK/results2"
	ingest_s=$1
	if [ "$mode" = all ]; then
		set -- $(ingest_time "$fresh_archive" "'$PV' --archive '$AR' ingest --quiet --jobs 1")
		echo "photovoice-ingest--jobs-1 $*" >>"$WORK/results2"
	fi
	if command -v vipsthumbnail >/dev/null 2>&1; then
		vips2="vipsthumbnail -s 1600 -o '$VOUT/%s.p.jpg[Q=85,strip]' '$dir'/*.jpg &&
		       vipsthumbnail -s 320 -o '$VOUT/%s.t.jpg[Q=85,strip]' '$dir'/*.jpg"
		set -- $(ingest_time "$fresh_vout" "$vips2")
		echo "vipsthumbnail-2-sizes $*" >>"$WORK/results2"
		if [ "$mode" = all ]; then
			set -- $(ingest_time "$fresh_vout" "export VIPS_CONCURRENCY=1; $vips2")
			echo "vipsthumbnail-1-thread $*" >>"$WORK/results2"
		fi
	fi
	echo "$label: $n photos"
	printf '  %-26s %8s %9s %12s %9s %12s\n' tool seconds photos/s "ingest is" "CPU s" "peak RSS MB"
	while read -r tool secs cpu kb; do
		awk -v t="$tool" -v s="$secs" -v c="$cpu" -v kb="$kb" -v n="$n" -v pv="$ingest_s" 'BEGIN {
			if (s <= 0) s = 0.001
			printf "  %-26s %8.2f %9.1f %11.2fx %9.2f %12.1f\n", t, s, n / s, s / pv, c, kb / 1024 }'
	done <"$WORK/results2"
	echo
}
command -v vipsthumbnail >/dev/null 2>&1 || echo "(vipsthumbnail is not installed: no comparison)"
ingest_set "All forty (half need a turn)" "$IN" all
all_kb=$(awk '$1 == "photovoice-ingest--jobs-2" { print $4 }' "$WORK/results2")
ingest_set "The twenty that need no turn (like for like)" "$WORK/upright"
ingest_set "The twenty that need a lossless turn" "$WORK/turned"
echo "  (\"ingest is\": the tool's time over ingest --jobs 2's, above 1 means ingest is faster."
echo "   Median of $RUNS runs on $(nproc) cores; CPU s is user + system time. Ingest does more than"
echo "   vipsthumbnail: a photo that needs a turn is turned losslessly at full size (about 110 ms of"
echo "   CPU for 12 MP in libjpeg-turbo), every photo is rewritten, verified and hashed, and three"
echo "   files per photo are synced.)"

# Peak memory is about one turned photo per job, whatever the number of files.
set -- $(ingest_time "rm -rf '$AR' && '$PV' --archive '$AR' init && cp '$IN'/bench-00002.jpg '$AR/drop/'" \
	"'$PV' --archive '$AR' ingest --quiet --jobs 2" 1)
one_kb=$3
echo
echo "ingest --jobs 2 peak memory: $(awk -v k="$one_kb" 'BEGIN{printf "%.1f", k/1024}') MB for 1 photo that is turned, $(awk -v k="$all_kb" 'BEGIN{printf "%.1f", k/1024}') MB for all $N"
rm -rf "$AR" "$VOUT"

# ==== Derivatives (pixel module) =============================================
# Thumbnail (320) and preview (1600) of the same forty photos, one photo at a
# time: pv_image_derivatives (one scaled decode, both sizes, upright, sRGB,
# perceptual hash) against vipsthumbnail making the same two sizes (one run
# per size, as it makes one size per run), with its threads and with one.
# Self-contained: uses only $IN, $WORK and time_cmd from above.
if [ -x "$BUILD/bench_image" ]; then
	echo
	echo "== Derivatives: thumbnail 320 + preview 1600 =="
	DOUT="$WORK/derived"
	fresh_d="rm -rf '$DOUT' && mkdir -p '$DOUT'"
	set -- $(time_cmd "$fresh_d" "'$BUILD/bench_image' '$DOUT' '$IN'/*.jpg")
	pv_s=$1; pv_kb=$2
	sh -c "$fresh_d"
	inner=$("$BUILD/bench_image" "$DOUT" "$IN"/*.jpg)
	printf '  %-26s %8s %9s %9s %12s\n' tool seconds photos/s "vs pv" "peak RSS MB"
	drow() {
		awk -v t="$1" -v s="$2" -v kb="$3" -v n="$N" -v pv="$pv_s" 'BEGIN {
			if (s <= 0) s = 0.001
			printf "  %-26s %8.2f %9.1f %8.2fx %12.1f\n", t, s, n / s, s / pv, kb / 1024 }'
	}
	drow "photovoice derivatives" "$pv_s" "$pv_kb"
	if command -v vipsthumbnail >/dev/null 2>&1; then
		vips2="vipsthumbnail -s 1600 -o '$DOUT/%s.p.jpg[Q=85,strip]' '$IN'/*.jpg &&
		       vipsthumbnail -s 320 -o '$DOUT/%s.t.jpg[Q=85,strip]' '$IN'/*.jpg"
		set -- $(time_cmd "$fresh_d" "$vips2")
		drow "vipsthumbnail (threads)" "$1" "$2"
		set -- $(time_cmd "$fresh_d" "export VIPS_CONCURRENCY=1; $vips2")
		drow "vipsthumbnail (1 thread)" "$1" "$2"
	fi
	echo "  ($inner; \"vs pv\": the tool's time over photovoice's, above 1 means photovoice is faster)"
	rm -rf "$DOUT"
fi

# ---- Part 3: the catalogue (issue 5) ----------------------------------------
# Search and list on 100,000 synthetic entries; self-contained in
# tests/bench/catalogue.sh, which also runs alone.
echo
echo "== Catalogue: search and list at 100,000 entries =="
sh "$(dirname "$0")/bench/catalogue.sh" "$BUILD"

# ==== Part 4: bundles (issue 6) ==============================================
# A poster bundle of 50 photos on A1 (photos, thumbnails, previews, poster.pdf
# with every photo embedded, contact sheet, index.html, csv, manifest, sums)
# against `zip -0` storing the same 50 stored photo files, in the same run.
# Ingest is not timed. BENCH_BUNDLE_FILES=50 BENCH_BUNDLE_MP=12.
BN=${BENCH_BUNDLE_FILES:-50}
BMP=${BENCH_BUNDLE_MP:-12}
BIN_DIR="$WORK/bundle-in-$BN-$BMP"
BARCH="$WORK/bundle-archive"
if [ "$(ls "$BIN_DIR"/*.jpg 2>/dev/null | wc -l)" -ne "$BN" ]; then
	rm -rf "$BIN_DIR"
	echo "Making $BN photos of $BMP megapixels for the bundle bench..."
	"$BUILD/mksample" --bench "$BN" --megapixels "$BMP" "$BIN_DIR" >/dev/null
	i=0
	for f in "$BIN_DIR"/*.jpg; do
		i=$((i + 1))
		printf 'Titel: Foto %d\nOnderschrift: Wat ik zag, en waarom het telde (%d).\nTrefwoorden: bench\nToestemming: poster\nToestemming-ouder: ja\nNaamsvermelding: Foto: deelnemer %d\n\nEen kort verhaal bij foto %d, om de poster te vullen zoals echte verhalen doen.\n' \
			"$i" "$i" "$i" "$i" >"${f%.jpg}.txt"
	done
fi
rm -rf "$BARCH"
"$PV" --archive "$BARCH" init >/dev/null
cp "$BIN_DIR"/* "$BARCH/drop/"
"$PV" --archive "$BARCH" ingest --quiet >/dev/null 2>&1 || true
stored=$(find "$BARCH/media" -name '*.jpg' ! -name '*.*.jpg' | sort)
SBYTES=$(cat $stored | wc -c)
echo
echo "== Part 4: a $BN-photo A1 poster bundle =="
echo "Input: $(echo "$stored" | wc -l) stored photos, $(echo "$SBYTES" | awk '{printf "%.1f", $1 / 1e6}') MB"
BOUT="$WORK/bundle.zip"
set -- $(time_cmd "rm -f '$BOUT'" "'$PV' --archive '$BARCH' bundle --tag bench --paper A1 -o '$BOUT'")
b_secs=$1; b_kb=$2
b_size=$(wc -c <"$BOUT")
if command -v zip >/dev/null 2>&1; then
	set -- $(time_cmd "rm -f '$WORK/zip0.zip'" "zip -0 -q -j '$WORK/zip0.zip' $(echo $stored)")
	z_secs=$1; z_kb=$2
else
	z_secs=""
fi
printf '%-28s %9s %11s %12s %11s\n' tool seconds "vs zip -0" "peak RSS MB" "output MB"
awk -v s="$b_secs" -v z="$z_secs" -v kb="$b_kb" -v sz="$b_size" 'BEGIN {
	r = (z != "" && z > 0) ? sprintf("%10.2fx", s / z) : "         -"
	printf "%-28s %9.2f %11s %12.1f %11.1f\n", "photovoice bundle (A1)", s, r, kb / 1024, sz / 1e6 }'
if [ -n "$z_secs" ]; then
	awk -v z="$z_secs" -v kb="$z_kb" -v sz="$(wc -c <"$WORK/zip0.zip")" 'BEGIN {
		printf "%-28s %9.2f %10.2fx %12.1f %11.1f\n", "zip -0 (the photos only)", z, 1, kb / 1024, sz / 1e6 }'
else
	echo "(zip is not installed: no comparison)"
fi
echo "(Median of $RUNS runs. The bundle holds every photo twice, once as a file and once inside"
echo " poster.pdf, plus thumbnails, previews and the rest; target: within 3x of zip -0.)"
rm -rf "$BARCH" "$BOUT" "$WORK/zip0.zip"

# ==== Start-up (issue 13) =============================================
# --version and search against the sqlite3 shell; self-contained in
# tests/bench/startup.sh (BENCH_ONLY=startup runs it alone).
echo
echo "== Start-up: --version and search against the sqlite3 shell =="
sh "$(dirname "$0")/bench/startup.sh" "$BUILD"

# ---- Part 5: bundle memory and bundle --query (issue 13) --------------------
# Peak memory against the bundle's size, and --query time against the
# matches; self-contained in tests/bench/bundle.sh (BENCH_ONLY=bundle).
echo
echo "== Part 5: bundle memory and bundle --query =="
sh "$(dirname "$0")/bench/bundle.sh" "$BUILD"

# ---- Part 6: the web (issue 14) ---------------------------------------------
# Phone uploads against cp + ingest, and the pages under wrk against nginx;
# self-contained in tests/bench/web.sh (BENCH_ONLY=web).
echo
echo "== Part 6: web: phone uploads against cp + ingest, pages against nginx =="
sh "$(dirname "$0")/bench/web.sh" "$BUILD"

# ---- Part 7: the poster builder's preview (issue 15) --------------------------
# Request to PNG for 12 photos on A2; self-contained in tests/bench/poster.sh
# (BENCH_ONLY=poster).
echo
echo "== Part 7: the poster builder's preview: 12 photos on A2 =="
sh "$(dirname "$0")/bench/poster.sh" "$BUILD"

# ---- Part 8: the staff workspace's grid and search (issue 15) -----------------
# wrk at 20 staff sessions on 10,000 entries, the same search through serve,
# bare sqlite3 and `photovoice search`, and serve's memory; self-contained in
# tests/bench/workspace.sh (BENCH_ONLY=workspace).
echo
echo "== Part 8: the staff workspace: grid and search on 10,000 entries, 20 sessions =="
sh "$(dirname "$0")/bench/workspace.sh" "$BUILD"
