# Shared by the parts of `make bench` that run `photovoice serve`
# (tests/bench/web.sh, workspace.sh, poster.sh): sourced, never run. The
# sourcing script sets BUILD and WORK first.

SERVE_PID=
# the EXIT trap of a script that starts serve; a script with more to clean
# sets its own trap that calls this
serve_cleanup() { [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; return 0; }
trap serve_cleanup EXIT

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# serve_start ARCHIVE NAME: `photovoice serve` on ARCHIVE on a free loopback
# port, without rate limits, its output in $WORK/NAME.out and .err; sets
# SERVE_PID and URL once it says where it serves (10 s at most).
serve_start() {
	PV_WEB_RATE=0,0,0 "$BUILD/photovoice-full" --archive "$1" serve --quiet \
		--listen 127.0.0.1:0 >"$WORK/$2.out" 2>"$WORK/$2.err" &
	SERVE_PID=$!
	i=0
	until grep -q '^Serving' "$WORK/$2.out" 2>/dev/null || [ $i -ge 100 ]; do
		sleep 0.1; i=$((i + 1)); done
	URL=$(sed -n 's/^Serving the archive at //p' "$WORK/$2.out")
}

serve_stop() {
	kill "$SERVE_PID" 2>/dev/null || true
	wait "$SERVE_PID" 2>/dev/null || true
	SERVE_PID=
}

# wrk_line OUT CONNECTIONS URL [WRK OPTION...]: wrk, 2 threads, 8 s, its
# report in OUT; prints "requests/s p99_ms non2xx".
wrk_line() {
	out=$1; conns=$2; url=$3; shift 3
	wrk -t2 -c"$conns" -d8s --latency "$@" "$url" >"$out" 2>&1 || true
	rps=$(awk '/^Requests\/sec/ { print $2 }' "$out")
	p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
		else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
		print v }' "$out")
	non2xx=$(awk '/Non-2xx/ { print $NF }' "$out")
	echo "${rps:-0} ${p99:-0} ${non2xx:-0}"
}

# The machine's noise, as the figures need it: on a virtual machine the host
# takes CPU time from us ("steal" in /proc/stat) when its other guests are
# busy, and a timing taken then is slower for reasons outside photovoice.
# noise_start; ...; noise_say WHAT prints the share stolen meanwhile (of
# user, nice, system, idle, iowait, irq, softirq and steal: guest time is
# counted in user already).
cpu_line() { head -n 1 /proc/stat 2>/dev/null; }
noise_start() { NOISE_FROM=$(cpu_line); }
noise_say() {
	printf '%s\n%s\n' "$NOISE_FROM" "$(cpu_line)" | awk -v what="$1" '
		NR == 1 { for (i = 2; i <= 9; i++) a[i] = $i }
		NR == 2 { for (i = 2; i <= 9; i++) t += $i - a[i]; s = $9 - a[9]; i = $5 - a[5] }
		END { if (t > 0) printf "  machine noise during %s: %.1f%% of CPU time taken by the host (steal), %.1f%% idle\n", what, 100 * s / t, 100 * i / t }'
}
