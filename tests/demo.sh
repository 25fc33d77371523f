#!/bin/sh
# make demo: a fresh archive, the sample drop folder ingested, a poster bundle
# of every entry with poster consent (through a spec file), and where to find
# it all.
set -eu
BIN=$1
DIR=$2
PV="$BIN --archive $DIR"
rm -rf "$DIR"
$PV init >/dev/null
cp -r sample-media/drop/. "$DIR/drop/"
rm -f "$DIR/drop/.generated"
echo "== photovoice ingest"
# exit 1 only means some file was set aside (the report says which); worse stops the demo
status=0
$PV ingest || status=$?
[ "$status" -le 1 ] || exit "$status"
echo
echo "== photovoice list"
$PV list
echo
# a spec file: the poster's title and paper, and every entry whose maker
# agreed to a poster, in catalogue order
{
	echo "Titel: Cliëntfeedback in beeld"
	echo "Ondertitel: Wat jongeren en ouders ons lieten zien"
	echo "Papier: A2"
	echo
	{ $PV list --consent poster; $PV list --consent public; } |
		awk '$1 ~ /^[0-9]+$/ && !seen[$1]++ { print $1 }' | sort -n
} >"$DIR/poster.spec"
echo "== photovoice bundle --spec $DIR/poster.spec"
cat "$DIR/poster.spec"
echo
$PV bundle --spec "$DIR/poster.spec" -o "$DIR/klik-poster.zip" --force
# unpacked beside it, so that the poster and the preview open with a click
OUT="$(cd "$DIR" && pwd)"
rm -rf "$OUT/klik-poster"
if command -v unzip >/dev/null 2>&1; then
	unzip -q "$OUT/klik-poster.zip" -d "$OUT/klik-poster"
elif command -v python3 >/dev/null 2>&1; then
	python3 -m zipfile -e "$OUT/klik-poster.zip" "$OUT/klik-poster"
fi
echo
echo "Archive:  $OUT"
echo "Bundle:   $OUT/klik-poster.zip"
if [ -f "$OUT/klik-poster/poster.pdf" ]; then
	echo "Poster:   $OUT/klik-poster/poster.pdf"
	[ -f "$OUT/klik-poster/index.html" ] && echo "Preview:  $OUT/klik-poster/index.html"
fi
# the web: a personal link for one participant, and how to open it
LINK=$($PV invite fenna 2>/dev/null || true)
echo
echo "The web (phone page and staff log-in), on this machine:"
echo "  $BIN --archive $OUT serve"
[ -n "$LINK" ] && echo "  then open fenna's phone page: $LINK"
echo "  staff log in at http://127.0.0.1:8080/login after:"
echo "  $BIN --archive $OUT staff add YOUR-NAME"
exit 0
