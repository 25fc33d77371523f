#!/bin/sh
# Colour: Adobe CMYK and YCCK photos (ink stored inverted, as Photoshop
# writes it), with and without a CMYK ICC profile, and an RGB control, appear
# as themselves on poster.pdf (rendered by poppler), on the contact sheet and
# in the preview of index.html: never as a negative, and through the profile
# when there is one. Each photo holds six patches of known colour (made by
# mkcolour, with the colour each should show); the mean colour of each patch
# is compared.
. "$(dirname "$0")/lib.sh"

if ! command -v pdftoppm >/dev/null 2>&1; then
	skip "pdftoppm is not installed"
	done_testing
	exit 0
fi

"$BUILD/mkcolour" "$TMP/made" || { fail "mkcolour makes the test photos"; done_testing; exit 1; }
new_archive

# measure ID FORM: bundles entry ID alone and compares its patches on the
# poster, the contact sheet and the preview with what FORM should show
measure() {
	d="$TMP/$2"; mkdir -p "$d"
	pv bundle --id "$1" --purpose internal --paper A4 --columns 1 -o "$d/b.zip" >/dev/null 2>"$d/err" ||
		{ echo "bundle failed: $(cat "$d/err")"; return 1; }
	(cd "$d" && unzip -q b.zip) || return 1
	pdftoppm -r 60 -singlefile "$d/poster.pdf" "$d/poster" || return 1
	"$BUILD/mkcolour" --ppm "$d/contact-sheet.jpg" "$d/sheet.ppm" || return 1
	"$BUILD/mkcolour" --ppm "$d"/previews/* "$d/preview.ppm" || return 1
	grep -q "previews/" "$d/index.html" || { echo "index.html shows no preview"; return 1; }
	PYTHONPATH="$ROOT/tests/e2e" python3 - "$d" "$2" "$TMP/made/expected.txt" <<'PY'
import sys
from ppm import read_ppm as ppm
d, form, exp_file = sys.argv[1], sys.argv[2], sys.argv[3]

def px(img, x, y):
    w, h, d = img
    i = (y * w + x) * 3
    return d[i], d[i + 1], d[i + 2]

def photo_box(img):
    """The photo on a page: the tallest block of rows that hold one long run
    of non-white pixels (text has gaps between its letters)."""
    w, h, d = img
    runs = []
    for y in range(h):
        best, start, cur = (0, 0, 0), 0, 0
        for x in range(w):
            if min(px(img, x, y)) < 235:
                if cur == 0: start = x
                cur += 1
                if cur > best[0]: best = (cur, start, x + 1)
            else:
                cur = 0
        runs.append(best if best[0] > 0.3 * w else None)
    blocks, y = [], 0
    while y < h:
        if runs[y]:
            y0 = y
            while y < h and runs[y]: y += 1
            blocks.append((y - y0, y0, y))
        y += 1
    n, y0, y1 = max(blocks)
    xs = sorted(runs[y][1] for y in range(y0, y1)); xe = sorted(runs[y][2] for y in range(y0, y1))
    return xs[len(xs) // 2], y0, xe[len(xe) // 2], y1

def patches(img, box):
    x0, y0, x1, y1 = box
    out = []
    for row in range(2):
        for col in range(3):
            cw, ch = (x1 - x0) / 3, (y1 - y0) / 2
            cx, cy = x0 + (col + 0.5) * cw, y0 + (row + 0.5) * ch
            s = [0, 0, 0]; n = 0
            for y in range(int(cy - 0.25 * ch), int(cy + 0.25 * ch)):
                for x in range(int(cx - 0.25 * cw), int(cx + 0.25 * cw)):
                    p = px(img, x, y); n += 1
                    for k in range(3): s[k] += p[k]
            out.append(tuple(v / n for v in s))
    return out

def diff(a, b):
    return max(sum(abs(p[k] - q[k]) for k in range(3)) / 3 for p, q in zip(a, b))

exp = None
for line in open(exp_file):
    f = line.split()
    if f[0] == form + ".jpg":
        v = list(map(int, f[1:])); exp = [tuple(v[i:i + 3]) for i in range(0, 18, 3)]
prev = ppm(d + "/preview.ppm")
preview = patches(prev, (0, 0, prev[0], prev[1]))
page = ppm(d + "/poster.ppm"); poster = patches(page, photo_box(page))
sheet_img = ppm(d + "/sheet.ppm"); sheet = patches(sheet_img, photo_box(sheet_img))
negative = [tuple(255 - v for v in p) for p in preview]
fmt = lambda ps: " ".join("(%d,%d,%d)" % tuple(round(v) for v in p) for p in ps)
print("expected", fmt(exp)); print("preview ", fmt(preview))
print("poster  ", fmt(poster)); print("sheet   ", fmt(sheet))
bad = []
if diff(preview, exp) > 8: bad.append("the preview is not the colour the photo holds (%.1f)" % diff(preview, exp))
if diff(poster, preview) > 10: bad.append("the poster differs from the preview (%.1f)" % diff(poster, preview))
if diff(sheet, preview) > 10: bad.append("the contact sheet differs from the preview (%.1f)" % diff(sheet, preview))
if sum(sum(abs(p[k] - q[k]) for k in range(3)) / 3 for p, q in zip(poster, negative)) / 6 < 50:
    bad.append("the poster is close to a negative")
assert not bad, "; ".join(bad)
PY
}

for form in rgb cmyk-adobe cmyk-icc ycck ycck-icc; do
	mkdir -p "$A/drop/$form"
	cp "$TMP/made/$form.jpg" "$A/drop/$form/$form.jpg"
	pv ingest --json >"$TMP/$form.json" 2>"$TMP/$form.err"
	id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"][0]["id"])' "$TMP/$form.json" 2>/dev/null)
	if [ -z "$id" ]; then
		fail "$form: the photo is taken" "$(cat "$TMP/$form.err")"
		continue
	fi
	if measure "$id" "$form" >"$TMP/$form.txt" 2>&1; then
		ok "$form: poster, contact sheet and preview show the photo's own colours"
	else
		fail "$form: poster, contact sheet and preview show the photo's own colours" "$(cat "$TMP/$form.txt")"
	fi
done

# the profile is honoured: its colours are not the plain formula's
python3 - "$TMP/made/expected.txt" >"$TMP/profile.txt" <<'PY'
import sys
rows = {l.split()[0]: list(map(int, l.split()[1:])) for l in open(sys.argv[1])}
d = max(abs(a - b) for a, b in zip(rows["cmyk-icc.jpg"], rows["cmyk-adobe.jpg"]))
print(d); assert d > 25
PY
check "the test profile gives colours the plain formula does not (so the test can tell)" test $? -eq 0

done_testing
