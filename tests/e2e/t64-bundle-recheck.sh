#!/bin/sh
# Bundles, erasure and today's date (issue 12, part 6):
# - a bundle never keeps an entry that was erased, or whose consent was
#   withdrawn, while the bundle was being built: its entries are checked again
#   under the write lock, before it is recorded and named; otherwise it is not
#   kept, with a sentence, and nothing is recorded;
# - "today" for consent is the user's local date, in bundle as in list, also
#   where the local date differs from the UTC date; the zip's bytes stay the
#   same whatever the zone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
for n in 1 2 3 4; do
	add_entry "foto$n" "Titel: Foto $n
Onderschrift: Gewoon een foto.
Toestemming: poster
Trefwoorden: plein"
done
ingest_all
first=$(id_of "Foto 1"); second=$(id_of "Foto 2"); third=$(id_of "Foto 3"); fourth=$(id_of "Foto 4")
bundles() { python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute("SELECT count(*) FROM bundles").fetchone()[0])' "$A/catalogue.db"; }

# change_while_building NAME SQL: the write lock is held until the bundle
# waits for it to record; then SQL changes the catalogue as a command that
# had the lock first would (an erasure, a withdrawn consent), and the lock is
# let go.
change_while_building() {
	hold_lock
	pv bundle --tag plein -o "$TMP/$1.zip" >"$TMP/$1.out" 2>"$TMP/$1.err" &
	bundler=$!
	bundle_waiting "$TMP/$1.err"
	python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.executescript(sys.argv[2]); db.commit()' \
		"$A/catalogue.db" "$2"
	release_lock
	wait "$bundler"; rc=$?
}

if ! command -v flock >/dev/null 2>&1; then
	skip "flock is not installed"
else
	before=$(bundles)
	change_while_building erased "DELETE FROM entries WHERE id = $second;"
	check_eq "a bundle whose entry was erased while it was built fails (exit 1)" 1 "$rc"
	check_grep "it says which entry and why" "Entry $second was erased while the bundle was being built" "$TMP/erased.err"
	check "no file is left under its name" test ! -e "$TMP/erased.zip"
	check_eq "nothing was recorded" "$before" "$(bundles)"
	check_eq "and no temporary file beside it" "" "$(ls -A "$TMP" | grep -E '^\.pv-bundle' || true)"

	change_while_building withdrawn "UPDATE entries SET consent = 'none' WHERE id = $third;"
	check_eq "a bundle whose entry lost its consent while it was built fails" 1 "$rc"
	check_grep "it says the consent changed" "Entry $third cannot go on a poster: its consent is 'none'.* It changed while the bundle was being built" "$TMP/withdrawn.err"
	check "no file is left" test ! -e "$TMP/withdrawn.zip"
	check_eq "nothing was recorded" "$before" "$(bundles)"

	change_while_building unchanged "UPDATE entries SET caption = 'Andere woorden' WHERE id = $first;"
	check_eq "new words while it was built do not stop it" 0 "$rc"
	check "that bundle is there" test -s "$TMP/unchanged.zip"
	check_eq "and recorded once" "$((before + 1))" "$(bundles)"
fi

# ---- the user's own date --------------------------------------------------
# A zone where the local date is not the UTC date, whatever the hour: 14
# hours ahead when it is 10:00 UTC or later, else 12 hours behind.
hour=$(date -u +%H)
if [ "${hour#0}" -ge 10 ]; then zone="PVT-14"; else zone="PVT+12"; fi
local_day=$(TZ=$zone date +%F); utc_day=$(date -u +%F)
if [ "$local_day" = "$utc_day" ]; then
	skip "the local and the UTC date are the same in $zone right now"
else
	# consent that ends on the earlier of the two days: it still counts
	# where that day is today, and has ended where today is the later day
	earlier=$(printf '%s\n%s\n' "$local_day" "$utc_day" | sort | head -n 1)
	check "consent for entry $fourth ends on $earlier" pv consent "$fourth" poster --until "$earlier"
	if [ "$local_day" = "$earlier" ]; then want_in=yes; else want_in=no; fi
	TZ=$zone pv bundle --json --id "$fourth" --id "$first" -o "$TMP/zone.zip" >"$TMP/zone.json" 2>"$TMP/zone.err"
	got_in=$(json_get "$TMP/zone.json" '"yes" if '"$fourth"' in [e["id"] for e in d["entries"]] else "no"')
	check_eq "bundle decides consent by the local date ($local_day in $zone, $utc_day in UTC)" "$want_in" "$got_in"
	listed=$(TZ=$zone pv list --json --consent poster | python3 -c 'import json,sys; print("yes" if '"$fourth"' in [e["id"] for e in json.load(sys.stdin)["entries"]] else "no")')
	check_eq "and agrees with list --consent poster" "$listed" "$got_in"
fi

# the zone never changes the zip's bytes
SOURCE_DATE_EPOCH=1700000000 TZ=PVT-14 pv bundle --id "$first" -o "$TMP/ahead.zip" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1700000000 TZ=PVT+12 pv bundle --id "$first" -o "$TMP/behind.zip" >/dev/null 2>&1
check_eq "the same selection gives the same bytes in any zone" \
	"$(sha256sum <"$TMP/ahead.zip")" "$(sha256sum <"$TMP/behind.zip")"

done_testing
