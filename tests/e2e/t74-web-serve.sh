#!/bin/sh
# photovoice serve as a command: where it listens and when it refuses to,
# TLS with a self-signed certificate, the watch inside it, commands beside
# it, and a clean stop on SIGTERM and SIGINT with a sending in flight.
. "$(dirname "$0")/lib.sh"
new_archive
PHOTO="$ROOT/sample-media/drop/fenna/IMG_2041.jpg"

# serve_start OUT [ARGS...]: serve in the background ($serve), its base in $BASE
serve_start() {
	_o=$1; shift
	"$PV" serve --listen 127.0.0.1:0 "$@" >"$_o" 2>"$_o.err" &
	serve=$!
	i=0
	until grep -q '^Serving' "$_o" 2>/dev/null || [ $i -ge 100 ]; do
		kill -0 "$serve" 2>/dev/null || break
		sleep 0.1; i=$((i + 1)); done
	BASE=$(sed -n 's/^Serving the archive at //p' "$_o")
}
serve_stop() { kill -"${1:-TERM}" "$serve" 2>/dev/null; wait "$serve"; rc=$?; }

# ---- where it listens ----
run "$TMP/out" "$TMP/err" pv serve --listen 0.0.0.0:8080
check_eq "a non-loopback address without TLS is refused (exit 2)" 2 "$rc"
check_grep "with a sentence that says what to give" 'tls-cert.*--insecure-http' "$TMP/err"
run "$TMP/out" "$TMP/err" pv serve --listen 127.0.0.1
check_eq "an address without a port is a usage error" 2 "$rc"
check_grep "and says the form" 'ADDRESS:PORT' "$TMP/err"
run "$TMP/out" "$TMP/err" pv serve --listen 127.0.0.1:99999
check_eq "a port out of range is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv serve --listen 127.0.0.1:0 --tls-cert /nonexistent.pem
check_eq "a certificate without its key is a usage error" 2 "$rc"
check_grep "and says they go together" 'go together' "$TMP/err"
run "$TMP/out" "$TMP/err" pv serve --listen 127.0.0.1:0 --tls-cert /nonexistent.pem \
	--tls-key /nonexistent.key
check_eq "a certificate that cannot be read is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv serve extra
check_eq "serve takes no words" 2 "$rc"
run "$TMP/out" "$TMP/err" pv --archive "$TMP/none" serve --listen 127.0.0.1:0
check_eq "serve of a missing archive exits 3" 3 "$rc"
python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1]); import time; time.sleep(5)' >"$TMP/port" &
blocker=$!
sleep 0.5
run "$TMP/out" "$TMP/err" pv serve --listen "127.0.0.1:$(cat "$TMP/port")"
check_eq "a port that is taken exits 3" 3 "$rc"
check_grep "and says so" 'could not start' "$TMP/err"
kill "$blocker" 2>/dev/null; wait "$blocker" 2>/dev/null

# --insecure-http on all addresses: a warning on every start
"$PV" serve --listen 0.0.0.0:0 --insecure-http >"$TMP/ins" 2>"$TMP/ins.err" &
serve=$!
i=0; until grep -q '^Serving' "$TMP/ins" 2>/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
check_grep "--insecure-http warns that photos travel unencrypted" 'WARNING.*unencrypted' "$TMP/ins.err"
serve_stop
check_eq "and stops with exit 0 on SIGTERM" 0 "$rc"

# ---- TLS with a self-signed certificate ----
if command -v openssl >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
	serve_start "$TMP/tls" --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
	check_grep "with TLS it serves https" '^Serving the archive at https://' "$TMP/tls"
	code=$(curl -s -k -o "$TMP/page" -D "$TMP/headers" -w '%{http_code}' "$BASE/")
	check_eq "and answers over TLS" 200 "$code"
	check_grep "with Strict-Transport-Security" '^Strict-Transport-Security' "$TMP/headers"
	code=$(curl -s -o /dev/null -w '%{http_code}' "http://${BASE#https://}/" || true)
	check_eq "and nothing in plain HTTP" 000 "$code"
	serve_stop
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other \
		-keyout "$TMP/key2.pem" -out "$TMP/cert2.pem" >/dev/null 2>&1
	run "$TMP/out" "$TMP/err" pv serve --listen 127.0.0.1:0 --tls-cert "$TMP/cert.pem" \
		--tls-key "$TMP/key2.pem"
	check_eq "a key that does not fit the certificate exits 3" 3 "$rc"
	check_grep "and says they do not fit" 'do not fit' "$TMP/err"
else
	skip "openssl or curl is not installed: TLS"
	skip "openssl or curl is not installed: TLS answers"
	skip "openssl or curl is not installed: HSTS"
	skip "openssl or curl is not installed: no plain HTTP"
	skip "openssl or curl is not installed: a key that does not fit"
	skip "openssl or curl is not installed: its sentence"
fi

# ---- the watch inside, and commands beside it ----
serve_start "$TMP/s1"
check_grep "serve says where it answers" '^Serving the archive at http://127.0.0.1:[0-9]+' "$TMP/s1"
cp "$PHOTO" "$A/drop/"
printf 'Titel: Naast serve\nToestemming: intern\n' >"$A/drop/IMG_2041.txt"
i=0; until pv list 2>/dev/null | grep -q 'Naast serve' || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
run "$TMP/out" "$TMP/err" pv list
check_grep "a photo dropped beside a running serve is ingested by it" 'Naast serve' "$TMP/out"
run "$TMP/out" "$TMP/err" pv tag 1 naast-serve
check_eq "tag works beside a running serve" 0 "$rc"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "ingest works beside a running serve (it waits its turn)" 0 "$rc"
run "$TMP/out" "$TMP/err" pv edit 1 --title "Nieuwe titel"
check_eq "edit works beside a running serve" 0 "$rc"

# ---- a clean stop with a sending in flight: it finishes or leaves nothing ----
LINK=$(PHOTOVOICE_BASE_URL="$BASE" "$PV" invite fenna | head -n 1)
python3 - "$LINK" "$PHOTO" >"$TMP/slow.out" 2>&1 <<'PY' &
import socket, sys, time, urllib.parse
base = urllib.parse.urlparse(sys.argv[1])
s = socket.create_connection((base.hostname, base.port))
body = open(sys.argv[2], "rb").read()
s.sendall(b"POST " + base.path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=pvboundary0123456789\r\n"
          b"Content-Length: %d\r\n\r\n--pvboundary0123456789\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n" % (len(body) + 200))
s.sendall(body[:len(body) // 2])
time.sleep(30)
PY
slow=$!
i=0; until ls "$A/tmp" | grep -q upload- || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
check_eq "the half-sent photo is being received into tmp/" 1 "$(ls "$A/tmp" | grep -c upload- || true)"
serve_stop TERM
check_eq "SIGTERM with a half-sent request stops serve with exit 0" 0 "$rc"
check_grep "and it says it stopped" '^Stopped serving' "$TMP/s1"
kill "$slow" 2>/dev/null; wait "$slow" 2>/dev/null
check_eq "and nothing of the half-sent request is left in tmp/" 0 "$(ls "$A/tmp" | grep -c upload- || true)"

# ---- connections spread over the workers ----
# Twelve browsers connect at once and keep their connections: each worker
# thread gets its share (serve hands connections out itself), not one
# worker a burst while others idle. Counted from the kernel's own list of
# what each worker's epoll watches (each also watches its wake-up fd).
serve_start "$TMP/s2"
python3 - "$BASE" "/proc/$serve" >"$TMP/spread.out" 2>&1 <<'PY'
import os, socket, sys, time, urllib.parse
base, proc = urllib.parse.urlparse(sys.argv[1]), sys.argv[2]
conns = [socket.create_connection((base.hostname, base.port)) for _ in range(12)]
for c in conns:
    c.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\n\r\n")
for c in conns:
    c.recv(65536)
time.sleep(0.3)
counts = []
for fd in os.listdir(proc + "/fd"):
    if os.readlink("%s/fd/%s" % (proc, fd)) == "anon_inode:[eventpoll]":
        counts.append(sum(line.startswith("tfd:") for line in open("%s/fdinfo/%s" % (proc, fd))))
print(" ".join(map(str, sorted(counts))))
PY
spread=$(cat "$TMP/spread.out")
check "twelve connections at once are spread over the workers, none idle ($spread)" \
	awk -v s="$spread" 'BEGIN { n = split(s, c, " "); exit !(n >= 2 && c[1] >= 2 && c[n] - c[1] <= 2) }'
serve_stop INT
check_eq "Ctrl-C (SIGINT) stops serve with exit 0" 0 "$rc"

# IPv6 loopback: it listens there, and says the address in brackets
if python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
	"$PV" serve --listen '[::1]:0' >"$TMP/s6" 2>"$TMP/s6.err" &
	serve=$!
	i=0; until grep -q '^Serving' "$TMP/s6" 2>/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	BASE=$(sed -n 's/^Serving the archive at //p' "$TMP/s6")
	check_grep "on [::1] it says the address in brackets" '^Serving the archive at http://\[::1\]:[0-9]+' "$TMP/s6"
	check_eq "and answers there" 200 "$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/login").status)' "$BASE" 2>/dev/null)"
	serve_stop TERM
else
	skip "this machine has no IPv6 loopback: serve on [::1]"
	skip "this machine has no IPv6 loopback: answers there"
fi

# a server killed outright leaves its half-received photos; the next start
# removes them
printf 'half' >"$A/tmp/upload-AbCdEf"
serve_start "$TMP/s3"
check_eq "a new serve removes what a killed one left in tmp/" 0 "$(ls "$A/tmp" | grep -c upload- || true)"
serve_stop
done_testing
