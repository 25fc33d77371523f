"""t76-web-posters: the poster builder of `photovoice serve` over HTTP.

GET and POST /posters/new (the whole state in the form: move up and down,
add, remove, a caption per photo), POST /posters/preview (a PNG of the page
from the same layout as poster.pdf; JSON with its notes), POST /bundles (the
bundle as a download, recorded under the staff member's name), saved posters
(GET and POST /posters, GET /posters/ID/spec, accepted by `bundle --spec`).
Every route refuses without a session and with a participant's link; forged
forms are refused; payloads (XSS, unicode, huge) in every text field come
back exact in JSON and inert in HTML, or get one sentence and a status;
nothing the consent does not allow is ever offered, drawn or bundled.
Run by t76-web-posters.sh."""
import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib as W  # noqa: E402

t = W.Tap()
A = W.Archive("pv-t76")
shutil.copytree(os.path.join(W.ROOT, "sample-media", "drop"), A.drop, dirs_exist_ok=True)
W.run_pv(A.dir, "ingest", "--quiet", check=False)
ENTRIES = {e["id"]: e for e in A.entries()}
POSTER_OK = sorted(i for i, e in ENTRIES.items() if e["effective_consent"] in ("poster", "public")
                   and not e.get("words_unconfirmed"))
NOT_OK = sorted(i for i, e in ENTRIES.items() if e["effective_consent"] in ("none", "internal"))
t.ok(len(POSTER_OK) >= 6 and NOT_OK, "the sample archive has poster entries and others",
     POSTER_OK, NOT_OK)
PW = "correct horse battery"
subprocess.run([W.PV, "--archive", A.dir, "staff", "add", "anna"], input=PW.encode(),
               check=True, capture_output=True)
TOKEN = A.invite("fenna")
S = W.Server(A)
ORIGIN = "http://127.0.0.1:%d" % S.port


def form(fields):
    return urllib.parse.urlencode(fields).encode()


def post(path, fields, cookie, json_answer=False, headers=None):
    h = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
         "Origin": ORIGIN}
    if json_answer:
        h["Accept"] = "application/json"
    h.update(headers or {})
    return S.request("POST", path, body=form(fields), headers=h, timeout=120)


def get(path, cookie, json_answer=False):
    h = {"Cookie": cookie}
    if json_answer:
        h["Accept"] = "application/json"
    return S.get(path, headers=h)


def csrf_of(page):
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    return m.group(1) if m else ""


def login():
    page = S.get("/login")
    r = S.request("POST", "/login", body=form({"name": "anna", "password": PW,
                                                "csrf": csrf_of(page)}),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    return r.headers.get("set-cookie", "").split(";")[0]


COOKIE = login()
t.ok(COOKIE.startswith("pv_session="), "anna logs in", COOKIE)
NEW = get("/posters/new", COOKIE)
CSRF = csrf_of(NEW)
t.eq(200, NEW.status, "GET /posters/new answers a logged-in member of staff")
t.ok(CSRF, "with a form token in the builder's form")


def builder(fields, cookie=COOKIE, **kw):
    f = {"csrf": CSRF, "paper": "A2", "orientation": "portrait"}
    f.update(fields)
    return post("/posters/new", f, cookie, **kw)


# ---- the guard: every route of the builder, without a session, with a link ----
ROUTES = [("GET", "/posters"), ("POST", "/posters"), ("GET", "/posters/new"),
          ("POST", "/posters/new"), ("POST", "/posters/preview"), ("GET", "/posters/1/spec"),
          ("POST", "/bundles")]
for method, path in ROUTES:
    body = form({"csrf": CSRF, "order": str(POSTER_OK[0])}) if method == "POST" else None
    h = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    r = S.request(method, path, body=body, headers=h)
    t.eq(401, r.status, "%s %s without a session is refused (401)" % (method, path))
    h2 = dict(h, Cookie="pv_session=" + TOKEN)
    r = S.request(method, path + "?token=" + TOKEN, body=body, headers=h2)
    t.eq(401, r.status, "%s %s with a participant's link as cookie is refused" % (method, path))
r = S.get("/i/%s/../../posters/new" % TOKEN)
t.ok(r.status in (400, 404), "a participant's link cannot walk to the builder", r.status)

# ---- forged forms -------------------------------------------------------------------
SOME = POSTER_OK[:3]
ORDER = ",".join(map(str, SOME))
for path in ("/posters/new", "/posters/preview", "/bundles", "/posters"):
    before = A.files()
    r = post(path, {"order": ORDER, "name": "x", "format": "zip"}, COOKIE)
    t.eq(403, r.status, "POST %s without its form token is refused (403)" % path)
    r = post(path, {"order": ORDER, "csrf": "0" * 64, "name": "x"}, COOKIE)
    t.eq(403, r.status, "POST %s with a forged form token is refused (403)" % path)
    r = post(path, {"order": ORDER, "csrf": CSRF, "name": "x"}, COOKIE,
             headers={"Origin": "http://evil.example"})
    t.eq(403, r.status, "POST %s from another website is refused (403)" % path)
    t.eq([], W.changed(before, A.files()), "and nothing was written for it")


def bundles_in_catalogue():
    con = sqlite3.connect(os.path.join(A.dir, "catalogue.db"))
    try:
        return con.execute("SELECT count(*) FROM bundles").fetchone()[0]
    finally:
        con.close()


t.eq(0, bundles_in_catalogue(), "no forged form built a bundle")

# ---- choosing entries: only what consent allows today -------------------------------
r = get("/posters/new?q=klik", COOKIE, json_answer=True)
t.eq(200, r.status, "a search in the builder answers JSON when asked")
# asked without Accept-Language, the pages speak Dutch, and so do the
# library's sentences in them (issue 16)
cands = {c["id"]: c for c in r.json()["candidates"]}
t.ok(cands, "the search finds entries", r.text[:300])
for i, c in cands.items():
    usable = i in POSTER_OK
    t.eq(usable, c["usable"], "entry %d is offered for a poster exactly when its consent allows" % i)
    if not usable:
        t.ok(c["why_not"] and ("Foto %d mag niet op een poster" % i) in c["why_not"],
             "and one that is not says why, in the library's sentence", c)
page = get("/posters/new?q=klik", COOKIE)
for i in cands:
    t.eq(i in POSTER_OK, ('value="add-%d"' % i) in page.text,
         "entry %d has an add button exactly when it may be used" % i)
bad = NOT_OK[0]
r = builder({"action": "add-%d" % bad, "order": ""}, json_answer=True)
t.eq(403, r.status, "adding an entry whose consent does not allow it is refused (403)")
t.eq([], [e["id"] for e in r.json()["entries"]], "and the poster stays as it was")
t.ok("mag niet op een poster" in r.json().get("error", ""), "with the library's sentence", r.text)
r = builder({"action": "add-%d" % POSTER_OK[0], "order": ""}, json_answer=True)
t.eq([POSTER_OK[0]], [e["id"] for e in r.json()["entries"]], "an allowed entry is added")
r = builder({"action": "add-999999", "order": ""})
t.eq(404, r.status, "adding an entry that does not exist is 404")
r = builder({"q": "klik AND (", "action": "search"})
t.ok(r.status == 200 and 'class="error"' in r.text, "a search FTS cannot read gets a sentence, not a 500",
     r.status)

# ---- the order: move up, move down, remove, as real form posts ---------------------
six = POSTER_OK[:6]
fields = {"order": ",".join(map(str, six)), "action": "down-%d" % six[0]}
r = builder(fields, json_answer=True)
t.eq([six[1], six[0]] + six[2:], [e["id"] for e in r.json()["entries"]], "Move down swaps with the next")
fields = {"order": ",".join(map(str, six)), "action": "up-%d" % six[0]}
r = builder(fields, json_answer=True)
t.eq(six, [e["id"] for e in r.json()["entries"]], "Move up on the first changes nothing")
fields = {"order": ",".join(map(str, six)), "action": "remove-%d" % six[2]}
r = builder(fields, json_answer=True)
t.eq(six[:2] + six[3:], [e["id"] for e in r.json()["entries"]], "Remove takes one out")
for forged in ("remove-999999", "up-0", "down-x", "sideways-%d" % six[0],
               "remove-%d-%d" % (six[0], six[1])):
    r = builder({"order": ",".join(map(str, six)), "action": forged}, json_answer=True)
    t.ok(r.status in (400, 404) and r.json().get("error") and
         [e["id"] for e in r.json()["entries"]] == six,
         "a forged button (%s) gets a sentence and changes nothing" % forged, r.status, r.text[:200])
page = builder({"order": ",".join(map(str, six)), "action": "down-%d" % six[0]})
t.eq(200, page.status, "the same as HTML")
t.ok(page.text.index('data-id="%d"' % six[1]) < page.text.index('data-id="%d"' % six[0]),
     "in the new order")
t.ok('name="order" id="order" value="%s"' % ",".join(map(str, [six[1], six[0]] + six[2:])) in page.text,
     "which the form carries on")
for bad_order in ("1,x", "-3", "1;DROP TABLE entries", "9" * 40):
    r = builder({"order": bad_order}, json_answer=True)
    t.ok(r.status in (400, 422) and r.json().get("error"),
         "an order that is not entry numbers gets a sentence (%r)" % bad_order, r.status, r.text[:200])
r = builder({"order": "%d,%d" % (six[0], six[0])}, json_answer=True)
t.ok(r.status == 422 and "stond al op regel" in r.json().get("error", ""),
     "an entry twice is refused with the spec's sentence", r.text[:300])
r = builder({"order": ",".join(str(i) for i in range(1, 70))}, json_answer=True)
t.ok(r.status == 422 and "hoogstens 60" in r.json().get("error", ""), "more than 60 photos is refused", r.text[:300])

# a form with more fields than the server keeps is refused whole, never cut short
many = {"order": ",".join(map(str, six[:2]))}
many.update({"cap-%d" % (100000 + i): "onderschrift %d" % i for i in range(120)})
r = builder(many, json_answer=True)
t.eq(413, r.status, "a form with 120 caption fields is refused (413), not kept in part", r.text[:200])
t.ok(r.json().get("error", "").strip() != "", "with a sentence", r.text[:200])

# ---- payloads in every text field ---------------------------------------------------
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
UNI = "Cliënt‐feedback — \u0645\u0631\u062d\u0628\u0627 👩‍👧 Ⅻ ﬁ é"
for field in ("title", "subtitle", "cap-%d" % six[0], "name", "q", "tag"):
    for payload in (XSS, UNI, "'; DROP TABLE entries; --"):
        f = {"order": ",".join(map(str, six[:2])), field: payload}
        r = builder(f)
        t.ok(r.status == 200 and "<script>alert" not in r.text and "onerror=alert" not in r.text.replace("onerror=alert(1)&gt;", ""),
             "%s: %r is inert in the builder's HTML" % (field, payload[:12]), r.status)
        if field not in ("q", "tag") and payload != XSS:
            t.ok(payload in html.unescape(r.text),
                 "%s: %r comes back as typed" % (field, payload[:12]))
        j = builder(f, json_answer=True)
        if field in ("title", "subtitle"):
            t.eq(payload, j.json()[field], "%s: exact in JSON" % field)
        elif field.startswith("cap-"):
            t.eq(payload, j.json()["entries"][0]["caption"], "%s: exact in JSON" % field)
    huge = "x" * 20000
    r = builder({"order": ",".join(map(str, six[:2])), field: huge}, json_answer=True)
    t.ok(r.status in (200, 422) and r.status < 500, "%s: 20,000 characters get an answer, not an error page" % field,
         r.status, r.text[:200])
    r = builder({"order": str(six[0]), field: "y" * (2 * 1024 * 1024)})
    t.eq(413, r.status, "%s: two megabytes are too large (413)" % field)
t.ok(ENTRIES == {e["id"]: e for e in A.entries()}, "no payload changed the catalogue")

# ---- the preview ------------------------------------------------------------------
twelve_fields = {"csrf": CSRF, "order": ",".join(map(str, six)), "title": "Gehoord",
                 "paper": "A2", "cap-%d" % six[1]: "Een eigen onderschrift"}
r = post("/posters/preview", twelve_fields, COOKIE)
t.eq(200, r.status, "POST /posters/preview answers")
t.eq("image/png", r.headers.get("content-type"), "with a PNG")
t.ok(r.body[:8] == b"\x89PNG\r\n\x1a\n", "which is one")
t.eq("no-store", r.headers.get("cache-control"), "not kept by the browser")
w = int.from_bytes(r.body[16:20], "big")
h = int.from_bytes(r.body[20:24], "big")
t.eq(900, w, "900 pixels wide unless asked otherwise")
t.ok(abs(h / w - 594 / 420) < 0.01, "in the proportions of A2 portrait", w, h)
first = r.body
twelve_fields["cap-%d" % six[1]] = "Een ander onderschrift"
r = post("/posters/preview", twelve_fields, COOKIE)
t.ok(r.body != first, "another caption draws another picture")
r = post("/posters/preview", dict(twelve_fields, orientation="landscape", width="600"), COOKIE,
         json_answer=True)
d = r.json()
t.ok(d["width"] == 600 and d["height"] < 600, "landscape, 600 wide, as JSON with the PNG", d["width"], d["height"])
t.ok(isinstance(d["warnings"], list) and isinstance(d["left_out"], list), "and its notes")
with_bad = dict(twelve_fields, order=",".join(map(str, six[:2] + [bad])))
d = post("/posters/preview", with_bad, COOKIE, json_answer=True).json()
t.eq([bad], [x["id"] for x in d["left_out"]], "an entry consent does not allow is left out of the preview")
t.ok("mag niet op een poster" in d["left_out"][0]["reason"], "with its reason")
r = post("/posters/preview", dict(twelve_fields, order=str(bad)), COOKIE)
t.eq(403, r.status, "a preview of only such entries is refused (403)")
t.ok(r.sentence(), "with a sentence", r.text[:200])
r = post("/posters/preview", dict(twelve_fields, order=""), COOKIE)
t.eq(400, r.status, "a preview of nothing is a usage error (400)")
for wbad in ("0", "99999", "abc", "-5"):
    r = post("/posters/preview", dict(twelve_fields, width=wbad), COOKIE)
    t.eq(422, r.status, "a width of %r is refused (422)" % wbad)
r = post("/posters/preview", dict(twelve_fields, paper="B5"), COOKIE)
t.eq(422, r.status, "an unknown paper is refused (422)")
t.ok("A4, A3, A2, A1 of A0" in (r.sentence() or ""), "saying which", r.sentence())

# ---- POST /bundles -----------------------------------------------------------------
order6 = [six[1], six[0]] + six[2:]
before = A.files()
r = post("/bundles", {"csrf": CSRF, "order": ",".join(map(str, order6)), "title": "Open dag",
                      "paper": "A2", "format": "zip", "cap-%d" % six[0]: "Gewijzigd onderschrift"},
         COOKIE)
t.eq(200, r.status, "POST /bundles from the builder's fields builds the bundle")
t.eq("application/zip", r.headers.get("content-type"), "a zip")
t.ok('attachment; filename="photovoice-poster.zip"' == r.headers.get("content-disposition"),
     "offered as a download", r.headers.get("content-disposition"))
t.eq([], [k for k in W.changed(before, A.files()) if k.startswith("tmp/")],
     "nothing of it stays in the archive's tmp/")
tmp = tempfile.mkdtemp(prefix="pv-t76.")
zpath = os.path.join(tmp, "b.zip")
open(zpath, "wb").write(r.body)
z = zipfile.ZipFile(zpath)
manifest = json.loads(z.read("manifest.json"))
t.eq(order6, [e["id"] for e in manifest["entries"]], "the bundle holds the entries in the chosen order")
t.eq("Gewijzigd onderschrift", [e for e in manifest["entries"] if e["id"] == six[0]][0]["caption"],
     "with the caption written for this poster")
pdf = os.path.join(tmp, "poster.pdf")
open(pdf, "wb").write(z.read("poster.pdf"))
if shutil.which("pdftotext"):
    # -raw: in the order the page draws it, photo after photo
    text = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    titles = [ENTRIES[i]["title"] for i in order6]
    t.ok(all(" ".join(x.split())[:20] in flat for x in titles), "poster.pdf shows each photo's title",
         titles, flat[:600])
    # each title found after the one before it (a story may hold words of a title)
    where, at = [], 0
    for x in titles:
        at = flat.find(" ".join(x.split())[:20], at)
        where.append(at)
    t.ok(all(p >= 0 for p in where), "in the chosen order", where, flat[:1500])
    t.ok("Gewijzigd onderschrift" in flat, "and the caption written for this poster")
    for i in NOT_OK:
        if ENTRIES[i]["title"]:
            t.ok(" ".join(ENTRIES[i]["title"].split())[:20] not in flat,
                 "entry %d (consent %s) is not on the poster" % (i, ENTRIES[i]["effective_consent"]))
else:
    t.skip("pdftotext is not installed")
_, log, _ = W.run_pv(A.dir, "log")
t.ok(re.search(r"anna +bundle +bundle \d+ \(poster\): 6 entries", log), "the log says anna built it",
     log[-500:])
spec = "Titel: Spec\n%d\n%d: Met een eigen regel\n" % (six[2], six[3])
r = post("/bundles", {"csrf": CSRF, "spec": spec, "format": "tar.gz"}, COOKIE)
t.ok(r.status == 200 and r.headers.get("content-disposition", "").endswith('photovoice-poster.tar.gz"'),
     "POST /bundles takes a spec's text and a format", r.status)
r = post("/bundles", {"csrf": CSRF, "spec": "Papier: B5\n%d\n" % six[0], "format": "zip"}, COOKIE)
t.eq(422, r.status, "a spec with a mistake is refused (422)")
t.eq("Regel 1 van de spec: het papier moet A4, A3, A2, A1 of A0 zijn.", r.sentence(),
     "with the spec's own sentence")
r = post("/bundles", {"csrf": CSRF, "spec": "%d\n" % bad, "format": "zip"}, COOKIE, json_answer=True)
t.eq(403, r.status, "a bundle of entries consent does not allow is refused (403)")
t.ok("er is niets geschreven" in r.json().get("error", ""), "in one sentence", r.text)
r = post("/bundles", {"csrf": CSRF, "spec": "%d\n" % six[0], "format": "rar"}, COOKIE)
t.eq(422, r.status, "an unknown format is refused (422)")
# payloads in the spec's text: inert in the answer, the same sentence as the command line
for payload in ("Titel: " + XSS + "\n%d: %s\n" % (six[0], XSS),
                "Title: " + UNI + "\n%d: %s\n" % (six[0], UNI),
                "%d\n" % six[0] + "x" * 9000 + "\n",
                "\x00\xff\xfe%d\n" % six[0], "1;DROP TABLE entries\n"):
    r = post("/posters/preview", {"csrf": CSRF, "spec": payload}, COOKIE, json_answer=True)
    t.ok(r.status in (200, 422) and (r.status == 200 or r.json().get("error", "").startswith("Regel ")),
         "a spec of %r gets a preview or the spec's sentence" % payload[:16], r.status, r.text[:200])
    if r.status == 200:
        t.ok(r.json()["png"] and "<script" not in r.text.replace("\\u003c", ""),
             "and its answer carries nothing of it but the picture")
r = post("/posters/preview", {"csrf": CSRF, "spec": "Title: x\n%d\n" % six[0] + "z" * (2 * 1024 * 1024)},
         COOKIE)
t.eq(413, r.status, "a spec of two megabytes is too large (413)")
r = post("/bundles", {"csrf": CSRF, "spec": "", "format": "zip"}, COOKIE)
t.ok(r.status in (400, 422) and r.sentence(), "an empty spec gets a sentence", r.status)

# ---- saved posters -----------------------------------------------------------------
name = "Open dag " + UNI
r = post("/posters", {"csrf": CSRF, "order": ",".join(map(str, order6)), "title": XSS,
                      "paper": "A1", "orientation": "landscape", "columns": "3", "name": name,
                      "cap-%d" % six[0]: "Gewijzigd onderschrift"}, COOKIE)
t.eq(303, r.status, "saving a poster goes back to the builder (303)")
m = re.search(r"/posters/new\?poster=(\d+)$", r.headers.get("location", ""))
t.ok(m, "with the saved poster open", r.headers.get("location"))
pid = int(m.group(1)) if m else 0
lst = get("/posters", COOKIE, json_answer=True).json()
t.eq(1, lst["count"], "GET /posters lists it")
p = lst["posters"][0]
t.eq((name, XSS, "A1", "landscape", 3, "anna"), (p["name"], p["title"], p["paper"], p["orientation"],
                                                 p["columns"], p["saved_by"]),
     "with its name, settings and who saved it, exact")
t.eq(order6, [e["id"] for e in p["entries"]], "and its entries in order")
page = get("/posters", COOKIE)
t.ok("<script>alert" not in page.text and html.escape(name) in page.text, "the list's HTML is inert")
opened = get("/posters/new?poster=%d" % pid, COOKIE, json_answer=True).json()
t.eq(order6, [e["id"] for e in opened["entries"]], "the saved poster opens again in the builder")
t.eq("Gewijzigd onderschrift", opened["entries"][0 if order6[0] == six[0] else 1]["caption"],
     "with its captions")
r = get("/posters/%d/spec" % pid, COOKIE)
t.eq("text/plain; charset=utf-8", r.headers.get("content-type"), "the spec export is text")
t.ok('filename="poster-%d.spec"' % pid in r.headers.get("content-disposition", ""), "a download")
spec_path = os.path.join(tmp, "saved.spec")
open(spec_path, "wb").write(r.body)
st, out, err = W.run_pv(A.dir, "bundle", "--spec", spec_path, "--json", "-o",
                        os.path.join(tmp, "cli.zip"), check=False)
t.eq(0, st, "photovoice bundle --spec takes the exported spec", err)
if st == 0:
    rep = json.loads(out)
    t.eq(order6, [e["id"] for e in rep["entries"]], "and builds the same entries in the same order")
    t.eq(("A1", "landscape"), (rep["paper"], rep["orientation"]), "on the same paper")
r = post("/posters", {"csrf": CSRF, "order": str(six[0]), "name": "", "paper": "A2"}, COOKIE)
t.eq(422, r.status, "a poster without a name is not saved (422)")
r = post("/posters", {"csrf": CSRF, "order": str(six[0]), "name": "n" * 300, "paper": "A2"}, COOKIE)
t.eq(422, r.status, "nor one with a name of 300 characters")
r = post("/posters", {"csrf": CSRF, "order": str(six[0]), "name": "x", "poster": "4242"}, COOKIE)
t.eq(404, r.status, "saving over a poster that does not exist is 404")
for bad_id in ("0", "x", "99999", "1%2F..%2F..", "-1"):
    r = get("/posters/%s/spec" % bad_id, COOKIE)
    t.eq(404, r.status, "GET /posters/%s/spec is 404" % bad_id)
r = get("/posters/new?poster=4242", COOKIE)
t.eq(404, r.status, "opening a saved poster that does not exist is 404")

# an erased entry leaves no line, and no caption, in any saved poster
W.run_pv(A.dir, "forget", str(six[0]))
opened = get("/posters/new?poster=%d" % pid, COOKIE, json_answer=True).json()
t.eq([i for i in order6 if i != six[0]], [e["id"] for e in opened["entries"]],
     "after forget the saved poster no longer holds the entry")
con = sqlite3.connect(os.path.join(A.dir, "catalogue.db"))
left = con.execute("SELECT count(*) FROM poster_entries WHERE caption = 'Gewijzigd onderschrift'").fetchone()[0]
con.close()
t.eq(0, left, "nor the caption written for it")

# ---- languages and the log ---------------------------------------------------------
r = S.get("/posters/new", headers={"Cookie": COOKIE, "Accept-Language": "en-GB,en;q=0.9"})
t.ok("Make a poster" in r.text and 'lang="en"' in r.text, "English when the browser asks")
t.ok("Poster maken" in NEW.text and 'lang="nl"' in NEW.text, "Dutch first")
shutil.rmtree(tmp, ignore_errors=True)
S.stop_cleanly(t, "serve")
out = S.output()
t.ok(TOKEN not in out and PW not in out and "Gewijzigd" not in out,
     "no token, password or caption in serve's output")
t.done()
