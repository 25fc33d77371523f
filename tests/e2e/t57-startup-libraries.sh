#!/bin/sh
# Start-up pays only for what the command uses (issue 13): `photovoice` itself
# is the light half (the catalogue commands: libc, sqlite3, jansson, glib), so
# --version and search load none of the picture, archive and poster
# libraries, nor OpenSSL's libcrypto (only what hashes files needs it: the
# media store's writing, forget); the commands that need them (ingest,
# bundle, forget, ...) run in the full program, scrub and inspect in
# photovoice-files (libexif and turbojpeg only), both found beside
# photovoice in the build and in ../lib/photovoice/ once installed. Asserts which libraries the dynamic
# loader loads (LD_DEBUG=libs), not how long it takes (make bench times it).
. "$(dirname "$0")/lib.sh"

# the real program, not a wrapper (make valgrind puts one in $PV)
LIGHT="$BUILD/photovoice"
FULL="$BUILD/photovoice-full"
HEAVY='libcairo|libpango|libheif|libarchive|libturbojpeg|libexif|libpng|liblcms2|libharfbuzz|libfontconfig|libfreetype|libx265|libde265|libcrypto'

# loaded LOG: the base names of the libraries the loader loaded, one a line
loaded() {
	sed -n 's/.*find library=\([^ ;]*\).*/\1/p' "$1" | sort -u
}

# ---- --version and search load no heavy library -------------------------------
LD_DEBUG=libs "$LIGHT" --version >"$TMP/v.out" 2>"$TMP/v.libs"
check_grep "--version prints the version" '^photovoice [0-9]' "$TMP/v.out"
check_grep "LD_DEBUG=libs shows what the loader loads" 'find library=libc\.so' "$TMP/v.libs"
check_eq "--version loads no picture, archive or poster library" "" \
	"$(loaded "$TMP/v.libs" | grep -E "$HEAVY")"

new_archive
copy_samples
LD_DEBUG=libs "$LIGHT" ingest --quiet >/dev/null 2>"$TMP/i.libs"; rc=$?
check_eq "ingest of the sample drop folder works from photovoice" 0 "$rc"
check_grep "ingest loads the picture libraries (it runs the full program)" \
	'find library=libexif\.so' "$TMP/i.libs"
check_grep "ingest loads libheif" 'find library=libheif\.so' "$TMP/i.libs"

LD_DEBUG=libs "$LIGHT" search klik >"$TMP/s.out" 2>"$TMP/s.libs"; rc=$?
check_eq "search works" 0 "$rc"
check_grep "search finds the sample entries" '^ *[0-9]+ ' "$TMP/s.out"
check_grep "search opens the catalogue with sqlite3" 'find library=libsqlite3\.so' "$TMP/s.libs"
check_eq "search loads no picture, archive or poster library" "" \
	"$(loaded "$TMP/s.libs" | grep -E "$HEAVY")"

# every catalogue command is in the light program: it needs none of them
ldd "$LIGHT" >"$TMP/ldd" 2>&1
check_grep "ldd lists the light program's libraries" 'libsqlite3\.so' "$TMP/ldd"
check_eq "photovoice itself links no picture, archive or poster library" "" \
	"$(grep -oE "$HEAVY" "$TMP/ldd" | sort -u)"
check_grep "the full program links them" 'libcairo\.so' "$(ldd "$FULL" >"$TMP/lddf" 2>&1; echo "$TMP/lddf")"

LD_DEBUG=libs "$LIGHT" bundle --purpose internal --tag klik -o "$TMP/b.zip" >/dev/null 2>"$TMP/b.libs"; rc=$?
check_eq "bundle works from photovoice" 0 "$rc"
check_grep "bundle loads cairo" 'find library=libcairo\.so' "$TMP/b.libs"
LD_DEBUG=libs "$LIGHT" list >/dev/null 2>"$TMP/l.libs"
check_eq "list loads no heavy library" "" "$(loaded "$TMP/l.libs" | grep -E "$HEAVY")"

# a heavy command's help comes from the light program's table
"$LIGHT" bundle --help >"$TMP/h.out" 2>&1; rc=$?
check_eq "bundle --help works" 0 "$rc"
check_grep "bundle --help says its usage" '^usage: photovoice .*bundle' "$TMP/h.out"

# the help that lists every command comes from the full program
"$LIGHT" --help >"$TMP/mh.out" 2>&1; rc=$?
check_eq "--help works" 0 "$rc"
check_grep "--help lists a full-program command with its summary" '^  ingest +take in' "$TMP/mh.out"
check_grep "and a light one" '^  search +find' "$TMP/mh.out"
"$LIGHT" >/dev/null 2>"$TMP/none.err"; rc=$?
check_eq "no command: the list on stderr, exit 2" 2 "$rc"
check_grep "no command: the list names bundle" '^  bundle ' "$TMP/none.err"
"$LIGHT" help ingest >"$TMP/hi.out" 2>&1; rc=$?
check_eq "help ingest works" 0 "$rc"
check_grep "help ingest says its usage" '^usage: photovoice .*ingest' "$TMP/hi.out"

# ---- scrub and inspect: the picture libraries they use, no more --------------
# photovoice-files holds the commands on loose files (scrub, inspect): they
# load libexif and turbojpeg, not the poster, archive, HEIC or hashing ones.
FILES="$BUILD/photovoice-files"
NOT_FILES='libcairo|libpango|libheif|libarchive|libpng|liblcms2|libharfbuzz|libfontconfig|libfreetype|libx265|libde265|libcrypto|libsodium|libmicrohttpd|libqrencode'
check "photovoice-files is built beside photovoice" test -x "$FILES"
mkdir -p "$TMP/scrubbed"
one=$(ls "$ROOT"/sample-media/drop/*.jpg | head -n 1)
LD_DEBUG=libs "$LIGHT" scrub -o "$TMP/scrubbed" "$one" >/dev/null 2>"$TMP/sc.libs"; rc=$?
check_eq "scrub works from photovoice" 0 "$rc"
check_grep "scrub loads turbojpeg" 'find library=libturbojpeg\.so' "$TMP/sc.libs"
check_eq "scrub loads no poster, archive, HEIC or hashing library" "" \
	"$(loaded "$TMP/sc.libs" | grep -E "$NOT_FILES")"
LD_DEBUG=libs "$LIGHT" inspect "$one" >/dev/null 2>"$TMP/in.libs"; rc=$?
check_eq "inspect works from photovoice" 0 "$rc"
check_grep "inspect loads libexif" 'find library=libexif\.so' "$TMP/in.libs"
check_eq "inspect loads no poster, archive, HEIC or hashing library" "" \
	"$(loaded "$TMP/in.libs" | grep -E "$NOT_FILES")"
"$LIGHT" scrub --help >"$TMP/sh.out" 2>&1; rc=$?
check_eq "scrub --help works" 0 "$rc"
check_grep "scrub --help says its usage" '^usage: photovoice .*scrub' "$TMP/sh.out"
"$FILES" --archive "$TMP/none" bundle --tag klik -o "$TMP/y.zip" >/dev/null 2>&1; rc=$?
check_eq "photovoice-files runs a full-program command through photovoice-full" 3 "$rc"

# ---- exit statuses pass through ---------------------------------------------
"$LIGHT" scrub >/dev/null 2>"$TMP/u.err"; rc=$?
check_eq "a usage error of a full-program command is still exit 2" 2 "$rc"
"$LIGHT" --archive "$TMP/none" bundle --tag klik -o "$TMP/x.zip" >/dev/null 2>&1; rc=$?
check_eq "--archive goes along: a missing archive is exit 3" 3 "$rc"

# ---- the installed layout: bin/photovoice and lib/photovoice/photovoice-full --
I="$TMP/prefix"
mkdir -p "$I/bin" "$I/lib/photovoice" "$TMP/elsewhere"
cp "$LIGHT" "$I/bin/photovoice"
cp "$FULL" "$I/lib/photovoice/photovoice-full"
cp "$FILES" "$I/lib/photovoice/photovoice-files"
ln -s "$I/bin/photovoice" "$TMP/elsewhere/photovoice"
new_archive
cp "$ROOT"/sample-media/drop/*.jpg "$A/drop/" 2>/dev/null
n_in=$(ls "$A/drop"/*.jpg | wc -l)
"$TMP/elsewhere/photovoice" ingest --quiet >"$TMP/ii.out" 2>&1; rc=$?
check_eq "installed (through a symbolic link), ingest finds ../lib/photovoice/photovoice-full" 0 "$rc"
check_eq "and took in every photo" "$n_in" "$("$I/bin/photovoice" list | grep -cE '^ *[0-9]+ ')"

rm "$I/lib/photovoice/photovoice-full"
cp "$ROOT"/sample-media/drop/*.jpg "$A/drop/" 2>/dev/null
"$I/bin/photovoice" ingest --quiet >"$TMP/m.out" 2>"$TMP/m.err"; rc=$?
check_eq "without the full program, ingest stops with exit 3" 3 "$rc"
check_grep "and says which part is missing, in one sentence" \
	"^photovoice: .*'ingest'.*photovoice-full" "$TMP/m.err"
check_eq "and touched nothing" "$n_in" "$(ls "$A/drop"/*.jpg | wc -l)"
"$I/bin/photovoice" search klik >/dev/null 2>&1; rc=$?
check_eq "the light commands still work without it" 0 "$rc"
"$I/bin/photovoice" scrub -o "$TMP/scrubbed2" "$one" >/dev/null 2>&1; rc=$?
check_eq "installed, scrub finds ../lib/photovoice/photovoice-files" 0 "$rc"
rm "$I/lib/photovoice/photovoice-files"
"$I/bin/photovoice" inspect "$one" >/dev/null 2>"$TMP/mf.err"; rc=$?
check_eq "without photovoice-files, inspect stops with exit 3" 3 "$rc"
check_grep "and says which part is missing" "^photovoice: .*'inspect'.*photovoice-files" "$TMP/mf.err"

done_testing
