"""t78-web-workspace-guard: the staff workspace of `photovoice serve` (issue 15,
parts 3, 5 and 6) without a browser.

- The route table, walked as the server walks it (build/rel/web_routes prints
  pv_route_at's rows): every staff route refuses without a session (401),
  with a participant's link as its cookie or in its path, and every staff
  form without its token or from another site (403). A route added later is
  walked too.
- Every staff page both ways: HTML, and JSON of the same data whose shapes
  are the command line's --json shapes (list, show, log, tags,
  participants, forget).
- Bad input: a search FTS5 cannot read, text that is not UTF-8, bad pages
  and filters, bad ids, paths into the archive folder: a status below 500
  and a sentence.
- Payloads (XSS, SQL-ish, unicode, huge) in every text field of every form
  and in the search: kept exactly or refused with a sentence, never active
  in a page.
- Every change lands in the log under the staff member's name; personal
  pages are not stored by the browser (Cache-Control: no-store).
- Every page, staff and participant, in Dutch without Accept-Language and in
  English when asked, with nothing of the other language (issue 16).
Run by t78-web-workspace-guard.sh."""
import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib as W  # noqa: E402

t = W.Tap()
A = W.Archive("pv-t78")
samples = os.path.join(W.ROOT, "sample-media", "drop")
for name in os.listdir(samples):
    if not name.startswith("."):
        src, dst = os.path.join(samples, name), os.path.join(A.drop, name)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, dst)
W.run_pv(A.dir, "ingest", "--quiet")
PASSWORD = "correct horse battery"
subprocess.run([W.PV, "--archive", A.dir, "staff", "add", "anna"], input=PASSWORD + "\n",
               text=True, check=True, capture_output=True)
TOKEN = A.invite("fenna")
srv = W.Server(A)
JSON = {"Accept": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def csrf_of(page):
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    return m.group(1) if m else None


def login():
    token = csrf_of(srv.get("/login").text)
    r = srv.request("POST", "/login", body=urllib.parse.urlencode(
        {"name": "anna", "password": PASSWORD, "csrf": token}), headers=FORM)
    m = re.match(r"(pv_session=[^;]+)", r.headers.get("set-cookie", ""))
    return m.group(1) if m else None


COOKIE = login()
t.ok(COOKIE, "anna logs in and gets a session cookie")
CSRF = csrf_of(srv.get("/entries", headers={"Cookie": COOKIE}).text)
t.ok(CSRF, "a staff page carries the form token (the menu's log-out form)")


def get(path, json_answer=False, cookie=COOKIE):
    h = dict(JSON) if json_answer else {}
    if cookie:
        h["Cookie"] = cookie
    return srv.get(path, headers=h)


def post(path, fields, json_answer=True, cookie=COOKIE, csrf=True, headers=None):
    f = dict(fields)
    if csrf:
        f["csrf"] = CSRF
    h = dict(FORM)
    if json_answer:
        h.update(JSON)
    if cookie:
        h["Cookie"] = cookie
    h.update(headers or {})
    return srv.request("POST", path, body=urllib.parse.urlencode(f), headers=h)


def cli_json(*args):
    return json.loads(W.run_pv(A.dir, *(list(args) + ["--json"]))[1])


# ---- the route table, walked ------------------------------------------------
rows = [line.split() for line in subprocess.run(
    [os.path.join(W.BUILD, "web_routes")], capture_output=True, text=True,
    check=True).stdout.splitlines()]
staff = [r for r in rows if r[2] == "staff"]
t.ok(len(staff) >= 15, "the route table has the workspace's staff routes (%d)" % len(staff))


def path_of(pattern, first="3", second="thumb"):
    return pattern.replace("*", first, 1).replace("*", second)


no_session, with_token, no_form_token, other_site, opened = [], [], [], [], []
for row in staff:
    method, pattern, form = row[0], row[1], len(row) > 3
    body = urllib.parse.urlencode({"csrf": CSRF, "tags": "x", "from": "klik", "to": "x",
                                   "consent": "public", "name": "fenna"}) if form else None
    h = dict(FORM) if form else {}
    r = srv.request(method, path_of(pattern), body=body, headers=h)
    if r.status != 401 or "klik" in r.text.lower():
        no_session.append("%s %s: %d" % (method, pattern, r.status))
    r = srv.request(method, path_of(pattern, TOKEN), body=body,
                    headers=dict(h, Cookie="pv_session=" + TOKEN))
    if r.status != 401:
        with_token.append("%s %s: %d" % (method, pattern, r.status))
    if form:
        r = srv.request(method, path_of(pattern), body="tags=x&from=a&to=b",
                        headers=dict(FORM, Cookie=COOKIE))
        if r.status != 403:
            no_form_token.append("%s %s: %d" % (method, pattern, r.status))
        r = srv.request(method, path_of(pattern), body=body,
                        headers=dict(FORM, Cookie=COOKIE, Origin="http://evil.example"))
        if r.status != 403:
            other_site.append("%s %s: %d" % (method, pattern, r.status))
    else:
        r = srv.request(method, path_of(pattern), headers={"Cookie": COOKIE})
        if r.status >= 500 or r.headers.get("cache-control") != "no-store":
            opened.append("%s %s: %d %s" % (method, pattern, r.status,
                                            r.headers.get("cache-control")))
t.eq([], no_session, "every staff route without a session: 401, nothing personal")
t.eq([], with_token, "a participant's link never opens a staff route (as cookie or in the path)")
t.eq([], no_form_token, "every staff form without its form token: 403")
t.eq([], other_site, "every staff form from another site (Origin): 403")
t.eq([], opened, "every staff page with a session: answered, Cache-Control: no-store")
r = srv.get("/i/%s/mine" % TOKEN, headers={"Cookie": COOKIE})
t.eq(200, r.status, "a session does not get in the way of a participant's link")

# ---- every page both ways ---------------------------------------------------
cli_list = {e["id"]: e for e in cli_json("list")["entries"]}
r = get("/entries", json_answer=True)
doc = r.json()
t.ok(r.headers.get("content-type") == "application/json" and doc["total"] == len(cli_list)
     and doc["page"] == 1 and doc["pages"] == 1 and doc["per_page"] == 60,
     "GET /entries as JSON: count, total, page, pages, per_page", doc.get("total"))
t.ok(all(e == cli_list[e["id"]] for e in doc["entries"]),
     "each entry of the grid is the shape of `list --json`")
t.eq(sorted(cli_list, reverse=True), [e["id"] for e in doc["entries"]],
     "the grid is newest first")
hits = cli_json("search", "klik", "--limit", "0")["hits"]
t.eq([h["id"] for h in hits], [e["id"] for e in get("/entries?q=klik", True).json()["entries"]],
     "?q=klik gives the hits of `photovoice search klik`, in its order")
poster = [i for i, e in cli_list.items() if e["effective_consent"] in ("poster", "public")]
t.eq(sorted(poster), sorted(e["id"] for e in get("/entries?consent=poster", True)
                            .json()["entries"]),
     "&consent=poster: what `list --consent poster` lists (consent that counts today)")
t.eq(sorted(i for i, e in cli_list.items() if "klik" in e["tags"] and e["participant"] == "fenna"),
     sorted(e["id"] for e in get("/entries?tag=KLIK&participant=fenna", True).json()["entries"]),
     "&tag= (case folded) and &participant= together")
t.eq([h["id"] for h in hits if h["id"] in poster],
     [e["id"] for e in get("/entries?q=klik&consent=poster", True).json()["entries"]],
     "?q= with &consent=: the search's hits that pass the filter, in the search's order")
t.eq(0, get("/entries?q=klik&participant=nobody", True).json()["total"],
     "?q= with a filter that nothing passes: nothing")
show = cli_json("show", "3", "--history")
page = get("/entries/3", True).json()
t.ok(all(page.get(k) == v for k, v in show.items()) and
     {"bundles", "near_duplicates", "reviewed_at", "removed"} <= set(page),
     "GET /entries/3 as JSON: `show --history --json` and its bundles, near duplicates, "
     "review and what was removed")
t.eq(cli_json("log"), get("/log", True).json(), "GET /log as JSON is `log --json`")
# /log in pages of 200, newest first (a log of years is not one page);
# JSON stays the whole log. 250 more events make two pages.
with sqlite3.connect(os.path.join(A.dir, "catalogue.db")) as db:
    db.executemany("INSERT INTO log (at, actor, action, detail) VALUES (?, 'anna', 'test', ?)",
                   [("2026-12-03T12:00:00Z", "t78-event-%03d" % i) for i in range(250)])
def get_en(path):
    return srv.get(path, headers={"Cookie": COOKIE, "Accept-Language": "en"})


first, second = get_en("/log").text, get_en("/log?page=2").text
t.ok("Page 1 of 2" in first and 't78-event-249' in first and "t78-event-050" in first and
     "t78-event-049" not in first and 'href="/log?page=2"' in first,
     "/log: the newest 200 events, and a link to the older ones")
t.ok("Page 2 of 2" in second and "t78-event-049" in second and "t78-event-050" not in second
     and ">init<" in second and 'rel="prev" href="/log"' in second,
     "/log?page=2: the older events, down to the archive's first, and a link back")
for q, status in (("3", 404), ("0", 400), ("abc", 400), ("-1", 400)):
    r = get_en("/log?page=" + q)
    t.ok(r.status == status and r.sentence() == "There is no such page number.",
         "/log?page=%s: %d, a sentence" % (q, status), r.status, r.sentence())
t.eq(cli_json("log"), get("/log", True).json(), "... and GET /log as JSON is still the whole log")
t.eq(cli_json("tags"), get("/tags", True).json(), "GET /tags as JSON is `tags --json`")
t.eq(cli_json("participants"), get("/participants", True).json(),
     "GET /participants as JSON is `participants --json`")
rv = get("/review", True).json()
t.ok(rv["count"] == len(cli_list) and all("withdrawn" in e for e in rv["entries"]),
     "GET /review as JSON: every new entry, each saying whether it was withdrawn")
for path in ("/review", "/entries", "/entries/3", "/tags", "/participants", "/log",
             "/entries/3/forget"):
    r = get(path)
    t.ok(r.status == 200 and r.headers.get("content-type", "").startswith("text/html") and
         "<script>" not in r.text, "GET %s as HTML" % path)

# ---- every page in the request's language (issue 16) --------------------------
# Dutch without Accept-Language, English when the browser asks: the heading,
# the menu and the <html lang>, and never the other language's words.
LANG_PAGES = [  # path, cookie, Dutch, English: the heading, then a sentence on the page
    ("/review", COOKIE, "Binnengekomen", "Arrived", "foto's wachten op nakijken",
     "photos are waiting for review"),
    ("/entries", COOKIE, "Catalogus", "Catalogue", "Mag vandaag gebruikt worden voor",
     "May be used today for"),
    ("/entries/3", COOKIE, "Geschiedenis", "History", "Toestemming vastleggen",
     "Record consent"),
    ("/entries/3/forget", COOKIE, "Foto wissen", "Erase photo", "Ja, voorgoed wissen",
     "Yes, erase for good"),
    ("/tags", COOKIE, "Trefwoorden", "Tags", "Trefwoord hernoemen of samenvoegen",
     "Rename or merge a tag"),
    ("/participants", COOKIE, "Deelnemers", "Participants", "Jonger dan 16", "Under 16"),
    ("/log", COOKIE, "Logboek", "Log", "Wanneer (UTC)", "When (UTC)"),
    ("/posters/new", COOKIE, "Poster maken", "Make a poster", "Zoekwoorden", "Search words"),
    ("/posters", COOKIE, "Bewaarde posters", "Saved posters", "Nieuwe poster maken",
     "Make a new poster"),
    ("/login", None, "Inloggen voor medewerkers", "Staff log in", "Wachtwoord", "Password"),
    ("/", None, "photovoice", "photovoice", "Inloggen voor medewerkers", "Staff log in"),
    ("/i/%s" % TOKEN, None, "Stuur je foto", "Send your photo", "Alleen de begeleiders",
     "Only the staff"),
    ("/i/%s/mine" % TOKEN, None, "Jouw foto's", "Your photos", "Nog een foto sturen",
     "Send another photo"),
    ("/nowhere", None, "Niet gevonden", "Not found", "Deze pagina bestaat niet.",
     "There is no such page."),
    ("/i/%s" % ("B" * 22), None, "Niet gevonden", "Not found", "Deze link werkt niet (meer).",
     "This link does not work (any more)."),
]
wrong = []
for path, cookie, nl, en, nl_said, en_said in LANG_PAGES:
    for lang, accept, want, other in (("nl", None, (nl, nl_said), (en, en_said)),
                                      ("en", "en-GB,en;q=0.8", (en, en_said), (nl, nl_said))):
        h = {"Cookie": cookie} if cookie else {}
        if accept:
            h["Accept-Language"] = accept
        page = srv.get(path, headers=h).text
        text = html.unescape(re.sub(r"<[^>]*>", " ", page))
        if ('<html lang="%s">' % lang) not in page:
            wrong.append("%s (%s): <html lang>" % (path, lang))
        wrong += ["%s (%s): no %r" % (path, lang, w) for w in want if w not in text]
        wrong += ["%s (%s): %r" % (path, lang, o) for o, w in zip(other, want)
                  if o != w and re.search(r"\b%s\b" % re.escape(o), text)]
        if cookie and ("Uitloggen" if lang == "nl" else "Log out") not in text:
            wrong.append("%s (%s): the menu" % (path, lang))
t.eq([], wrong, "every staff and participant page speaks Dutch by default and English "
     "when asked (heading, menu, sentences, <html lang>)")

# ---- a withdrawal shows first on /review -------------------------------------
fenna = [i for i, e in cli_list.items() if e["participant"] == "fenna"]
mine_csrf = csrf_of(srv.get("/i/%s" % TOKEN).text)
r = srv.request("POST", "/i/%s/withdraw" % TOKEN, body="csrf=%s&id=%d&confirm=yes" % (mine_csrf, fenna[-1]),
                headers=FORM)
first = get("/review", True).json()["entries"][0]
t.ok(first["id"] == fenna[-1] and first["withdrawn"] and first["consent"] == "none",
     "a participant's withdrawal from their link is first on /review", first["id"])

# ---- bad input ---------------------------------------------------------------
bad = {
    "/entries?q=%22de+klik": 400, "/entries?q=klik+AND": 400, "/entries?q=%FF%FE": 400,
    "/entries?page=0": 400, "/entries?page=abc": 400, "/entries?page=-1": 400,
    "/entries?page=99999999999999999999": 400, "/entries?consent=everyone": 400,
    "/entries?tag=%01": 422, "/entries/0": 404, "/entries/abc": 404, "/entries/-1": 404,
    "/entries/99999999999999999999": 404, "/entries/007": 404, "/entries/999": 404,
    "/media/3/original": 404, "/media/3/..": 404, "/media/999/thumb": 404,
    "/media/3/thumb/x": 404, "/media/../catalogue.db": 404, "/media/3": 404,
    "/entries/999/forget": 404,
}
wrong = []
for path, status in bad.items():
    for j in (False, True):
        r = get(path, j)
        said = r.sentence()
        if r.status != status or (status != 200 and not said):
            wrong.append("%s%s: %d %r" % (path, " (json)" if j else "", r.status, said))
t.eq([], wrong, "bad searches, pages, filters, ids and paths: their status and a sentence")
r = get("/entries?q=%22de+klik")
t.ok('id="f-q"' in r.text and "niet te begrijpen" in r.text,
     "an unreadable search shows the form again with its sentence")
r = get("/media/3/thumb")
t.ok(r.status == 200 and r.body[:2] == b"\xff\xd8" and r.headers.get("cache-control") == "no-store",
     "the thumbnail is served to a session, not stored by the browser")

# ---- payloads in every text field ----------------------------------------------
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
SQL = "'; DROP TABLE entries; --"
UNI = "Zoë \u202e\u200dlaté 🙂 e\u0301 \u05e9\u05dc\u05d5\u05dd"
payloads = [XSS, SQL, UNI]
for i, p in enumerate(payloads):
    r = post("/entries/4/words", {"title": p, "caption": p, "story": p})
    e = A.show(4)
    t.ok(r.status == 200 and e["caption"] == W.kept_text(p) and e["story"] == W.kept_text(p),
         "words payload %d: kept exactly (controls as intake keeps them)" % i, r.status, e["caption"])
    page = get("/entries/4").text
    t.ok("<script>alert" not in page and "<img src=x" not in page,
         "words payload %d: inert in the entry's page" % i)
    r = post("/entries/4/tags", {"tags": p})
    t.ok(r.status in (200, 422) and "<script>alert" not in get("/entries/4").text,
         "tag payload %d: %d, inert in the page" % (i, r.status))
    r = post("/participants", {"name": "fenna", "credit": p})
    t.ok(r.status == 200 and "<script>alert" not in get("/participants").text,
         "credit payload %d: kept, inert in the page" % i, r.status)
    r = post("/tags", {"from": p, "to": p + "x"})
    t.ok(r.status == 200 or (400 <= r.status < 500 and r.sentence()),
         "tag rename payload %d (a tag the entry has): renamed or refused (%d)" % (i, r.status))
    r = get("/entries?q=" + urllib.parse.quote(p))
    t.ok(r.status in (200, 400) and "<script>alert" not in r.text,
         "search payload %d: %d, inert in the page" % (i, r.status))
    r = get("/entries?tag=%s&participant=%s" % (urllib.parse.quote(p), urllib.parse.quote(p)))
    t.ok(r.status == 200 and "<script>alert" not in r.text,
         "filter payload %d: inert in the page" % i)
    r = post("/entries/4/consent", {"consent": p, "guardian": p, "until": p})
    t.ok(r.status == 422 and r.sentence(), "consent payload %d: 422 with a sentence" % i)
    r = post("/entries/4/consent", {"consent": "internal", "until": p})
    t.ok(r.status == 422 and r.sentence(), "consent end date payload %d: 422" % i)
t.ok("<script>alert" not in get("/log").text and "<script>alert" not in get("/tags").text,
     "the log and the tags pages keep every payload inert")
r = post("/entries/4/words", {"title": "x" * 5000})
t.ok(r.status == 422 and r.sentence(), "a title of 5,000 bytes: 422 with a sentence", r.status)
r = post("/entries/4/words", {"story": "y" * (1024 * 1024 + 10)})
t.ok(r.status in (413, 422) and r.sentence(), "a story over 1 MB: refused with a sentence",
     r.status)
r = post("/entries/4/tags", {"tags": "z" * 300})
t.ok(r.status == 422 and r.sentence(), "a tag of 300 bytes: 422 with a sentence", r.status)
r = get("/entries?q=" + "klik+" * 4000)
t.ok(r.status < 500, "a search of 20,000 bytes: no server error (%d)" % r.status)

# ---- the rules hold in the workspace as on the command line ----------------------
W.run_pv(A.dir, "participants", "set", "fenna", "--under16", "yes")
r = post("/entries/%d/consent" % fenna[0], {"consent": "poster", "guardian": "no"})
t.ok(r.status == 403 and r.sentence(), "poster consent for an under-16 without a guardian's "
     "yes: 403, as `photovoice consent` refuses it", r.status, r.sentence())
r = post("/entries/%d/consent" % fenna[0], {"consent": "poster", "guardian": "yes",
                                            "until": "2031-01-31"})
e = r.json()
t.ok(r.status == 200 and e["effective_consent"] == "poster" and e["consent_until"] == "2031-01-31",
     "with the guardian's yes and an end date: recorded", r.status)
# the log keeps the detail in English (log --json); /log says it in the
# reader's language, as `photovoice log` does
said = {lang: html.unescape(re.sub(r"<[^>]*>", " ", srv.get("/log", headers=dict(
    {"Cookie": COOKIE}, **({"Accept-Language": "en"} if lang == "en" else {}))).text))
    for lang in ("nl", "en")}
want = {"nl": "foto %d: poster, ouder akkoord, tot en met 2031-01-31" % fenna[0],
        "en": "entry %d: poster, guardian yes, until 2031-01-31" % fenna[0]}
t.ok(want["nl"] in said["nl"] and want["en"] not in said["nl"] and want["en"] in said["en"],
     "/log says a consent's detail in Dutch on a Dutch page, as stored on an English one",
     [ln for ln in said["nl"].split("\n") if "2031" in ln])
r = post("/entries/5/reviewed", {"back": "https://evil.example/"}, json_answer=False)
t.eq("/entries/5", r.headers.get("location"), "a change goes back only to the workspace's own pages")
before = cli_json("show", "3")
t.eq(200, get("/media/3/thumb").status, "entry 3's thumbnail, before it is erased")
r = post("/entries/3/forget", {}, csrf=False)
t.ok(r.status == 403 and A.show(3)["id"] == 3, "erasing without the form token: 403, nothing erased")
r = post("/entries/3/forget", {})
rep = r.json()
FORGET_KEYS = {"erased", "files_removed", "files_failed", "traces_cleared", "bundles",
               "quarantine_removed", "quarantine_zips", "quarantine_failed"}
t.ok(r.status == 200 and rep["erased"] == [3] and set(rep) == FORGET_KEYS,
     "POST /entries/3/forget: the report in the shape of `forget --json`", r.status, rep)
t.eq(404, get("/entries/3").status, "the erased entry is gone")
t.eq(404, get("/media/3/thumb").status, "and so is its thumbnail")
log = cli_json("log")["events"]
mine = [e for e in log if e["actor"] == "anna"]
t.ok({"edit", "tag", "consent", "review", "forget"} <= {e["action"] for e in mine} or
     len(mine) >= 10, "every change of the workspace is in the log under anna's name",
     sorted({e["action"] for e in mine}))
t.ok(not any(before["title"] in (e["detail"] or "") for e in log),
     "the log keeps nothing of the erased entry's words")

# ---- /review after a busy session: the oldest 20 shown, the rest counted ----
# 25 more photos arrive; the page shows the 20 that came first (with their
# previews and forms), says how many wait and that the next ones follow;
# JSON still gives every one.
many = os.path.join(A.dir, "..", "t78-many")
subprocess.run([os.path.join(W.BUILD, "mksample"), "--bench", "25", "--megapixels", "0.1",
                many], check=True, capture_output=True)
for name in sorted(os.listdir(many)):
    shutil.move(os.path.join(many, name), os.path.join(A.drop, name))
W.run_pv(A.dir, "ingest", "--quiet")
waiting = get("/review", True).json()
ids = [e["id"] for e in waiting["entries"]]
page = get("/review").text
shown = [int(m) for m in re.findall(r'<li class="review" id="e(\d+)"', page)]
t.ok(waiting["count"] > 20 and len(ids) == waiting["count"],
     "GET /review as JSON: every waiting entry, however many", waiting["count"])
t.eq(ids[:20], shown, "GET /review shows the first 20 of them, in the same order")
english = html.unescape(srv.get("/review", headers={"Cookie": COOKIE,
                                                  "Accept-Language": "en"}).text)
t.ok(("%d photos are waiting for review" % waiting["count"]) in english and
     "Shown here: the oldest 20." in english,
     "and says how many wait, and that the next ones come once these are reviewed")
first = ids[0]
post("/entries/%d/reviewed" % first, {"back": "/review"}, json_answer=False)
shown = [int(m) for m in re.findall(r'<li class="review" id="e(\d+)"', get("/review").text)]
t.eq(ids[1:21], shown, "one reviewed: the next one waiting comes up")

srv.stop_cleanly(t, "serve")
t.done()
