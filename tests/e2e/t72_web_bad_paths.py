"""t72-web-bad-paths: every way a request to `photovoice serve` can be wrong
gets its status and one plain sentence, and nothing of it lands in drop/ or
tmp/; nothing that was there is lost. Run by t72-web-bad-paths.sh."""
import csv
import glob
import html.parser
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib as W  # noqa: E402

t = W.Tap()
A = W.Archive("pv-t72")
TOKEN = A.invite("fenna")
WRONG = "B" * 22
HAS_INVITE = A.has_invite()
# every token this test shows the server; none may end up in a log
SEEN_TOKENS = [TOKEN, WRONG]
PHOTOS = W.made_photos(os.path.join(A.tmp, "made"), 90)
photo_i = iter(range(len(PHOTOS)))


def next_photo():
    return PHOTOS[next(photo_i)]


SENTENCE = {
    "link": "Deze link werkt niet (meer). Vraag de persoon die je de link gaf om een nieuwe.",
    "csrf": "Dit formulier is verlopen of niet compleet; open de pagina opnieuw en "
            "probeer het nog eens.",
    "origin": "Dit formulier kwam van een andere website en is niet aangenomen.",
    "photo_size": "Deze foto is te groot: hoogstens 30 MB per foto.",
    "request_size": "Dit is te veel in één keer: stuur minder foto's tegelijk.",
    "not_photo": "Dat bestand is geen foto. Kies een foto uit je camera of galerij.",
    "too_many": "Dat zijn te veel foto's tegelijk: stuur er hoogstens 10 per keer.",
    "consent": "Kies wie je foto mag zien.",
    "no_photo": "Die foto is er niet.",
    "address_rate": "Er komen te veel verzoeken van dit adres; probeer het over een "
                    "minuut opnieuw.",
    "link_rate": "Er komen te veel verzoeken via deze link; probeer het over een minuut "
                 "opnieuw.",
    "photo_rate": "Via deze link zijn vandaag al veel foto's gestuurd; probeer het "
                  "morgen opnieuw.",
}


def refused(what, resp, status, sentence_key, before, allowed=()):
    """resp has status and sentence; drop/ and tmp/ are as before, but for
    the files allowed (regexes) - once the server let go of the request."""
    t.eq(status, resp.status, "%s: status %d" % (what, status), resp.text[:300])
    t.eq(SENTENCE[sentence_key], resp.sentence(), "%s: the sentence" % what)

    def unchanged():
        diff = [f for f in W.changed(before, A.files())
                if not any(re.match(p, f) for p in allowed)]
        return diff if diff else True
    diff = W.wait_for(lambda: unchanged() is True, 3)
    t.ok(diff, "%s: nothing written in drop/ or tmp/" % what, unchanged())


def form(csrf, consent="poster", **words):
    f = [("csrf", csrf)] if csrf is not None else []
    f += list(words.items())
    if consent is not None:
        f.append(("consent", consent))
    return f


# ---- server 1: every bad path that needs no special limits -------------------
srv = W.Server(A, {"PV_WEB_TIMEOUT": "2", "PV_WEB_RATE": "0,0,0"})
CSRF = srv.csrf(TOKEN)
t.ok(CSRF is not None, "the participant page has a csrf field (64 hex)")

# -- links that do not work: the same 404, the same page
before = A.files()
links = {"wrong": WRONG, "malformed": "not-a-token", "short": "AAAA"}
if HAS_INVITE:
    expired = A.invite("fenna")
    A.expire(A.invite_id("fenna"))
    revoked = A.invite("fenna")
    W.run_pv(A.dir, "invite", "--revoke", str(A.invite_id("fenna")))
    links.update(expired=expired, revoked=revoked)
    SEEN_TOKENS += [expired, revoked]
    before = A.files()
else:
    t.skip("expired and revoked links: no `photovoice invite` in this build")
for suffix, accept in (("", None), ("/mine", None), ("/mine", "application/json"),
                       ("/photo/1", None)):
    bodies = {}
    for name, tok in links.items():
        r = srv.get("/i/" + tok + suffix, headers={"Accept": accept} if accept else {})
        bodies[name] = (r.status, r.body)
    statuses = {n: b[0] for n, b in bodies.items()}
    t.eq({n: 404 for n in links}, statuses, "GET /i/X%s%s: 404 for a %s link" %
         (suffix, " (JSON)" if accept else "", ", ".join(links)))
    distinct = {b[1] for b in bodies.values()}
    t.eq(1, len(distinct), "GET /i/X%s%s: the same body for each (nothing tells them apart)"
         % (suffix, " (JSON)" if accept else ""))
r = srv.get("/i/" + WRONG)
t.eq(SENTENCE["link"], r.sentence(), "a link that does not work: the sentence")
for name, tok in links.items():
    r = srv.send(tok, [("a.jpg", PHOTOS[0])], form(CSRF))
    t.eq(404, r.status, "POST to a %s link: 404" % name)
if HAS_INVITE:
    r = srv.send(links["revoked"], [("a.jpg", PHOTOS[0])], form(srv.csrf(TOKEN)))
    t.eq(404, r.status, "POST to a revoked link with a form token of a working link: 404")
refused("sending through links that do not work", r, 404, "link", before)

# -- CSRF and Origin
before = A.files()
r = srv.send(TOKEN, [("a.jpg", next_photo())], form(None))
refused("no csrf field", r, 403, "csrf", before)
r = srv.send(TOKEN, [("a.jpg", next_photo())], form("0" * 64))
refused("a wrong csrf token", r, 403, "csrf", before)
r = srv.send(TOKEN, [("a.jpg", next_photo())], form(CSRF[:63]))
refused("a csrf token one digit short", r, 403, "csrf", before)
if HAS_INVITE:
    other = A.invite("sem")
    SEEN_TOKENS.append(other)
    r = srv.send(TOKEN, [("a.jpg", next_photo())], form(srv.csrf(other)))
    refused("the csrf token of another participant's link", r, 403, "csrf", before)
# "Origin: null" is what a browser sends for our own form under no-referrer:
# then Sec-Fetch-Site tells where the form came from
for origin, site in (("http://evil.example", None), ("http://127.0.0.1:1", None),
                     ("null", "cross-site"), ("null", "same-site")):
    h = {"Origin": origin}
    if site:
        h["Sec-Fetch-Site"] = site
    r = srv.send(TOKEN, [("a.jpg", next_photo())], form(CSRF), headers=h)
    refused("Origin %s%s" % (origin, ", Sec-Fetch-Site " + site if site else ""), r, 403,
            "origin", before)
r = srv.request("POST", "/i/%s/withdraw" % TOKEN, body="id=1&csrf=" + CSRF,
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Origin": "http://evil.example"})
t.eq(403, r.status, "withdraw from a foreign Origin: 403")
r = srv.request("POST", "/i/%s/withdraw" % TOKEN, body="id=1",
                headers={"Content-Type": "application/x-www-form-urlencoded"})
t.eq(403, r.status, "withdraw without csrf: 403")

# -- too large: a 31 MB photo, and a declared length over the limit
before = A.files()
photo = PHOTOS[0][:-2]
filler = 31 * 1024 * 1024 - len(photo)
ctype, head_part = W.multipart(form(CSRF), [])
boundary = ctype.split("boundary=")[1].encode()
head_part = head_part[:-len(b"--%s--\r\n" % boundary)]
part = (b"--%s\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"big.jpg\"\r\n"
        b"Content-Type: image/jpeg\r\n\r\n" % boundary)
tail = b"\xff\xd9\r\n--%s--\r\n" % boundary
length = len(head_part) + len(part) + len(photo) + filler + len(tail)
chunk = bytes(range(256)) * 256


def big_body():
    yield head_part + part + photo
    left = filler
    while left > 0:
        yield chunk[:min(left, len(chunk))]
        left -= len(chunk)
    yield tail


head = (b"POST /i/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: %s\r\n"
        b"Content-Length: %d\r\n\r\n" % (TOKEN.encode(), srv.port, ctype.encode(), length))
status, rhead, rbody, _ = W.raw_exchange(srv.port, head, big_body(), timeout=30)
resp = W.Response(status, {"content-type": "text/html"}, rbody)
refused("a 31 MB photo", resp, 413, "photo_size", before)
head = (b"POST /i/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: %s\r\n"
        b"Content-Length: %d\r\n\r\n" % (TOKEN.encode(), srv.port, ctype.encode(),
                                          400 * 1024 * 1024))
status, rhead, rbody, took = W.raw_exchange(srv.port, head, (), timeout=10)
resp = W.Response(status, {"content-type": "text/html"}, rbody)
refused("Content-Length of 400 MB, no body sent", resp, 413, "request_size", before)
t.ok(took is not None and took < 5, "the 413 came before any of the body was sent",
     "answered after %s s" % took)
r = srv.get("/i/" + TOKEN)
t.eq(200, r.status, "the server still answers after the refused uploads")

# -- a text file posing as a photo
before = A.files()
r = srv.send(TOKEN, [("photo.jpg", b"This is not a photo at all, just text.\n" * 20)],
             form(CSRF, title="tekst"))
refused("a text file named photo.jpg", r, 422, "not_photo", before,
        allowed=(r"drop/\.quarantine/fenna/web-[0-9a-f]{16}\.upload(\.reason\.txt)?$",))
set_aside = glob.glob(os.path.join(A.drop, ".quarantine", "fenna", "web-*.upload"))
t.eq(1, len(set_aside), "the text file is in drop/.quarantine/fenna/ under a web- name")
reasons = glob.glob(os.path.join(A.drop, ".quarantine", "fenna", "web-*reason*"))
t.ok(len(reasons) == 1 and "not a photo" in open(reasons[0]).read(),
     "a reason file beside it says it is not a photo", reasons)
t.ok(not glob.glob(os.path.join(A.drop, "fenna", "*")), "nothing in drop/fenna/")

# -- 30 photos in one request; no consent; a consent that is no choice
before = A.files()
r = srv.send(TOKEN, [("p%d.jpg" % i, PHOTOS[i]) for i in range(30)], form(CSRF))
refused("30 photos in one request", r, 413, "too_many", before)
r = srv.send(TOKEN, [("a.jpg", next_photo())], form(CSRF, consent=None, title="x"))
refused("no consent", r, 422, "consent", before)
r = srv.send(TOKEN, [("a.jpg", next_photo())], form(CSRF, consent="everyone"))
t.eq(422, r.status, "a consent that is none of the four: 422")
t.ok(bool(r.sentence()), "... with a sentence", r.text[:300])
r = srv.send(TOKEN, [], form(CSRF))
t.eq(422, r.status, "a sending without a photo: 422")
W.wait_for(lambda: not W.changed(before, A.files()), 3)
t.eq([], W.changed(before, A.files()), "nothing of those in drop/ or tmp/")

# -- methods and paths
for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"):
    r = srv.request(method, "/i/%s/withdraw" % TOKEN)
    t.eq(405, r.status, "%s on a known path: 405" % method)
    t.eq("POST", r.headers.get("allow"), "... its Allow header names the one method")
r = srv.request("HEAD", "/i/%s/withdraw" % TOKEN)
t.eq(405, r.status, "HEAD on a path that only takes POST: 405")
r = srv.request("DELETE", "/i/%s" % TOKEN)
t.eq((405, "GET, HEAD, POST"), (r.status, r.headers.get("allow")),
     "DELETE on the participant page: 405, Allow: GET, HEAD, POST")
r = srv.request("POST", "/i/%s/mine" % TOKEN)
t.eq((405, "GET, HEAD"), (r.status, r.headers.get("allow")),
     "POST on /mine: 405, Allow: GET, HEAD")
r = srv.request("HEAD", "/i/" + WRONG)
t.eq(404, r.status, "HEAD on a link that does not work: 404, as GET")
for path in ("/nope", "/i", "/i/", "/i//mine", "/i/%s/nope" % TOKEN, "/static/../catalogue.db",
             "/i/%s/photo/" % TOKEN, "/i/%s/photo/1/2" % TOKEN, "/%2e%2e/catalogue.db"):
    r = srv.get(path)
    t.eq(404, r.status, "GET %s: 404" % path.replace(TOKEN, "TOKEN"))

# -- every route in the route table, without a working link or a session
rows = re.findall(r'\{\s*"([A-Z]+)",\s*"([^"]*)",\s*(WHO_[A-Z]+)',
                  open(os.path.join(W.ROOT, "src", "web", "routes.c")).read())
t.ok(len(rows) >= 8, "the route table of src/web/routes.c has its rows (%d)" % len(rows))
wrong_page = srv.get("/i/" + WRONG).body
walk_bad = []
for method, pattern, who in rows:
    path = pattern.replace("*", WRONG, 1).replace("*", "1")
    body = "csrf=" + CSRF + "&id=1" if method == "POST" else None
    h = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    r = srv.request(method, path, body=body, headers=h)
    want = {"WHO_TOKEN": 404, "WHO_STAFF": 401}.get(who)
    if want is None:
        if r.status >= 500:
            walk_bad.append("%s %s (%s): %d" % (method, pattern, who, r.status))
        continue
    if r.status != want or (who == "WHO_TOKEN" and r.body != wrong_page):
        walk_bad.append("%s %s (%s): %d, wanted %d%s" % (
            method, pattern, who, r.status, want,
            "" if r.body == wrong_page else " (another body)"))
t.eq([], walk_bad, "every route without a working link or a session: 404 (link) / 401 (staff)")

# -- slow clients: half the headers, then nothing or a byte now and then
def loris(dribble, result, index):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=15)
    s.sendall(b"GET /i/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow" % TOKEN.encode())
    started = time.time()
    try:
        while time.time() - started < 12:
            if dribble:
                s.sendall(b"w")
            s.settimeout(0.5)
            try:
                if s.recv(1024) == b"":
                    break
            except socket.timeout:
                continue
    except OSError:
        pass                            # closed by the server
    result[index] = time.time() - started
    s.close()


closed_after = [None] * 12
lorises = [threading.Thread(target=loris, args=(i >= 2, closed_after, i)) for i in range(12)]
for th in lorises:
    th.start()
time.sleep(0.5)
served = []
for i in range(8):
    t0 = time.time()
    r = srv.get("/i/" + TOKEN)
    served.append((r.status, round(time.time() - t0, 2)))
    time.sleep(0.25)
for th in lorises:
    th.join()
t.ok(all(s == 200 and d < 1.5 for s, d in served),
     "other clients are served while 12 slow clients hang on", served)
t.ok(all(c < 5 for c in closed_after[:2]), "a client silent after half its headers is "
     "closed within a few seconds (PV_WEB_TIMEOUT=2)", closed_after[:2])
t.ok(all(c < 7 for c in closed_after[2:]), "a client that sends its headers a byte at a "
     "time is closed within a few seconds too", closed_after[2:])

# -- 50 sendings at once from 10 clients
N = 50
conc = [next_photo() for _ in range(N)]
answers = [None] * N


def client(k):
    for i in range(k, N, 10):
        try:
            r = srv.send(TOKEN, [("IMG_%04d.jpg" % i, conc[i])],
                         form(CSRF, title="t72-conc-%02d" % i), json_answer=i % 2 == 0)
            answers[i] = r.status
            if r.status == 201:
                got = r.json()
                if got.get("taken") != 1 or got.get("set_aside") != 0:
                    answers[i] = "201 %r" % got
        except Exception as e:  # noqa: BLE001 - any failure is the test's answer
            answers[i] = repr(e)


threads = [threading.Thread(target=client, args=(k,)) for k in range(10)]
for th in threads:
    th.start()

# -- XSS payloads in every text field, sent meanwhile
PAYLOADS = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "javascript:alert(document.cookie)", "{{7*7}} ${7*7}", "'; DROP TABLE entries; --",
            "\u202egpj.exe \u202dRTL", "</textarea><svg onload=alert(1)>",
            "voor\x00na \x1b[31mrood\x07",
            # formulas, for the bundle's data-merge.csv opened in a spreadsheet
            "=HYPERLINK(\"http://example.invalid\",\"klik\")", "@SUM(1+1)", "+31 6 1234",
            "-2+3"]
xss = {}
for i, p in enumerate(PAYLOADS):
    title = "t72-xss-%d %s" % (i, p)
    words = dict(title=title, caption=p + " caption", story=p + "\nstory\n" + p)
    r = srv.send(TOKEN, [("x.jpg", next_photo())], form(CSRF, **words))
    t.eq(303, r.status, "XSS payload %d sent: 303" % i, r.text[:200])
    xss[title] = words
big_story = "<script>alert('big')</script>" + ("Een lang verhaal. " * 60000)[:1000000 - 29]
words = dict(title="t72-xss-big", caption="een lang verhaal", story=big_story)
r = srv.send(TOKEN, [("x.jpg", next_photo())], form(CSRF, **words), json_answer=True)
t.eq(201, r.status, "a 1 MB story: 201", r.text[:200])
xss["t72-xss-big"] = words

for th in threads:
    th.join()
want = [201 if i % 2 == 0 else 303 for i in range(N)]
t.eq(want, answers, "50 sendings from 10 clients at once: each answered 201 (JSON) or 303")
t.eq([], glob.glob(os.path.join(A.tmpdir, "upload-*")), "no upload-* left in tmp/")


def ingested():
    titles = [e.get("title") or "" for e in A.entries()]
    left = [f for f in os.listdir(os.path.join(A.drop, "fenna")) if f.startswith("web-")]
    done = sum(1 for x in titles if x.startswith("t72-")) >= N + len(xss) and not left
    return titles if done else None


titles = W.wait_for(ingested, 40, step=0.5) or [e.get("title") or "" for e in A.entries()]
conc_titles = sorted(x for x in titles if x.startswith("t72-conc-"))
t.eq(sorted("t72-conc-%02d" % i for i in range(N)), conc_titles,
     "all 50 in `list --json`, none twice, none lost",
     "drop/fenna: %s" % sorted(os.listdir(os.path.join(A.drop, "fenna")))[:10],
     "serve said: " + srv.output()[-3000:])
t.eq(sorted(W.kept_text(x) for x in xss), sorted(x for x in titles if x.startswith("t72-xss-")),
     "the XSS sendings are in the catalogue")

# -- /mine: the payloads exact in JSON, inert in HTML
mine = srv.get("/i/%s/mine" % TOKEN, headers={"Accept": "application/json"}).json()
by_title = {e.get("title"): e for e in mine["entries"]}
inexact = [title for title, w in xss.items()
           if W.kept_text(title) not in by_title or
           any(by_title[W.kept_text(title)].get(k) != W.kept_text(v) for k, v in w.items())]
t.eq([], inexact, "/mine JSON: title, caption and story exactly as sent (but for the "
     "controls intake never keeps: NUL, ESC, BEL, bidirectional overrides)")


class Markup(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.text = []
        self.attrs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            self.attrs.append(value or "")
            if name.startswith("on"):
                self.bad.append("<%s %s=...>" % (tag, name))
            if name in ("href", "src", "action") and \
                    (value or "").strip().lower().startswith("javascript:"):
                self.bad.append("<%s %s=%s>" % (tag, name, value))
        if tag in ("script", "svg", "iframe", "object", "embed") and \
                dict(attrs).get("src") != "/static/app.js":
            self.bad.append("<%s %r>" % (tag, attrs))
        if tag == "img" and dict(attrs).get("src", "").startswith("x"):
            self.bad.append("<img %r>" % attrs)

    def handle_data(self, data):
        self.text.append(data)


page = srv.get("/i/%s/mine" % TOKEN)
m = Markup()
m.feed(page.text)
t.eq([], m.bad, "/mine HTML: no script, no event handler, no javascript: URL from the words")
text = "".join(m.text)
missing = [title for title, w in xss.items()
           if W.kept_text(w["title"]) not in text or W.kept_text(w["caption"]) not in text]
t.eq([], missing, "/mine HTML: every title and caption shows as the text typed")
t.ok("<script>alert(1)</script>" not in page.text and "<img src=x" not in page.text,
     "/mine HTML: the payloads only escaped in the markup")


# -- later bundles: the same words inert in every member (issue 14, part 7)
def bundle_members(ids):
    out = os.path.join(A.tmp, "xss-bundle.zip")
    status, _, err = W.run_pv(A.dir, "bundle", *[a for i in ids for a in ("--id", str(i))],
                              "--title", "<script>alert('titel')</script>", "-o", out,
                              check=False)
    if not t.eq(0, status, "a bundle of the XSS sendings is made", err[-1000:]):
        return {}
    with zipfile.ZipFile(out) as z:
        return {os.path.basename(n): z.read(n) for n in z.namelist()}


def formula_safe(field):
    """What data-merge.csv holds for a text: a ' in front of one a spreadsheet
    would run as a formula."""
    return "'" + field if field[:1] in ("=", "+", "-", "@", "\t", "\r") else field


def one_line(s):
    return re.sub(r"[\r\n]+", " ", s)


xss_ids = [e["id"] for e in A.entries() if (e.get("title") or "").startswith("t72-xss-")
           and e.get("title") != "t72-xss-big"]
members = bundle_members(xss_ids)
if members:
    kept = {W.kept_text(w["title"]): {k: W.kept_text(v) for k, v in w.items()}
            for w in xss.values() if w["title"] != "t72-xss-big"}
    page = members.get("index.html", b"").decode()
    m = Markup()
    m.feed(page)
    t.eq([], [b for b in m.bad if "app.js" not in b] + re.findall(r"<script", page),
         "bundle index.html: no script, no event handler, no javascript: URL")
    text = "".join(m.text)
    t.eq([], [x for x, w in kept.items() if x not in text or w["caption"] not in text],
         "bundle index.html: every title and caption shows as the text typed")
    t.ok("<script>alert" not in page and "<img src=x" not in page and
         "<svg" not in page, "bundle index.html: the payloads only escaped in the markup")
    captions = members.get("captions.txt", b"").decode()
    t.eq([], [x for x, w in kept.items() if x not in captions or
              one_line(w["caption"]) not in captions],
         "bundle captions.txt: every title and caption as typed (plain text)")
    rows = list(csv.DictReader(io.StringIO(members.get("data-merge.csv", b"").decode("utf-8-sig"))))
    by_csv = {r.get("title"): r for r in rows}
    t.eq([], [x for x, w in kept.items() if x not in by_csv or
              by_csv[x]["caption"] != formula_safe(one_line(w["caption"])) or
              by_csv[x]["story"] != formula_safe(one_line(w["story"]))],
         "bundle data-merge.csv: caption and story as typed, a formula behind a '")
    t.eq([], [(r["title"], k) for r in rows for k, v in r.items()
              if k != "@photo" and v[:1] in ("=", "+", "-", "@")],
         "bundle data-merge.csv: no field a spreadsheet would run")
    manifest = json.loads(members.get("manifest.json", b"{}"))
    t.eq([], [x for x, w in kept.items()
              if not any(e.get("title") == x and e.get("story") == w["story"]
                         for e in manifest.get("entries", []))],
         "bundle manifest.json: title and story exact")
    poster = members.get("poster.pdf", b"")
    t.ok(poster.startswith(b"%PDF") and not re.search(
        rb"/(JavaScript|JS|OpenAction|AA|Launch|URI|SubmitForm)\b", poster),
         "bundle poster.pdf: a PDF without script, action or link")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        pdf = os.path.join(A.tmp, "xss-poster.pdf")
        with open(pdf, "wb") as f:
            f.write(poster)
        shown = subprocess.run([pdftotext, pdf, "-"], capture_output=True).stdout.decode()
        t.ok("<script>alert('titel')</script>" in shown and
             "<script>alert(1)</script> caption" in shown and "&lt;" not in shown,
             "bundle poster.pdf: the words are printed as typed, not read as markup",
             shown[:500])
    else:
        t.skip("pdftotext is not installed: the poster's words are not read back")

# -- another participant's photo through this link
ids = {e["title"]: e["id"] for e in A.entries()}
os.makedirs(os.path.join(A.drop, "sem"), exist_ok=True)
with open(os.path.join(A.drop, "sem", "sem-foto.jpg.part"), "wb") as f:
    f.write(next_photo())
with open(os.path.join(A.drop, "sem", "sem-foto.txt"), "w") as f:
    f.write("Titel: t72-sem\nToestemming: poster\n")
os.rename(os.path.join(A.drop, "sem", "sem-foto.jpg.part"),
          os.path.join(A.drop, "sem", "sem-foto.jpg"))
sem = W.wait_for(lambda: [e for e in A.entries() if e.get("title") == "t72-sem"], 20)
if t.ok(bool(sem), "sem's photo, dropped in drop/sem/, is in the catalogue"):
    sem_id = sem[0]["id"]
    r = srv.get("/i/%s/photo/%d" % (TOKEN, sem_id))
    nothing = srv.get("/i/%s/photo/99999999" % TOKEN)
    t.eq(404, r.status, "fenna's link asks for sem's photo: 404")
    t.ok(r.body == nothing.body and r.sentence() == SENTENCE["no_photo"],
         "... the same page as for a photo that does not exist")
    r = srv.request("POST", "/i/%s/withdraw" % TOKEN, body="id=%d&csrf=%s" % (sem_id, CSRF),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    t.eq(404, r.status, "fenna's link withdraws sem's photo: 404")
    t.eq("poster", A.show(sem_id).get("consent"), "... sem's consent is still poster")
    mine_ids = [e["id"] for e in srv.get("/i/%s/mine" % TOKEN,
                                         headers={"Accept": "application/json"}).json()["entries"]]
    t.ok(sem_id not in mine_ids, "sem's photo is not in fenna's /mine")
    if HAS_INVITE:
        r = srv.get("/i/%s/photo/%d" % (other, ids["t72-conc-00"]))
        t.eq(404, r.status, "sem's link asks for fenna's photo: 404")
own = ids.get("t72-conc-01")
r = srv.get("/i/%s/photo/%d" % (TOKEN, own))
t.ok(r.status == 200 and r.headers.get("content-type") == "image/jpeg" and
     r.body[:2] == b"\xff\xd8", "fenna's own thumbnail: 200 image/jpeg (the check can pass)")
# serve keeps small files in memory a few seconds; an erasure from the
# command line beside it must still end the photo at once
gone = ids.get("t72-conc-02")
first = srv.get("/i/%s/photo/%d" % (TOKEN, gone))
W.run_pv(A.dir, "forget", str(gone))
again = srv.get("/i/%s/photo/%d" % (TOKEN, gone))
t.ok(first.status == 200 and again.status == 404 and again.sentence() == SENTENCE["no_photo"],
     "a thumbnail just served, then erased with `forget` beside serve: 404 at once",
     first.status, again.status)
urlencoded = {"Content-Type": "application/x-www-form-urlencoded"}
r = srv.request("POST", "/i/%s/withdraw" % TOKEN, body="id=%d&csrf=%s" % (own, CSRF),
                headers=urlencoded)
confirm = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', r.text)
t.ok(r.status == 200 and A.show(own).get("consent") == "poster" and
     ("confirm", "yes") in confirm and ("id", str(own)) in confirm and
     'href="/i/%s/mine"' % TOKEN in r.text,
     "fenna taps withdraw: a page asks first (confirm=yes, a way back), consent still poster",
     r.status, r.text[:600])
r = srv.request("POST", "/i/%s/withdraw" % TOKEN, body="id=%d&csrf=%s&confirm=no" % (own, CSRF),
                headers=urlencoded)
t.ok(r.status == 200 and A.show(own).get("consent") == "poster",
     "confirm=no withdraws nothing either", r.status)
r = srv.request("POST", "/i/%s/withdraw" % TOKEN, body="id=%d&csrf=%s" % (own, CSRF),
                headers=dict(urlencoded, Accept="application/json"))
t.ok(r.status == 422 and A.show(own).get("consent") == "poster",
     "JSON without confirm=yes: 422, nothing withdrawn", r.status, r.text[:300])
if sem:
    r = srv.request("POST", "/i/%s/withdraw" % TOKEN, body="id=%d&csrf=%s" % (sem_id, CSRF),
                    headers=urlencoded)
    t.eq(404, r.status, "the question is not asked about sem's photo either: 404")
r = srv.request("POST", "/i/%s/withdraw" % TOKEN,
                body="id=%d&csrf=%s&confirm=yes" % (own, CSRF), headers=urlencoded)
t.ok(r.status == 303 and A.show(own).get("consent") == "none",
     "fenna confirms: 303, consent none (the check can pass)", r.status)
r = srv.send(TOKEN, [], form(CSRF))
t.ok(r.status == 422 and 'href="/i/%s"' % TOKEN in r.text,
     "an error page of a working link leads back to the form", r.text[:600])
r = srv.get("/i/" + WRONG)
t.ok('href="/i/' not in r.text, "the page of a link that does not work leads nowhere")

srv.stop_cleanly(t, "serve")


# ---- rate limits: each on a server of its own --------------------------------
def retry_after(resp):
    return resp.headers.get("retry-after", "")


before = A.files()
srv2 = W.Server(A, {"PV_WEB_RATE": "6,0,0"})
statuses = [srv2.get("/i/" + WRONG).status for _ in range(3)]
statuses += [srv2.get("/i/" + TOKEN).status for _ in range(3)]
r = srv2.get("/i/" + TOKEN)
t.eq([404, 404, 404, 200, 200, 200], statuses, "6 requests a minute from one address: "
     "the first six answered (links that do not work count too)")
t.eq(429, r.status, "the 7th from that address: 429")
t.ok(retry_after(r).isdigit(), "... with Retry-After", r.headers)
t.eq(SENTENCE["address_rate"], r.sentence(), "... and its sentence")
r = srv2.send(TOKEN, [("a.jpg", next_photo())], form(CSRF))
refused("a sending over the address limit", r, 429, "address_rate", before)
srv2.stop_cleanly(t, "serve (address limit)")
srv3 = W.Server(A, {"PV_WEB_RATE": "0,3,0"})
seq = [srv3.get("/i/" + TOKEN).status,
       srv3.send(TOKEN, [("a.jpg", next_photo())], form(CSRF, title="t72-rate")).status,
       srv3.get("/i/%s/mine" % TOKEN).status]
r = srv3.get("/i/" + TOKEN)
t.eq([200, 303, 200], seq, "3 requests a minute through one link: page, sending, /mine")
t.eq(429, r.status, "the 4th through that link: 429 (a sending counts once)")
t.ok(retry_after(r).isdigit(), "... with Retry-After")
t.eq(SENTENCE["link_rate"], r.sentence(), "... and its sentence")
srv3.stop_cleanly(t, "serve (link limit)")
before = A.files()
srv4 = W.Server(A, {"PV_WEB_RATE": "0,0,2"})
r = srv4.send(TOKEN, [("a.jpg", next_photo()), ("b.jpg", next_photo()),
                      ("c.jpg", next_photo())], form(CSRF))
refused("3 photos when a link may send 2 a day", r, 429, "photo_rate", before)
t.ok(retry_after(r).isdigit(), "... with Retry-After")
r = srv4.send(TOKEN, [("a.jpg", next_photo()), ("b.jpg", next_photo())],
              form(CSRF, title="t72-day"))
t.eq(303, r.status, "2 photos that day: taken")
r = srv4.send(TOKEN, [("a.jpg", next_photo())], form(CSRF))
t.eq(429, r.status, "a third photo that day: 429")
srv4.stop_cleanly(t, "serve (photos a day)")

# ---- the headers of every answer ----------------------------------------------
missing = []
for s in (srv, srv2, srv3, srv4):
    for method, path, resp in s.responses:
        h = resp.headers
        shown = "%s %s -> %d" % (method, path.replace(TOKEN, "TOKEN")[:60], resp.status)
        csp = h.get("content-security-policy", "")
        if not csp or "unsafe-inline" in csp or "frame-ancestors 'none'" not in csp:
            missing.append(shown + ": Content-Security-Policy " + repr(csp))
        if h.get("referrer-policy") != "no-referrer":
            missing.append(shown + ": Referrer-Policy")
        if h.get("x-content-type-options") != "nosniff":
            missing.append(shown + ": X-Content-Type-Options")
        if path.startswith("/i/") and "no-store" not in h.get("cache-control", ""):
            missing.append(shown + ": Cache-Control no-store")
total = sum(len(s.responses) for s in (srv, srv2, srv3, srv4))
t.eq([], missing[:20], "every one of %d answers has CSP (no unsafe-inline, frame-ancestors "
     "none), Referrer-Policy, nosniff; /i/ pages no-store" % total)

# ---- no token in any log, nor anywhere in the archive -------------------------
output = "".join(s.output() for s in (srv, srv2, srv3, srv4))
_, log_text, _ = W.run_pv(A.dir, "log")
_, log_json, _ = W.run_pv(A.dir, "log", "--json")
leaks = [tok for tok in SEEN_TOKENS if tok in output or tok in log_text or tok in log_json]
t.eq([], leaks, "no token in serve's stdout/stderr or in `photovoice log`")
in_files = []
for d, _, names in os.walk(A.dir):
    for n in names:
        data = open(os.path.join(d, n), "rb").read()
        in_files += [os.path.relpath(os.path.join(d, n), A.dir) for tok in SEEN_TOKENS
                     if tok.encode() in data]
t.eq([], in_files, "no token in any file of the archive (the catalogue keeps its hash)")

A.remove()
t.done()
