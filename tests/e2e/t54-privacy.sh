#!/bin/sh
# Privacy of what is around the photos: the archive is 0700 and its files
# 0600 whatever the umask; no planted identifying value or original file name
# in the archive, the catalogue, the log or an error message; temporary files
# only inside the archive (or beside a bundle's output), never in /tmp, and
# none left after an error; the HTML preview and the CSV escape what
# participants wrote.
. "$(dirname "$0")/lib.sh"

count() { pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }

# ---- modes whatever the umask ---------------------------------------------------
rm -rf "$A"
(umask 000 && "$PV" init >/dev/null && copy_samples && "$PV" ingest --quiet >/dev/null 2>&1 &&
	"$PV" bundle --purpose internal --tag klik -o "$TMP/b.zip" >/dev/null 2>&1)
check_eq "with umask 000 the archive folder is 0700" 700 "$(stat -c %a "$A")"
check_eq "with umask 000 every folder in the archive is 0700 (drop/ as made by init)" "" \
	"$(find "$A" -type d ! -perm 0700 ! -path "$A/drop/*" -printf '%P %m\n')"
check_eq "with umask 000 every file photovoice wrote is 0600" "" \
	"$(find "$A" -type f ! -perm 0600 ! -path "$A/drop/*" -printf '%P %m\n')"
check_eq "with umask 000 quarantine reasons are 0600" "" \
	"$(find "$A/drop/.quarantine" -type f ! -perm 0600 -printf '%P %m\n')"
if [ -f "$TMP/b.zip" ]; then
	check_eq "with umask 000 a bundle is written 0600 (it holds the photos)" 600 "$(stat -c %a "$TMP/b.zip")"
else
	fail "the bundle under umask 000 was written"
fi

# ---- no identifying value or original name anywhere it should not be -----------------
new_archive
copy_samples
# a photo whose metadata carries the canary and that is refused: the refusal
# must not quote what was inside
good=$(find "$ROOT/sample-media/drop" -iname '*.jpg' | head -n 1)
head -c 3000 "$good" >"$A/drop/kapot.jpg"   # cut inside its Exif block
run "$TMP/ingest.out" "$TMP/ingest.err" pv ingest
for cmd in "list" "list --json" "show 1" "show 1 --json" "log" "log --json" "audit"; do
	pv $cmd >>"$TMP/all.out" 2>>"$TMP/all.err"
done
pv bundle --purpose internal --tag klik -o "$TMP/k.zip" >>"$TMP/all.out" 2>>"$TMP/all.err"
cat "$TMP/ingest.out" "$TMP/ingest.err" "$TMP/all.out" "$TMP/all.err" >"$TMP/said"
check_nogrep "no planted identifying value in anything photovoice printed" 'GEHEIM' "$TMP/said"
check_nogrep "no planted identifying value in the refusal of a damaged photo" 'GEHEIM' "$A/drop/.quarantine/kapot.jpg.reason.txt"
if grep -rqa GEHEIM "$A" --exclude-dir=drop; then
	fail "no planted identifying value in the archive (catalogue, WAL, media, tmp)" "$(grep -rla GEHEIM "$A" --exclude-dir=drop)"
else
	ok "no planted identifying value in the archive (catalogue, WAL, media, tmp)"
fi
names=$(find "$ROOT/sample-media/drop" -iname '*.jpg' -exec basename {} \; | sed 's/\.[^.]*$//')
leaked=""
for n in $names; do
	grep -rqa -- "$n" "$A" --exclude-dir=drop && leaked="$leaked $n"
done
check_eq "no original file name in the catalogue, its WAL or the media store" "" "$leaked"
leaked=""
for n in $names; do
	pv log >"$TMP/log.txt" 2>/dev/null
	grep -qa -- "$n" "$TMP/log.txt" && leaked="$leaked $n"
done
check_eq "no original file name in the audit trail" "" "$leaked"
check_nogrep "no path of the drop folder in the catalogue" "$A/drop" "$A/catalogue.db"

# ---- temporary files: inside the archive, never in /tmp, none left -------------------
if [ -n "${PV_TEST_VALGRIND:-}" ]; then
	skip "under valgrind the trace would follow valgrind's own files"
	skip "under valgrind: tmp/ after a refusal (checked in the plain run)"
	skip "under valgrind: the trace"
elif command -v strace >/dev/null 2>&1 && strace -z -o /dev/null true 2>/dev/null; then
	# -z: only calls that succeeded, each printed whole once it returns; without
	# it a call interrupted by another thread is split over two lines and a
	# failed mkdir("/tmp") of pv_mkdir_p looked like a file made in /tmp
	new_archive
	copy_samples
	printf 'not a photo\n' >"$A/drop/nep.jpg"
	mkdir -p "$TMP/bout"
	strace -f -qq -z -o "$TMP/trace" -e trace=openat,open,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink \
		"$PV" ingest --quiet >/dev/null 2>&1
	strace -f -qq -z -o "$TMP/trace2" -e trace=openat,open,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink \
		"$PV" bundle --purpose internal --tag klik -o "$TMP/bout/t.zip" >/dev/null 2>&1
	# every path photovoice created: under the archive, or (bundle) beside its
	# output; fontconfig's own font cache is the one allowed exception, and
	# /proc/self/fd/N, the source of the link that names the bundle's unnamed
	# file, is an open file, not a new one
	cat "$TMP/trace" "$TMP/trace2" |
		grep -E 'O_CREAT|mkdir|rename|link\(|linkat|creat\(' | grep -v ' = -1 ' |
		grep -oE '"[^"]*"' | tr -d '"' | sort -u |
		grep -vE "^($A|$TMP/bout)(/|\$)" | grep -vE '/fontconfig(/|$)|^/dev/|^/proc/self/fd/[0-9]+$' >"$TMP/outside"
	check_grep "the trace saw ingest store photos (so it watched the right process)" "\"$A/media/" "$TMP/trace"
	check_eq "ingest and bundle create files only inside the archive or beside the bundle" "" "$(cat "$TMP/outside")"
	check_eq "after ingest with a refused file, nothing is left in tmp/" 0 "$(find "$A/tmp" -type f | wc -l)"
else
	skip "strace is not installed or not permitted: where temporary files go"
	skip "strace is not installed or not permitted: tmp/ after a refusal"
	skip "strace is not installed or not permitted: the trace"
fi

# a bundle that cannot be written completely leaves nothing beside its output
new_archive
copy_samples
pv ingest --quiet >/dev/null 2>&1
mkdir -p "$TMP/full"
run "$TMP/out" "$TMP/err" sh -c "trap '' XFSZ; ulimit -f 200; exec \"\$0\" bundle --purpose internal --tag klik -o \"$TMP/full/x.zip\"" "$PV"
check "a bundle that cannot be written exits non-zero" test "$rc" -ne 0
check_grep "and says so in a sentence" '^photovoice: .*[a-z].*[.)]$' "$TMP/err"
check_eq "and leaves no file at all beside its output" "" "$(ls -A "$TMP/full")"

# ---- escaping in the HTML preview and the CSV -------------------------------------
new_archive
"$BUILD/mksample" --bench 1 --megapixels 0.02 "$TMP/one" >/dev/null
cp "$TMP"/one/*.jpg "$A/drop/esc.jpg"
cat >"$A/drop/esc.txt" <<'EOF'
Titel: <script>alert('titel')</script> & "zo"
Onderschrift: =HYPERLINK("http://example.invalid/x";"klik hier")
Trefwoorden: esc
Naamsvermelding: +31 6 <b>vet</b>
Toestemming: poster

@SUM(1+1) en <img src=x onerror=alert(1)>
EOF
pv ingest --quiet >/dev/null 2>&1
run "$TMP/out" "$TMP/err" pv bundle --tag esc -o "$TMP/esc.zip"
check_eq "a bundle of hostile captions is written" 0 "$rc"
mkdir -p "$TMP/esc"
(cd "$TMP/esc" && python3 -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall()' "$TMP/esc.zip")
html=$(find "$TMP/esc" -name '*.html' | head -n 1)
if [ -n "$html" ]; then
	check_nogrep "index.html holds no raw <script> from a caption" "<script>alert" "$html"
	check_nogrep "index.html holds no raw <img> from a story" "<img src=x" "$html"
	check_nogrep "index.html holds no raw <b> from a credit" "<b>vet" "$html"
	check_grep "index.html shows the title escaped" '&lt;script&gt;' "$html"
else
	skip "the bundle has no HTML preview yet"
fi
csv=$(find "$TMP/esc" -name '*.csv' | head -n 1)
if [ -n "$csv" ]; then
	# no cell may start with = + - @ (or a tab/CR before them): spreadsheets
	# would run it as a formula
	check "no CSV cell starts like a formula" python3 - "$csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
# the header row names the image column @photo, as InDesign wants
bad = [c for r in rows[1:] for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
sys.exit(1 if bad else 0)
EOF
	check_grep "the formula caption is still there, as text" 'HYPERLINK' "$csv"
else
	skip "the bundle has no CSV yet"
fi

done_testing
