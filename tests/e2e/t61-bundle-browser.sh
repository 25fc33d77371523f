#!/bin/sh
# index.html of a bundle opened in headless Chromium: every photo renders,
# nothing is fetched from outside the bundle, and a caption holding markup
# shows as text. Skips cleanly when Chromium is not installed.
. "$(dirname "$0")/lib.sh"

CHROMIUM=${PV_TEST_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	skip "Chromium is not installed ($CHROMIUM)"
	done_testing
	exit 0
fi
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-extensions --user-data-dir="$TMP/chrome-profile" \
		--virtual-time-budget=15000 "$@" 2>"$TMP/chrome.err"
}

new_archive
copy_samples
# a caption that is markup and script, on an entry with poster consent
cat >"$A/drop/de-klik.txt" <<'EOF'
Titel: <b>Vet</b> & "zo"
Onderschrift: <script>document.title='gehackt'</script><img src=x onerror="document.title='gehackt'"> & meer
Trefwoorden: klik, <i>schuin</i>
Toestemming: poster
Toestemming-ouder: ja
Naamsvermelding: Foto: <u>Noor</u>

Een verhaal met </article> en <!-- commentaar --> erin.
EOF
pv ingest >/dev/null 2>&1
run "$TMP/out" "$TMP/err" pv bundle --tag klik --title "Preview <test>" -o "$TMP/b.zip"
check_eq "the bundle is written" 0 "$rc"
mkdir "$TMP/b" && (cd "$TMP/b" && unzip -q "$TMP/b.zip")

# a copy of the page with a checker added at its end: it lists images that
# did not load and every resource the page fetched
python3 - "$TMP/b/index.html" "$TMP/b/check.html" <<'PY'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
checker = """<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; })
                   .map(function (i) { return i.getAttribute('src'); });
  var fetched = performance.getEntriesByType('resource').map(function (r) { return r.name; });
  var out = document.createElement('pre');
  out.id = 'pv-check';
  out.textContent = JSON.stringify({images: imgs.length, broken: broken, fetched: fetched, title: document.title});
  document.body.appendChild(out);
});
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(html.replace("</body>", checker + "</body>"))
PY
chrome --dump-dom "file://$TMP/b/check.html" >"$TMP/check-dom.html"
python3 - "$TMP/check-dom.html" "$TMP/b" >"$TMP/check.txt" 2>&1 <<'PY'
import html, json, os, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="pv-check">(.*?)</pre>', dom, re.S)
assert m, "the checker did not run"
r = json.loads(html.unescape(m.group(1)))
manifest = json.load(open(os.path.join(sys.argv[2], "manifest.json")))
n = len(manifest["entries"])
print(r)
assert r["images"] == 2 * n, "a thumbnail and a preview per photo"
assert not r["broken"], "images that did not render: %s" % r["broken"]
base = "file://" + os.path.realpath(sys.argv[2]) + "/"
outside = [u for u in r["fetched"] if not u.startswith(base)]
assert not outside, "fetched from outside the bundle: %s" % outside
assert r["title"] == "Preview <test>", "the title was changed: %r" % r["title"]
PY
if [ $? -eq 0 ]; then ok "Chromium renders every photo, fetches nothing outside the bundle"; else fail "Chromium renders every photo, fetches nothing outside the bundle" "$(cat "$TMP/check.txt")" "$(tail -5 "$TMP/chrome.err")"; fi

# the page itself: the markup in the caption is text, not elements
chrome --dump-dom "file://$TMP/b/index.html" >"$TMP/dom.html"
python3 - "$TMP/dom.html" >"$TMP/dom.txt" 2>&1 <<'PY'
import sys
from html.parser import HTMLParser
class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.stack = []
        self.captions = []
        self.title = ""
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.stack.append((tag, dict(attrs).get("class")))
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass
    def handle_data(self, data):
        if self.stack and self.stack[-1][1] == "caption":
            self.captions.append(data)
        if self.stack and self.stack[-1][0] == "title":
            self.title += data
p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("tags:", sorted(set(p.tags)), "captions:", p.captions, "title:", p.title)
assert "script" not in p.tags, "a script element"
assert not {"b", "i", "u"} & set(p.tags), "markup from the catalogue became elements"
want = "<script>document.title='gehackt'</script><img src=x onerror=\"document.title='gehackt'\"> & meer"
assert want in p.captions, "the caption does not show as text"
assert p.title == "Preview <test>", p.title
PY
if [ $? -eq 0 ]; then ok "a caption with <script> shows as text"; else fail "a caption with <script> shows as text" "$(cat "$TMP/dom.txt")"; fi

# the print stylesheet: the page prints to PDF with every caption in it
chrome --print-to-pdf="$TMP/printed.pdf" --no-pdf-header-footer "file://$TMP/b/index.html" >/dev/null
if [ -s "$TMP/printed.pdf" ] && command -v pdftotext >/dev/null 2>&1; then
	pdftotext "$TMP/printed.pdf" - | tr '\n' ' ' >"$TMP/printed.txt"
	check_grep "the page prints, with the captions" "gehackt" "$TMP/printed.txt"
else
	skip "printing to PDF is not available"
fi

done_testing
