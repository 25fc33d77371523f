#!/bin/sh
# make demo: a fresh archive, the sample drop folder ingested, a poster bundle
# built from everything tagged "klik", and where to find it all.
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
echo "== photovoice bundle --tag klik"
$PV bundle --tag klik -o "$DIR/klik-poster.zip" --force
echo
echo "Archive:  $(cd "$DIR" && pwd)"
echo "Bundle:   $(cd "$DIR" && pwd)/klik-poster.zip"
