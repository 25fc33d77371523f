# Shared helpers for the end-to-end tests: TAP output, a temporary archive,
# and assertions that say what they expected.
# Each test script sources this, calls the helpers, and ends with `done_testing`.
set -u
PV=${PV_TEST_BIN:?run through tests/run.sh (make check)}
ROOT=${PV_TEST_ROOT:?}
BUILD=${PV_TEST_BUILD:?}
_n=0; _failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pv-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
A="$TMP/archive"
export PHOTOVOICE_ARCHIVE="$A"
# The tests' Python (archive states, JSON, zips) uses the standard library
# only. Debian's own starts in 20 ms; the python3 first on PATH on these
# machines is a pyenv shim that takes 200 ms, and the tests call it some
# thousands of times (every kill of t50 asks for the archive's state).
if [ -x /usr/bin/python3 ]; then
	mkdir -p "$TMP/.python" && ln -s /usr/bin/python3 "$TMP/.python/python3" &&
		PATH="$TMP/.python:$PATH" && export PATH
fi

ok()   { _n=$((_n + 1)); echo "ok $_n - $1"; }
fail() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $1"; }

# check DESCRIPTION COMMAND...: passes when the command exits 0
check() { d=$1; shift; if "$@" >"$TMP/.out" 2>&1; then ok "$d"; else fail "$d" "command failed: $*" "$(head -c 2000 "$TMP/.out")"; fi; }
# check_not DESCRIPTION COMMAND...: passes when the command exits non-zero
check_not() { d=$1; shift; if "$@" >"$TMP/.out" 2>&1; then fail "$d" "command succeeded: $*"; else ok "$d"; fi; }
# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected: $2" "actual:   $3"; fi; }
# check_grep DESCRIPTION PATTERN FILE
check_grep() { if grep -qE -- "$2" "$3"; then ok "$1"; else fail "$1" "no line matches /$2/ in $3:" "$(head -c 2000 "$3")"; fi; }
check_nogrep() { if grep -qE -- "$2" "$3"; then fail "$1" "unexpected match /$2/ in $3:" "$(grep -E -- "$2" "$3" | head -5)"; else ok "$1"; fi; }

# run STATUS_VAR OUT ERR COMMAND...: runs photovoice, keeps stdout/stderr/status
pv() { "$PV" "$@"; }
run() { _out=$1; _err=$2; shift 2; "$@" >"$_out" 2>"$_err"; rc=$?; }

new_archive() { rm -rf "$A"; "$PV" --archive "$A" init >/dev/null; }
# copy the generated sample drop folder into the archive's drop folder
copy_samples() { cp -r "$ROOT"/sample-media/drop/* "$A/drop/"; }
# how many photos the sample drop folder holds (loose JPEG, PNG, HEIC, and
# the photos inside its zips); the HEIC is only there where libheif encodes
sample_photo_count() {
	python3 - "$ROOT/sample-media/drop" <<'PY'
import os, re, sys, zipfile
photo = re.compile(r".*\.(jpe?g|png|heic)$", re.I)
n = 0
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        if photo.match(f): n += 1
        elif f.endswith(".zip"):
            n += sum(1 for m in zipfile.ZipFile(os.path.join(d, f)).namelist() if photo.match(m))
print(n)
PY
}

# mkzip [--stored] ZIP NAME=SOURCE...: a zip whose member NAME holds the
# file SOURCE ("@text" for literal text, "@zeros:N" for N zero bytes);
# deflated, or stored as they are with --stored (so that their bytes can be
# found in the zip)
mkzip() {
	python3 - "$@" <<'PY'
import sys, zipfile
args = sys.argv[1:]
method = zipfile.ZIP_DEFLATED
if args[0] == "--stored":
    method = zipfile.ZIP_STORED
    args = args[1:]
with zipfile.ZipFile(args[0], "w", method) as z:
    for spec in args[1:]:
        name, src = spec.split("=", 1)
        if src.startswith("@zeros:"):
            data = bytes(int(src[7:]))
        elif src.startswith("@"):
            data = src[1:].encode()
        else:
            data = open(src, "rb").read()
        z.writestr(name, data)
PY
}

# hold_lock: another command holds the archive's write lock (in the
# background, as $holder) until release_lock, at most 10 minutes.
hold_lock() {
	rm -f "$TMP/release"
	flock "$A/lock" sh -c "i=0; until [ -e '$TMP/release' ] || [ \$i -ge 6000 ]; do sleep 0.1; i=\$((i + 1)); done" &
	holder=$!
	i=0; while flock -n "$A/lock" true && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
release_lock() { touch "$TMP/release"; wait "$holder"; }
# bundle_waiting ERR: the background bundle ($bundler) has said in ERR that
# it waits for the lock, or has ended (at most 10 minutes, as under valgrind)
bundle_waiting() {
	i=0; until grep -q 'waiting for another' "$1" 2>/dev/null || ! kill -0 "$bundler" 2>/dev/null ||
		[ "$i" -ge 6000 ]; do sleep 0.1; i=$((i + 1)); done
}

done_testing() { echo "1..$_n"; [ "$_failed" -eq 0 ]; }
