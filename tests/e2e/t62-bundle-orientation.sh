#!/bin/sh
# Photos stand upright on the poster: one turned losslessly at ingest, and one
# that kept its turn as an Orientation tag (its pixels are stored sideways and
# the poster must turn them). Checked on the rendered poster with the sample
# photos' coloured corner patches: red top-left, green top-right, blue
# bottom-left, yellow bottom-right.
. "$(dirname "$0")/lib.sh"

if ! command -v pdftoppm >/dev/null 2>&1; then
	skip "pdftoppm is not installed"
	done_testing
	exit 0
fi

new_archive
copy_samples
pv ingest --json >"$TMP/ingest.json" 2>/dev/null
tagged=$(python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(open(sys.argv[1]))["entries"] if e["orientation"] == "tagged"))' "$TMP/ingest.json")
baked=$(python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(open(sys.argv[1]))["entries"] if e["orientation"] == "baked")[:1])' "$TMP/ingest.json" | awk '{print $1}')
check "the samples hold a photo that kept its turn as a tag" test -n "$tagged"
check "and one that was turned at ingest" test -n "$baked"

# corners ID NAME: bundles entry ID alone, renders its poster, and checks
# where the four corner colours are
corners() {
	pv bundle --id "$1" --purpose internal --paper A4 --columns 1 -o "$TMP/$2.zip" >/dev/null 2>&1
	unzip -p "$TMP/$2.zip" poster.pdf >"$TMP/$2.pdf"
	pdftoppm -r 40 -singlefile "$TMP/$2.pdf" "$TMP/$2"
	PYTHONPATH="$ROOT/tests/e2e" python3 - "$TMP/$2.ppm" <<'PY'
import sys
from ppm import read_ppm
w, h, px = read_ppm(sys.argv[1])
want = {"red": (255, 0, 0), "green": (0, 200, 0), "blue": (0, 0, 255), "yellow": (255, 220, 0)}
found = {k: [0, 0, 0] for k in want}
for y in range(h):
    row = px[y * w * 3:(y + 1) * w * 3]
    for x in range(w):
        r, g, b = row[3 * x], row[3 * x + 1], row[3 * x + 2]
        for k, (R, G, B) in want.items():
            if abs(r - R) < 40 and abs(g - G) < 40 and abs(b - B) < 40:
                f = found[k]; f[0] += x; f[1] += y; f[2] += 1
c = {k: (f[0] / f[2], f[1] / f[2]) for k, f in found.items() if f[2] > 4}
print(c)
assert len(c) == 4, "not every corner patch was found"
assert c["red"][0] < c["green"][0] and c["blue"][0] < c["yellow"][0], "mirrored or turned"
assert c["red"][1] < c["blue"][1] and c["green"][1] < c["yellow"][1], "upside down or turned"
PY
}
if corners "$baked" baked >"$TMP/baked.txt" 2>&1; then ok "a photo turned at ingest stands upright on the poster"; else fail "a photo turned at ingest stands upright on the poster" "$(cat "$TMP/baked.txt")"; fi
for id in $tagged; do
	if corners "$id" "tagged-$id" >"$TMP/tagged.txt" 2>&1; then ok "entry $id, turned by its tag, stands upright on the poster"; else fail "entry $id, turned by its tag, stands upright on the poster" "$(cat "$TMP/tagged.txt")"; fi
	# the photo itself travels as stored: the same bytes as in the archive
	unzip -p "$TMP/tagged-$id.zip" manifest.json >"$TMP/m.json"
	check_eq "and its poster embeds the stored photo unchanged" "yes" "$(python3 -c '
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
m = json.load(open(sys.argv[2]))
photo = z.read(m["entries"][0]["file"])
print("yes" if photo in z.read("poster.pdf") else "no")' "$TMP/tagged-$id.zip" "$TMP/m.json")"
done

done_testing
