#!/bin/sh
# The whole path: the sample drop folder ingested into a fresh archive, listed,
# tagged and bundled; nothing identifying in the archive or the bundle.
. "$(dirname "$0")/lib.sh"

new_archive
copy_samples
nphotos=$(sample_photo_count)
run "$TMP/out" "$TMP/err" pv --archive "$A" ingest
check_eq "ingest of the sample drop folder exits 0" 0 "$rc"
check_eq "every sample photo became an entry" "$nphotos" "$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
left=$(find "$A/drop" -path "$A/drop/.quarantine" -prune -o -type f -print | grep -v '\.generated$' | wc -l)
check_eq "the drop folder is empty afterwards" 0 "$left"
check_eq "nothing was quarantined" 0 "$(find "$A/drop/.quarantine" -type f | wc -l)"

# the screenshot, the iPhone photo and the zip submission are entries too
title_of() { pv list --json | python3 -c 'import json,sys; print([e for e in json.load(sys.stdin)["entries"] if e["title"] == sys.argv[1]][0][sys.argv[2]])' "$1" "$2"; }
check_grep "the PNG screenshot is made a JPEG" '^entry .*sem/groepsapp.png .*made a JPEG from PNG' "$TMP/out"
check_eq "the screenshot's caption file is used" "intern sem" "$(title_of 'De groepsapp' consent | sed 's/internal/intern/') $(title_of 'De groepsapp' participant)"
if [ -f "$ROOT/sample-media/drop/fenna/IMG_2102.heic" ]; then
	check_grep "the HEIC photo is made a JPEG" '^entry .*fenna/IMG_2102.heic .*made a JPEG from HEIC' "$TMP/out"
	check_eq "its JSON caption file is used" "poster Foto: Fenna, 15" "$(title_of 'Mijn eigen sleutel' consent) $(title_of 'Mijn eigen sleutel' credit)"
	check_eq "it is stored upright (the HEIC's turn applied): portrait" "1200x1600" "$(title_of 'Mijn eigen sleutel' width)x$(title_of 'Mijn eigen sleutel' height)"
else
	skip "no HEVC encoder here: the sample HEIC was not made"
fi
check_grep "the photo in the zip is taken" '^entry .*inzending-maart.zip/inzending-maart/IMG_5001.jpg' "$TMP/out"
check_eq "its caption file inside the zip is used" "Daan poster" "$(title_of 'Het bankje' participant) $(title_of 'Het bankje' consent)"
check_eq "the zip left the drop folder" "" "$(find "$A/drop" -name '*.zip')"
for sha in $(pv list --json | python3 -c 'import json,sys; print(" ".join(e["sha256"] for e in json.load(sys.stdin)["entries"]))'); do
	for kind in thumb preview; do
		f="$A/media/$(echo "$sha" | cut -c1-2)/$sha.$kind.jpg"
		[ -s "$f" ] || fail "entry $sha has its $kind" "missing: $f"
	done
done
ok "every entry has its thumbnail and preview"

# archive is private
check_eq "archive folder is 0700" 700 "$(stat -c %a "$A")"
check_eq "stored photos are 0600" "" "$(find "$A/media" -type f ! -perm 0600)"

# no original file name in the media store or the catalogue
check_eq "stored photos and their thumbnails and previews are named by their hash" "" "$(find "$A/media" -type f | grep -vE '/[0-9a-f]{2}/[0-9a-f]{64}(\.thumb|\.preview)?\.jpg$')"
if grep -qa "IMG_2041" "$A/catalogue.db"; then fail "no original file name in the catalogue"; else ok "no original file name in the catalogue"; fi

# every stored photo is clean: inspect finds nothing identifying
for f in "$A"/media/*/*.jpg; do
	pv inspect --json "$f" >"$TMP/inspect.json" 2>&1
	if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all(x["clean"] for x in d["files"]) else 1)' "$TMP/inspect.json"; then :; else
		fail "stored photo $(basename "$f") is clean" "$(head -c 1500 "$TMP/inspect.json")"; fi
done
ok "inspect finds nothing identifying in any stored photo"

if command -v exiftool >/dev/null 2>&1; then
	exiftool -q -a -G1 -s "$A"/media/*/*.jpg >"$TMP/exif.txt" 2>&1
	# only file facts, JFIF, ICC, Adobe, and an Orientation tag alone where a
	# lossless turn was impossible, may remain
	grep -vE '^\[(File|System|ExifTool|Composite|JFIF|ICC[-_a-zA-Z]*|Adobe)\]|^\[IFD0\] +Orientation|^=+|^ *[0-9]+ image files read' "$TMP/exif.txt" >"$TMP/exif-left.txt"
	check_eq "exiftool finds nothing but file facts, JFIF, ICC, Adobe and Orientation" "" "$(cat "$TMP/exif-left.txt")"
else
	skip "exiftool is not installed"
fi

# the generator plants the marker PV-GEHEIM in every identifying field
if grep -rqa "PV-GEHEIM" "$A"; then fail "no planted identifying value anywhere in the archive folder" "$(grep -rla PV-GEHEIM "$A")"; else ok "no planted identifying value anywhere in the archive folder"; fi

# show, tag
id=$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][0]["id"])')
pv show "$id" --json >"$TMP/show.json"
check "show --json is one valid JSON document" python3 -m json.tool "$TMP/show.json"
check "tag adds tags" pv tag "$id" Extra Tweede
check_grep "tags are stored in lower case" '"extra"' "$(pv show "$id" --json >"$TMP/s2.json"; echo "$TMP/s2.json")"
check "tag removes a tag with a leading -" pv tag "$id" -extra
pv show "$id" --json >"$TMP/s3.json"
check_nogrep "the removed tag is gone" '"extra"' "$TMP/s3.json"
run "$TMP/out" "$TMP/err" pv show 9999
check_eq "show of a missing entry exits 1" 1 "$rc"
check_grep "and says so in a sentence" 'no entry 9999' "$TMP/err"

# bundle: only poster/public consent, the others named on stderr
run "$TMP/out" "$TMP/err" pv bundle --tag klik -o "$TMP/klik.zip"
check_eq "bundle exits 0" 0 "$rc"
check_grep "entries without poster consent are named as left out" '^photovoice: Entry [0-9]+ cannot go on a poster: ' "$TMP/err"
mkdir -p "$TMP/unz" && (cd "$TMP/unz" && unzip -q "$TMP/klik.zip")
check "SHA256SUMS verifies" sh -c "cd '$TMP/unz' && sha256sum -c --quiet SHA256SUMS"
python3 - "$TMP/unz/manifest.json" "$A" >"$TMP/manifest-check.txt" 2>&1 <<'PY'
import json, sys, subprocess
m = json.load(open(sys.argv[1]))
ids = [e["id"] for e in m["entries"]]
bad = []
for e in m["entries"]:
    show = json.loads(subprocess.run([__import__("os").environ["PV_TEST_BIN"], "--archive", sys.argv[2], "show", str(e["id"]), "--json"], capture_output=True, text=True).stdout)
    if show["consent"] not in ("poster", "public"): bad.append(e["id"])
    if "klik" not in show["tags"]: bad.append(e["id"])
print("entries", ids, "bad", bad)
sys.exit(1 if bad or not ids else 0)
PY
if [ $? -eq 0 ]; then ok "bundle holds only klik entries with poster or public consent"; else fail "bundle holds only klik entries with poster or public consent" "$(cat "$TMP/manifest-check.txt")"; fi
if grep -rqa "PV-GEHEIM" "$TMP/unz" "$TMP/klik.zip"; then fail "no planted identifying value anywhere in the bundle"; else ok "no planted identifying value anywhere in the bundle"; fi
check_eq "bundle photo names are order and id only" "" "$(unzip -Z1 "$TMP/klik.zip" | grep '^photos/' | grep -vE '^photos/[0-9]{2,}-[0-9]+\.jpg$')"
for f in "$TMP"/unz/photos/*.jpg; do
	if ! pv inspect "$f" >/dev/null 2>&1; then fail "bundle photo $(basename "$f") reads"; fi
done
ok "bundle photos read"
run "$TMP/out" "$TMP/err" pv bundle --tag klik -o "$TMP/klik.zip"
check_eq "an existing bundle is not overwritten without --force" 1 "$rc"
SOURCE_DATE_EPOCH=1700000000 pv bundle --tag klik -o "$TMP/a.zip" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1700000000 pv bundle --tag klik -o "$TMP/b.zip" >/dev/null 2>&1
check "two bundles of the same selection are byte-identical" cmp "$TMP/a.zip" "$TMP/b.zip"

# second ingest of the same photos: recognised, not stored twice
copy_samples
before=$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
run "$TMP/out" "$TMP/err" pv ingest
after=$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
check_eq "the same photos dropped again are not stored twice" "$before" "$after"
check_grep "and are reported as already in the archive" 'already in the archive' "$TMP/out"
check_eq "and nothing is left behind in the drop folder" 0 "$(find "$A/drop" -path "$A/drop/.quarantine" -prune -o -type f -print | grep -v '\.generated$' | wc -l)"

done_testing
