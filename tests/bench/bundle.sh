#!/bin/sh
# make bench, the bundle part (issue 13; also runs alone:
#   sh tests/bench/bundle.sh BUILD_DIR   or   BENCH_ONLY=bundle make bench).
#
# 1. Peak memory of a poster bundle of 40, 200 and 500 photos
#    (BENCH_BUNDLE_MP megapixels, 12), taken from one archive of 500 entries
#    made once and kept in BUILD/bench/. Targets: the bundle of 200 under 1.3x
#    the bundle of 40 (memory flat in the bundle's size), the bundle of 500
#    under 150 MB. zip -0 storing the same photo files is the tool a user
#    would otherwise pick, in the same run.
# 2. The time `bundle --query` takes against the number of entries that match,
#    on the 100,000 synthetic entries of the catalogue part (tests/bench/
#    catalogue.sh; made once by benchcat). Those entries have no photos, so
#    the bundle stops at the first photo it cannot read, after selecting and
#    checking consent: what is timed is the selection. Target: time linear in
#    the matches (the microseconds per match stay the same as the matches
#    grow). The sqlite3 shell listing the same matches is the reference.
# Each figure: median of BENCH_RUNS (3) runs, with the lowest and highest.
set -eu
BUILD=$(cd "${1:?usage: tests/bench/bundle.sh BUILD_DIR}" && pwd)
PV="$BUILD/photovoice"
RUNS=${BENCH_RUNS:-3}
MP=${BENCH_BUNDLE_MP:-12}
WORK="$BUILD/bench"
SIZES="40 200 500"
for tool in "$PV" "$BUILD/mksample" "$BUILD/benchcat"; do
	[ -x "$tool" ] || { echo "bundle bench: $tool is missing; run 'make bench'." >&2; exit 1; }
done
mkdir -p "$WORK"

# measure CMD...: peak RSS in MB and wall seconds of CMD run RUNS times, as
# "mb_median mb_min mb_max s_median s_min s_max". The peak is the command's
# own from wait4 (the figure /usr/bin/time -f %M prints); the wall clock is
# taken to the microsecond.
measure() {
	rm -f "$WORK/bundle-out.zip"
	python3 - "$RUNS" "$WORK/bundle-out.zip" "$@" <<'PY'
import os, subprocess, sys, time
runs, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
mb, s = [], []
for _ in range(runs):
    if os.path.exists(out):
        os.unlink(out)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    s.append(time.monotonic() - t0)
    mb.append(ru.ru_maxrss / 1024)
mb.sort(); s.sort()
k = (runs - 1) // 2
print("%.1f %.1f %.1f %.4f %.4f %.4f" % (mb[k], mb[0], mb[-1], s[k], s[0], s[-1]))
PY
}

# ---- 1. peak memory against the bundle's size ------------------------------
ARCH="$WORK/bundle-mem-500-$MP"
if [ ! -f "$ARCH/.complete" ]; then
	rm -rf "$ARCH" "$WORK/bundle-mem-in"
	echo "Making 500 photos of $MP megapixels and an archive of them (once; kept in $ARCH)..."
	"$BUILD/mksample" --bench 500 --megapixels "$MP" "$WORK/bundle-mem-in" >/dev/null
	i=0
	for f in "$WORK/bundle-mem-in"/*.jpg; do
		i=$((i + 1))
		tags=b500
		[ "$i" -le 200 ] && tags="$tags, b200"
		[ "$i" -le 40 ] && tags="$tags, b40"
		printf 'Titel: Foto %d\nOnderschrift: Wat ik zag, en waarom het telde (%d).\nTrefwoorden: %s\nToestemming: poster\nToestemming-ouder: ja\nNaamsvermelding: Foto: deelnemer %d\n\nEen kort verhaal bij foto %d, om de poster te vullen zoals echte verhalen doen.\n' \
			"$i" "$i" "$tags" "$i" "$i" >"${f%.jpg}.txt"
	done
	"$PV" --archive "$ARCH" init >/dev/null
	mv "$WORK/bundle-mem-in"/* "$ARCH/drop/"
	rmdir "$WORK/bundle-mem-in"
	"$PV" --archive "$ARCH" ingest --quiet >/dev/null
	touch "$ARCH/.complete"
fi
echo "Peak memory of a poster bundle (A1, zip) against its size: $MP-megapixel photos, $(nproc) cores"
printf '  %-28s %8s %20s %18s\n' "" photos "peak RSS MB" "seconds"
printf '  %-28s %8s %20s %18s\n' "" "" "median (min-max)" "median (min-max)"
for n in $SIZES; do
	set -- $(measure "$PV" --archive "$ARCH" bundle --tag "b$n" --paper A1 -o "$WORK/bundle-out.zip")
	printf '  %-28s %8s %8s (%s-%s) %8.2f (%.2f-%.2f)\n' "photovoice bundle" "$n" "$1" "$2" "$3" "$4" "$5" "$6"
	eval "mb_$n=$1"
	if command -v zip >/dev/null 2>&1; then
		"$PV" --archive "$ARCH" list --tag "b$n" --json | python3 -c '
import json, sys, os
for e in json.load(sys.stdin)["entries"]:
    print(os.path.join(sys.argv[1], "media", e["sha256"][:2], e["sha256"] + ".jpg"))' "$ARCH" >"$WORK/bundle-files"
		set -- $(measure sh -c "rm -f '$WORK/zip0.zip'; zip -0 -q -j '$WORK/zip0.zip' -@ <'$WORK/bundle-files'")
		printf '  %-28s %8s %8s (%s-%s) %8.2f (%.2f-%.2f)\n' "zip -0 (the photos only)" "$n" "$1" "$2" "$3" "$4" "$5" "$6"
		rm -f "$WORK/zip0.zip"
	fi
done
rm -f "$WORK/bundle-out.zip" "$WORK/bundle-files"
awk -v a="$mb_40" -v b="$mb_200" -v c="$mb_500" 'BEGIN {
	printf "  200 photos / 40 photos: %.2fx (target under 1.30x: %s); 500 photos: %.1f MB (target under 150 MB: %s)\n",
		b / a, (b / a < 1.3 ? "met" : "NOT met"), c, (c < 150 ? "met" : "NOT met") }'

# ---- 2. bundle --query against the matches ----------------------------------
CATN=${BENCH_ENTRIES:-100000}
CATDIR="$WORK/catalogue-$CATN"
if [ ! -f "$CATDIR/catalogue.db" ]; then
	rm -rf "$CATDIR"
	echo "Making a catalogue of $CATN synthetic entries (once; kept in $CATDIR)..."
	"$BUILD/benchcat" fill "$CATDIR" "$CATN"
fi
echo
echo "bundle --query on $CATN synthetic entries (no photos: the selection and consent are timed)"
printf '  %-22s %8s %20s %10s %20s\n' query matches "bundle ms" "us/match" "sqlite3 shell ms"
for q in vuurtoren 'luister*' thuis 'thuis OR luister*'; do
	m=$("$BUILD/benchcat" count "$CATDIR" "$q")
	set -- $(measure "$PV" --archive "$CATDIR" bundle --query "$q" -o "$WORK/bundle-out.zip")
	b_med=$(awk -v s="$4" 'BEGIN { printf "%.1f", s * 1000 }')
	b_rng=$(awk -v a="$5" -v b="$6" 'BEGIN { printf "%.1f-%.1f", a * 1000, b * 1000 }')
	if command -v sqlite3 >/dev/null 2>&1; then
		set -- $(measure sqlite3 "file:$CATDIR/catalogue.db?mode=ro" \
			"SELECT e.* FROM entries e JOIN entries_fts f ON f.rowid = e.id WHERE entries_fts MATCH '$q' ORDER BY e.id")
		s_txt="$(awk -v s="$4" -v a="$5" -v b="$6" 'BEGIN { printf "%.1f (%.1f-%.1f)", s * 1000, a * 1000, b * 1000 }')"
	else
		s_txt="-"
	fi
	printf '  %-22s %8s %8s (%9s) %10s %20s\n' "$q" "$m" "$b_med" "$b_rng" \
		"$(awk -v ms="$b_med" -v m="$m" 'BEGIN { printf "%.1f", (m > 0 ? ms * 1000 / m : 0) }')" "$s_txt"
done
rm -f "$WORK/bundle-out.zip"
echo "  (us/match: the bundle's microseconds per matching entry; linear when it stays level"
echo "   as the matches grow. Wall clock; the sqlite3 shell reads the same rows.)"
