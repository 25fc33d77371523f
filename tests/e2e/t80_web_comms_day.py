"""t80-web-comms-day: a communications officer's whole day in the staff
workspace, in headless Chromium at 1366x900 (issue 15, part 7).

Two photos arrive from a participant's phone (under 16). The officer logs
in; reviews both (one gets poster consent with the guardian's yes, both get
a tag); searches a word with a diacritic typed without it; builds an A2
poster of six entries, moves two, changes one caption and sees the preview
change; downloads the bundle and checks that its poster.pdf holds the six
titles in that order and no entry with internal consent; erases one entry
and sees it gone from the grid and the search; logs out, and the back
button shows nothing personal. Screenshots in the test logs; --shots DIR
writes the README's two pictures there."""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib as W  # noqa: E402
import t71_web_phone as P  # noqa: E402
import t77_web_posters_browser as B  # noqa: E402

SHOTS = None
SENT = [  # what the participant sends from her phone: internal consent
    {"title": "Het schoolplein", "caption": "Hier wacht ik elke ochtend.",
     "story": "Het plein is groot en leeg voor achten."},
    {"title": "Het café op de hoek", "caption": "Na school drinken we hier thee in het café.",
     "story": "De eigenaar kent ons bij naam."},
]


def setup():
    A = W.Archive("pv-t80")
    shutil.copytree(os.path.join(W.ROOT, "sample-media", "drop"), A.drop, dirs_exist_ok=True)
    W.run_pv(A.dir, "ingest", "--quiet", check=False)
    # what was there before today has been looked at already
    con = sqlite3.connect(os.path.join(A.dir, "catalogue.db"))
    con.execute("UPDATE entries SET reviewed_at = ingested_at")
    con.commit()
    con.close()
    subprocess.run([W.PV, "--archive", A.dir, "staff", "add", "anna"], input=B.PW.encode(),
                   check=True, capture_output=True)
    W.run_pv(A.dir, "participants", "set", "lotte", "--under16", "yes")
    return A


def send_from_phone(t, A, S):
    token = A.invite("lotte")
    csrf = S.csrf(token)
    photos = W.made_photos(os.path.join(A.tmp, "phone"), 2)
    before = len(A.entries())
    for words, photo in zip(SENT, photos):
        r = S.send(token, [("IMG_0001.jpg", photo)], dict(words, consent="internal", csrf=csrf))
        t.eq(303, r.status, "the phone sends %r" % words["title"])
    arrived = W.wait_for(lambda: len(A.entries()) >= before + 2, 30 * P.SLOW)
    t.ok(arrived, "both are in the catalogue within seconds")
    return {e["title"]: e["id"] for e in A.entries() if e["title"] in [w["title"] for w in SENT]}



class Day(B.Run):
    def __init__(self, *a):
        super().__init__(*a)
        self.prefix = "t80"

    def page(self, d, name, axe=True):
        self.checks(d, "day-" + name, axe=axe)

    def review(self, d, ids):
        from selenium.webdriver.support.ui import Select
        d.get(self.base + "/review")
        text = d.find_element("tag name", "main").text
        self.t.ok(all(w["title"] in text for w in SENT), "/review shows both new photos", text[:500])
        self.page(d, "review")
        if SHOTS:
            B.shot(d, os.path.join(SHOTS, "staff-review.png"), full=False)
        school, cafe = ids[SENT[0]["title"]], ids[SENT[1]["title"]]
        Select(d.find_element("id", "consent-%d" % school)).select_by_value("poster")
        Select(d.find_element("id", "guardian-%d" % school)).select_by_value("yes")
        # each form goes back to /review: the same address, so wait until the
        # old page is gone (else the next field is found on it and typed into
        # while the new page replaces it)
        def next_page(button):
            old = d.find_element("tag name", "main")
            button.click()
            if not P.wait_until(20, lambda: P.page_replaced(old)):
                raise RuntimeError("the form did not lead to a new page")
        next_page(d.find_element("css selector", "form[action='/entries/%d/consent'] button" % school))
        for i in (school, cafe):
            field = d.find_element("id", "tags-%d" % i)
            field.send_keys("jongerenraad")
            next_page(d.find_element("css selector", "#tags-%d + button" % i))
        s = self.A.show(school)
        self.t.eq(("poster", True, "poster"), (s["consent"], s["guardian_consent"],
                                              s["effective_consent"]),
                  "the schoolyard has poster consent with the guardian's yes, and it counts")
        for i in (school, cafe):
            self.t.ok("jongerenraad" in self.A.show(i)["tags"], "entry %d is tagged" % i)
        self.t.eq("internal", self.A.show(cafe)["effective_consent"], "the café stays internal")

    def search_folded(self, d, cafe):
        d.get(self.base + "/entries?q=cafe")
        self.t.ok("/entries/%d" % cafe in d.page_source,
                  "'cafe' typed without its accent finds 'café'")
        self.page(d, "search")

    def build(self, d, ids, downloads):
        from selenium.webdriver.support.ui import Select
        d.get(self.base + "/posters/new?q=" + "+OR+".join(["klik", "thuis", "plein",
                                                          "vertrouwen", "wachten"]))
        offered = [int(b.get_attribute("value")[4:])
                   for b in d.find_elements("css selector", "button[value^=add-]")]
        self.t.ok(ids[SENT[0]["title"]] in offered, "the schoolyard may now go on a poster")
        self.t.ok(ids[SENT[1]["title"]] not in offered, "the café may not", offered)
        six = [ids[SENT[0]["title"]]] + [i for i in offered if i != ids[SENT[0]["title"]]][:5]
        for i in six:
            d.find_element("css selector", "button[value=add-%d]" % i).click()
            P.wait_until(20, lambda: i in self.order(d))
        self.t.eq(six, self.order(d), "six entries on the poster")
        Select(d.find_element("id", "paper")).select_by_value("A2")
        d.find_element("id", "title").send_keys("De jongerenraad")
        drawn = P.wait_until(20, lambda: self.drawn(d))
        png_before = d.execute_script("return document.getElementById('poster-preview').src")
        self.keyboard_move(d)
        drawn = self.redrawn_after(d, drawn, "moving one photo")
        cap = d.find_element("id", "cap-%d" % six[3])
        cap.send_keys("Ons eigen onderschrift")
        drawn = self.redrawn_after(d, drawn, "changing one caption")
        png_after = d.execute_script("return document.getElementById('poster-preview').src")
        self.t.ok(png_after != png_before, "the preview shows the change")
        self.page(d, "poster")
        if SHOTS:
            B.shot(d, os.path.join(SHOTS, "poster-builder.png"), full=False)
        order = self.order(d)
        zpath = self.download(d, downloads)
        if zpath:
            self.poster_checks(zpath, order, "Ons eigen onderschrift")
            self.nothing_internal(zpath)
        return order

    def nothing_internal(self, zpath):
        z = zipfile.ZipFile(zpath)
        pdf = os.path.join(os.path.dirname(zpath), "poster.pdf")
        open(pdf, "wb").write(z.read("poster.pdf"))
        if not shutil.which("pdftotext"):
            return
        flat = " ".join(subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True,
                                       text=True).stdout.split())
        internal = [e for e in self.A.entries() if e["effective_consent"] in ("none", "internal")]
        found = [e["title"] for e in internal if e["title"] and e["title"][:18] in flat]
        self.t.ok(internal and not found, "poster.pdf holds nothing with internal consent", found)

    def erase(self, d, victim, title):
        d.get(self.base + "/entries/%d/forget" % victim)
        self.page(d, "forget")
        d.find_element("css selector", "form[action='/entries/%d/forget'] button" % victim).click()
        P.wait_until(20, lambda: "/forget" not in d.current_url or "gewist" in d.page_source)
        d.get(self.base + "/entries")
        self.t.ok("/entries/%d\"" % victim not in d.page_source and title not in d.page_source,
                  "the erased entry is gone from the grid")
        d.get(self.base + "/entries?q=" + title.split()[-1])
        self.t.ok("/entries/%d\"" % victim not in d.page_source, "and from the search")

    def logout(self, d, personal):
        d.get(self.base + "/entries")
        d.find_element("css selector", "form[action='/logout'] button").click()
        P.wait_until(20, lambda: "/login" in d.current_url)
        d.back()
        time.sleep(1)
        src = d.page_source
        shown = [w for w in personal if w in src]
        self.t.ok(not shown, "after logging out the back button shows nothing personal", shown)
        self.page(d, "after-logout", axe=False)


def main():
    t = W.Tap()
    missing = P.browser_missing()
    if missing:
        t.skip(missing)
        t.done()
    axe = P.axe_script()
    os.makedirs(B.LOGDIR, exist_ok=True)
    A = setup()
    S = W.Server(A)
    tmp = tempfile.mkdtemp(prefix="pv-t80.")
    day = Day(t, A, S, axe)
    d = None
    try:
        ids = send_from_phone(t, A, S)
        t.eq(2, len(ids), "the two phone photos have their entries", ids)
        d = B.browser("nl", downloads=tmp)
        day.login(d)
        day.review(d, ids)
        day.search_folded(d, ids[SENT[1]["title"]])
        order = day.build(d, ids, tmp)
        victim = order[-1]
        title = A.show(victim)["title"]
        day.erase(d, victim, title)
        day.logout(d, [SENT[0]["title"], SENT[0]["caption"], "Ons eigen onderschrift"])
    except Exception as e:
        import traceback
        t.ok(False, "the day ended early: %s" % e, traceback.format_exc())
    finally:
        if d:
            d.quit()
        shutil.rmtree(tmp, ignore_errors=True)
    S.stop_cleanly(t, "serve")
    t.done()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--shots":
        SHOTS = sys.argv[2]
    main()
