#!/bin/sh
# make bench, the web part (issue 14): `photovoice serve` against what a user
# would otherwise do or run, in the same run, with ratios. Nothing is asserted.
#
# 1. Forty 12-megapixel photos sent by 8 parallel clients over loopback
#    (curl, one photo a request, as a phone sends them), timed until all 40
#    are in the catalogue; against copying the same files into the drop
#    folder and running `photovoice ingest`. With serve's peak memory (the
#    photos are streamed to disk, never held whole) and its idle memory.
# 2. wrk at 50 connections on the participant page and on a thumbnail,
#    against nginx serving the same thumbnail file from disk.
#
# Usage: tests/bench/web.sh BUILD_DIR     (BENCH_FILES=40 BENCH_MP=12 BENCH_RUNS=3)
set -eu
BUILD=$(cd "${1:?usage: tests/bench/web.sh BUILD_DIR}" && pwd)
PV="$BUILD/photovoice"
N=${BENCH_FILES:-40}
MP=${BENCH_MP:-12}
RUNS=${BENCH_RUNS:-3}
CLIENTS=8
WORK="$BUILD/bench"
IN="$WORK/in-$N-$MP"
mkdir -p "$WORK"
if [ "$(ls "$IN" 2>/dev/null | wc -l)" -ne "$N" ]; then
	rm -rf "$IN"
	echo "Making $N photos of $MP megapixels with full camera metadata..."
	"$BUILD/mksample" --bench "$N" --megapixels "$MP" "$IN" >/dev/null
fi
A="$WORK/web-archive"
. "$(dirname "$0")/lib.sh"

now_ms() { date +%s%N | cut -c1-13; }
entries() { "$PV" --archive "$A" list --json 2>/dev/null | grep -o '"id":' | wc -l; }

# start_serve: a fresh archive and serve on a free port; sets URL, TOKEN_URL,
# SERVE_PID, CSRF
start_serve() {
	rm -rf "$A"
	"$PV" --archive "$A" init >/dev/null
	serve_start "$A" serve
	TOKEN_URL=$(PHOTOVOICE_BASE_URL="$URL" "$PV" --archive "$A" invite bench 2>/dev/null | head -n 1)
	CSRF=$(curl -s "$TOKEN_URL" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
}

# photos serve took so far: the sum of its round lines ("12:00:01  8 taken,
# ..."), printed once each round's commit is done. Reading that log costs
# nothing; asking `list --json` twenty times a second (as this script did
# until 2026-12-02) took a good part of a core from the ingest it timed.
taken() { awk '$3 == "taken," { n += $2 } END { print n + 0 }' "$WORK/serve.out"; }

wait_for_entries() {
	while [ "$(taken)" -lt "$1" ]; do sleep 0.02; done
	while [ "$(entries)" -lt "$1" ]; do sleep 0.05; done   # and the catalogue agrees
}

upload_run() {
	start_serve
	sleep 1
	IDLE=$(rss_kb "$SERVE_PID")
	t0=$(now_ms)
	ls "$IN"/*.jpg | xargs -P "$CLIENTS" -I{} curl -s -o /dev/null -F 'photo=@{}' \
		-F consent=poster -F "csrf=$CSRF" "$TOKEN_URL"
	wait_for_entries "$N"
	t1=$(now_ms)
	PEAK=$(hwm_kb "$SERVE_PID")
	serve_stop
	echo "$((t1 - t0)) $PEAK $IDLE"
}

cp_ingest_run() {
	rm -rf "$A"
	"$PV" --archive "$A" init >/dev/null
	t0=$(now_ms)
	cp "$IN"/*.jpg "$A/drop/"
	"$PV" --archive "$A" ingest --quiet >/dev/null 2>&1 || true
	t1=$(now_ms)
	echo "$((t1 - t0))"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "Input: $N photos of $MP MP, $(cat "$IN"/*.jpg | wc -c | awk '{ printf "%.0f", $1 / 1e6 }') MB," \
     "$CLIENTS clients, $(nproc) cores; median of $RUNS runs"
: >"$WORK/web-times"; : >"$WORK/cp-times"
noise_start
r=0
while [ $r -lt "$RUNS" ]; do
	cp_ingest_run >>"$WORK/cp-times"
	upload_run >>"$WORK/web-times"
	r=$((r + 1))
done
CP=$(median <"$WORK/cp-times")
WEB=$(cut -d' ' -f1 "$WORK/web-times" | median)
PEAK=$(cut -d' ' -f2 "$WORK/web-times" | sort -n | tail -n 1)
IDLE=$(cut -d' ' -f3 "$WORK/web-times" | sort -n | tail -n 1)
printf '  cp + ingest              %6.2f s   (runs: %s)\n' "$(echo "$CP" | awk '{ print $1 / 1000 }')" \
	"$(tr '\n' ' ' <"$WORK/cp-times")"
printf '  8 clients -> serve       %6.2f s   (runs: %s)\n' "$(echo "$WEB" | awk '{ print $1 / 1000 }')" \
	"$(cut -d' ' -f1 "$WORK/web-times" | tr '\n' ' ')"
echo "  ratio upload/cp+ingest   $(awk -v a="$WEB" -v b="$CP" 'BEGIN { printf "%.2fx", a / b }')   (target: within 1.3x)"
echo "  serve peak memory        $(awk -v k="$PEAK" 'BEGIN { printf "%.1f MB", k / 1024 }')   (target: under 250 MB)"
echo "  serve idle memory        $(awk -v k="$IDLE" 'BEGIN { printf "%.1f MB", k / 1024 }')   (target: under 30 MB)"
noise_say "the uploads and cp + ingest"

# ---- 2. wrk: the participant page and a thumbnail, against nginx ----------
echo
if ! command -v wrk >/dev/null 2>&1; then
	echo "(wrk is not installed: no load figures)"
	exit 0
fi
start_serve
cp "$IN/$(ls "$IN" | head -n 1)" "$A/drop/"
"$PV" --archive "$A" ingest --quiet >/dev/null 2>&1 || true
# the entry belongs to nobody yet: the invitation's participant gets it
SHA=$("$PV" --archive "$A" list --json | sed -n 's/.*"sha256": *"\([0-9a-f]*\)".*/\1/p' | head -n 1)
python3 -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("UPDATE entries SET participant = ?", ("bench",)); d.commit()' "$A/catalogue.db"
THUMB=$(ls "$A"/media/*/*.thumb.jpg | head -n 1)
ID=$("$PV" --archive "$A" list --json | sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -n 1)

noise_start
PAGE=$(wrk_line "$WORK/wrk.out" 50 "$TOKEN_URL")
THUMB_WEB=$(wrk_line "$WORK/wrk.out" 50 "$TOKEN_URL/photo/$ID")
serve_stop

NGX=
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
	NG="$WORK/nginx"
	rm -rf "$NG"; mkdir -p "$NG/root" "$NG/logs"
	cp "$THUMB" "$NG/root/thumb.jpg"
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	# the workers must read what serve reads (the archive is 0700): as
	# root they run as root, not as nobody
	NGUSER=
	[ "$(id -u)" = 0 ] && NGUSER="user root root;"
	cat >"$NG/nginx.conf" <<EOF
$NGUSER
worker_processes auto;
daemon off;
pid $NG/nginx.pid;
error_log $NG/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $NG/tmp;
	server { listen 127.0.0.1:$PORT; root $NG/root; }
}
EOF
	/usr/sbin/nginx -c "$NG/nginx.conf" -p "$NG" &
	NGPID=$!
	sleep 0.5
	NGX=$(wrk_line "$WORK/wrk.out" 50 "http://127.0.0.1:$PORT/thumb.jpg")
	kill "$NGPID" 2>/dev/null; wait "$NGPID" 2>/dev/null || true
fi

show() {  # label "rps p99 non2xx"
	set -- "$1" $2
	printf '  %-28s %9.0f req/s   p99 %6.2f ms   non-2xx %s\n' "$1" "$2" "$3" "$4"
}
echo "wrk, 2 threads, 50 connections, 8 s each:"
show "serve: participant page" "$PAGE"
show "serve: thumbnail" "$THUMB_WEB"
if [ -n "$NGX" ]; then
	show "nginx: the same thumbnail" "$NGX"
	echo "  thumbnail serve/nginx     $(echo "$THUMB_WEB $NGX" | awk '{ printf "%.2fx", $1 / $4 }')   (target: at least 0.5x)"
else
	echo "  (nginx is not installed: no comparison)"
fi
echo "  (targets: p99 under 20 ms at 50 connections)"
noise_say "wrk"
