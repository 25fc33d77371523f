"""The participant's phone page in a real browser (issue 14, part 6).

Headless Chromium through Selenium on a phone-sized screen (390 x 844):
open an invitation link, choose a GPS-tagged photo, type the words, choose
poster consent and send. The thank-you page appears; within seconds the
entry is in `list --json` with its participant, words and consent; the
stored photo carries nothing identifying; /mine shows its thumbnail, what was
taken out, and the consent. axe-core checks every participant page (form,
error, thanks, /mine, the 404 of a bad link) in Dutch and in English for
WCAG 2.1 A and AA; no page logs a console error (a CSP violation would). A
second browser without JavaScript sends a photo and withdraws consent.
Screenshots of every page go to the test logs.

TAP output; run by tests/e2e/t71-web-phone.sh. Also a tool for the README:
    /usr/bin/python3 tests/e2e/t71_web_phone.py --phone-shot docs/img/phone-page.png
takes the screenshot of the filled-in phone page (390 px wide).
"""
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("PV_TEST_ROOT") or os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("PV_TEST_BUILD") or os.path.join(ROOT, "build", "rel")
PV = os.environ.get("PV_TEST_BIN") or os.path.join(BUILD, "photovoice")
CHROMIUM = os.environ.get("PV_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("PV_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE_JS = os.path.join(ROOT, "build", "npm", "node_modules", "axe-core", "axe.min.js")
SAMPLES = os.path.join(ROOT, "sample-media", "drop")
# sanitizer and valgrind builds are slower: more patience, same checks
SLOW = 4 if re.search(r"/(san|valgrind)$", BUILD) else 1
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844, "pixelRatio": 1.0}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, *diag):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, desc))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc))
            for d in diag:
                for line in str(d).splitlines() or [""]:
                    print("# " + line)
        sys.stdout.flush()
        return cond

    def skip(self, why):
        self.n += 1
        print("ok %d # SKIP %s" % (self.n, why))

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def pv(archive, *args, check=True):
    r = subprocess.run([PV, "--archive", archive] + list(args), capture_output=True,
                       text=True, timeout=60 * SLOW)
    if check and r.returncode != 0:
        raise RuntimeError("photovoice %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                           r.stderr.strip()))
    return r


# ---- the server ---------------------------------------------------------------

class Server:
    """`photovoice serve` on a free loopback port, its output kept in a file."""

    def __init__(self, archive, logdir):
        self.log_path = os.path.join(logdir, "t71-serve.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([PV, "--archive", archive, "serve", "--listen",
                                      "127.0.0.1:0"], stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        self.base = self._wait_for_address(20 * SLOW)

    def _wait_for_address(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    break
                self.log.write(line)
                m = re.search(r"Serving the archive at (http://127\.0\.0\.1:\d+)", line)
                if m:
                    return m.group(1)
        raise RuntimeError("serve did not say where it listens; see " + self.log_path)

    def stop(self):
        """SIGTERM; the exit status (None when it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=15 * SLOW)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        self.log.write(self.proc.stdout.read())
        self.log.close()
        return rc


def invitation(archive, participant):
    """The token of a new personal link for participant."""
    link = json.loads(pv(archive, "invite", participant, "--json").stdout)["link"]
    m = re.search(r"/i/([A-Za-z0-9_-]{22})$", link)
    if not m:
        raise RuntimeError("invite gave no link of the form BASE/i/TOKEN: %r" % link)
    return m.group(1)


# ---- the browser --------------------------------------------------------------

def browser_missing():
    """Why no browser test can run here, or None: Chromium, chromedriver or
    python3-selenium is not installed."""
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        return "Chromium or chromedriver is not installed (%s, %s)" % (CHROMIUM, CHROMEDRIVER)
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "python3-selenium is not installed"
    return None


def axe_script():
    """axe-core's script; without it (make deps-check installs it), one whose
    every check fails."""
    if not os.path.exists(AXE_JS):
        return "window.axe = {run: function () { return Promise.reject('axe-core missing'); }};"
    with open(AXE_JS, encoding="utf-8") as f:
        return f.read()


def browser(lang, javascript=True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--lang=" + lang):
        o.add_argument(a)
    prefs = {"intl.accept_languages": lang}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    o.add_experimental_option("prefs", prefs)
    o.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # the browser's own words (the file button) follow LANGUAGE on Linux; in
    # Dutch where chromium-l10n is installed
    env = dict(os.environ, LANGUAGE=lang)
    d = watch_moves(webdriver.Chrome(service=Service(CHROMEDRIVER, env=env), options=o))
    d.set_page_load_timeout(30 * SLOW)
    d.set_script_timeout(30 * SLOW)
    return d


def images_loaded(d, timeout=10):
    """Waits until every picture of the page has arrived (lazy ones are asked
    for now; one without a source yet, such as the poster preview before its
    first drawing, is not waited for), so that a screenshot shows them;
    returns those that did not."""
    d.execute_script("document.querySelectorAll('img[loading=lazy]')"
                     ".forEach(function (i) { i.loading = 'eager'; });")
    missing = []
    end = time.time() + timeout * SLOW
    while time.time() < end:
        missing = d.execute_script(
            "return Array.from(document.images).filter(function (i) {"
            " return i.getAttribute('src') && (!i.complete || i.naturalWidth === 0);"
            " }).map(function (i) { return i.getAttribute('src'); });")
        if not missing:
            break
        time.sleep(0.1)
    if missing:
        print("# %d pictures not there for the screenshot: %s" % (len(missing), missing[:5]))
    return missing


def screenshot(d, path):
    """The whole page, not only what fits on the screen, its pictures in."""
    import base64
    images_loaded(d)
    height = d.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    shot = d.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": PHONE["width"], "height": height, "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def axe_violations(d, axe_source):
    """axe-core's WCAG 2.1 A/AA violations on the page open in d."""
    d.execute_script(axe_source)
    return d.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        "  return {id: v.id, impact: v.impact, help: v.help,"
        "          nodes: v.nodes.map(function (n) { return n.target.join(' ') + ': ' +"
        "            n.failureSummary; })}; })); },"
        "      function (e) { done([{id: 'axe-error', impact: 'error', help: String(e),"
        "                            nodes: []}]); });", WCAG_TAGS)


# Records, from the first moment of every page, each button, link or field
# that a layout shift moved (Chromium's layout-shift entries; moves right
# after the user's own input do not count). A control that moves while the
# page's pictures arrive takes a tap meant for it somewhere else: the next
# photo's button, or nothing. Moves under 8 px do not count: a fresh
# browser's first page may settle its fonts by a few pixels (CI saw the top
# bar move 5 px once), and a move that small seldom takes a click off a
# 36 px button.
MOVES_WATCH = """
window.__pvMoved = [];
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) {
      if (e.hadRecentInput) return;
      (e.sources || []).forEach(function (s) {
        var n = s.node && s.node.nodeType !== 1 ? s.node.parentElement : s.node;
        if (!n || !n.matches) return;
        var q = 'a[href], button, input:not([type=hidden]), select, textarea';
        var c = n.matches(q) ? n : n.querySelector(q);
        var dy = Math.round(s.currentRect.y - s.previousRect.y);
        var dx = Math.round(s.currentRect.x - s.previousRect.x);
        if (c && Math.max(Math.abs(dx), Math.abs(dy)) >= 8)
          window.__pvMoved.push(c.outerHTML.slice(0, 90) + ' moved ' + dx + ',' + dy + ' px');
      });
    });
  }).observe({type: 'layout-shift', buffered: true});
} catch (e) { window.__pvMoved = ['layout-shift entries unavailable: ' + e]; }
"""


def watch_moves(d):
    """From now on every page d opens records its moved controls. Each answer
    comes 50 ms late, as over a phone's network: on a loopback the pictures
    would arrive before the first paint and hide every move."""
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": MOVES_WATCH})
    d.execute_cdp_cmd("Network.enable", {})
    d.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 50, "downloadThroughput": -1, "uploadThroughput": -1})
    return d


def moved_controls(d):
    """The controls that moved while the page open in d loaded, once its
    pictures in view have arrived ([] when nothing moved)."""
    wait_until(10, lambda: d.execute_script(
        "return Array.prototype.every.call(document.images, function (i) {"
        "  return i.complete || i.loading === 'lazy' || i.hidden; });"))
    time.sleep(0.3)   # layout-shift entries reach the observer a moment later
    return d.execute_script("return window.__pvMoved || ['the page was opened unwatched'];")


def console_errors(d, expected_status_url=None):
    """Errors the page logged; the page's own refusal status is expected."""
    errs = []
    for e in d.get_log("browser"):
        if e["level"] != "SEVERE":
            continue
        if expected_status_url and e["message"].startswith(expected_status_url + " ") and \
                "Failed to load resource: the server responded with a status of 4" in e["message"]:
            continue
        errs.append(e["message"])
    return errs


def press(d, element, javascript=True):
    """A tap; without JavaScript the keyboard's (chromedriver's click waits for
    scripts that never run there)."""
    from selenium.webdriver.common.keys import Keys
    if javascript:
        element.click()
    elif element.tag_name == "button":
        element.send_keys(Keys.ENTER)
    else:
        element.send_keys(Keys.SPACE)


def fill_form(d, words, consent_value, javascript=True):
    """Chooses the photo, types the words and picks the consent."""
    d.find_element("id", "photo").send_keys(os.path.join(SAMPLES, words["photo"]))
    for field in ("title", "caption", "story"):
        d.find_element("id", field).send_keys(words[field])
    press(d, d.find_element("id", "consent-" + consent_value), javascript)


def page_changing(error):
    """Whether a WebDriver error only says the page was being replaced while
    it was asked (the element belonged to the old document)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    if isinstance(error, StaleElementReferenceException):
        return True
    words = ("does not belong to the document", "No node with given id",
             "Cannot find context with specified id")
    return isinstance(error, WebDriverException) and any(w in str(error) for w in words)


def page_replaced(element):
    """The page that held element has been replaced by the next one."""
    from selenium.common.exceptions import WebDriverException
    try:
        element.tag_name
        return False
    except WebDriverException as e:
        if page_changing(e):
            return True
        raise


def wait_until(seconds, probe):
    """probe() until it is true or the time is over; a probe that meets a
    page in the middle of being replaced counts as 'not yet'."""
    from selenium.common.exceptions import WebDriverException
    end = time.time() + seconds * SLOW
    while True:
        try:
            v = probe()
        except WebDriverException as e:
            if not page_changing(e):
                raise
            v = None
        if v or time.time() > end:
            return v
        time.sleep(0.25)


# ---- the run ------------------------------------------------------------------

WORDS = {
    "nl": {"title": "Het bankje bij het café", "caption": "Hier zit ik na school met mijn vrienden.",
           "story": "Wat zie je hier? Een bankje. Wat gebeurt er echt? Het is de enige plek "
                    "waar we mogen zitten zonder iets te kopen.",
           "photo": "fenna/IMG_2041.jpg", "consent": "Ook op een poster",
           "removed": "de plek waar de foto is gemaakt", "notfound": "Niet gevonden",
           "nophoto": "Kies eerst een foto.", "under16": "Je bent jonger dan 16."},
    "en": {"title": "The bench by the café", "caption": "I sit here after school with my friends.",
           "story": "What do you see here? A bench. What is really happening? It is the only "
                    "place where we may sit without buying anything.",
           "photo": "fenna/IMG_2057.jpg", "consent": "Also on a poster",
           "removed": "where it was taken", "notfound": "Not found",
           "nophoto": "Choose a photo first.", "under16": "You are under 16."},
}


class PhoneRun:
    def __init__(self, tap, archive, server, token, logdir, axe_source):
        self.tap, self.archive, self.server = tap, archive, server
        self.token, self.logdir, self.axe = token, logdir, axe_source

    def url(self, rest=""):
        return "%s/i/%s%s" % (self.server.base, self.token, rest)

    def page_checks(self, d, lang, name, expected_status=False, axe=True):
        """Screenshot, axe and the console of the page open in d (axe needs the
        page's JavaScript: a run without it checks the same markup)."""
        path = os.path.join(self.logdir, "t71-%s-%s.png" % (lang, name))
        screenshot(d, path)
        v = axe_violations(d, self.axe) if axe else []
        if axe:
            self.tap.ok(not v, "%s, %s: no WCAG 2.1 AA violation (axe-core)" % (name, lang),
                        *["%s (%s): %s\n  %s" % (x["id"], x["impact"], x["help"],
                                                 "\n  ".join(x["nodes"][:5])) for x in v])
        wide = d.execute_script("return document.documentElement.scrollWidth")
        self.tap.ok(wide <= PHONE["width"], "%s, %s: fits the phone's width (%d px)" %
                    (name, lang, wide))
        small = d.execute_script(
            "return Array.prototype.filter.call(document.querySelectorAll("
            "  'button, input[type=file], input[type=text], textarea'),"
            "  function (e) { return e.getBoundingClientRect().height < 44; })"
            ".map(function (e) { return e.outerHTML.slice(0, 80) + ': ' +"
            "  Math.round(e.getBoundingClientRect().height) + ' px'; });")
        self.tap.ok(not small, "%s, %s: buttons and fields at least 44 px tall" % (name, lang),
                    *small)
        errs = console_errors(d, d.current_url if expected_status else None)
        self.tap.ok(not errs, "%s, %s: no console errors" % (name, lang), *errs)
        moved = moved_controls(d)
        self.tap.ok(not moved, "%s, %s: no button, link or field moves while the page loads" %
                    (name, lang), *moved)

    def bad_link(self, d, lang):
        d.get(self.server.base + "/i/" + "B" * 22)
        body = d.find_element("tag name", "body").text
        self.tap.ok(WORDS[lang]["notfound"] in body and self.token not in d.page_source,
                    "a bad link, %s: the not-found page" % lang, body)
        self.page_checks(d, lang, "404", expected_status=True)

    def error_state(self, d, lang):
        """Sent without a photo (the browser's own check taken away): the server's
        sentence."""
        d.get(self.url())
        d.execute_script("document.querySelectorAll('[required]').forEach("
                         "function (e) { e.removeAttribute('required'); });")
        d.find_element("id", "consent-none").click()
        d.find_element("css selector", "button[type=submit]").click()
        wait_until(10, lambda: "role=\"alert\"" in d.page_source)
        alert = d.find_elements("css selector", "[role=alert]")
        said = alert[0].text.strip() if alert else ""
        self.tap.ok(said == WORDS[lang]["nophoto"], "sent without a photo, %s: one sentence "
                    "says what to do" % lang, "expected: " + WORDS[lang]["nophoto"],
                    "actual:   " + said)
        self.page_checks(d, lang, "error", expected_status=True)

    def fill_and_send(self, d, lang, words, consent_value, name_prefix="form", axe=True):
        """axe=False: a browser without JavaScript, where axe cannot run."""
        d.get(self.url())
        self.page_checks(d, lang, name_prefix + "-empty", axe=axe)
        fill_form(d, words, consent_value, javascript=axe)
        self.page_checks(d, lang, name_prefix + "-filled", axe=axe)
        press(d, d.find_element("css selector", "button[type=submit]"), javascript=axe)
        wait_until(30, lambda: d.current_url.endswith("/thanks"))
        self.tap.ok(d.current_url == self.url("/thanks"), "sent, %s: the thank-you page "
                    "appears" % lang, "at " + d.current_url, d.page_source[:1500])
        self.page_checks(d, lang, name_prefix + "-thanks", axe=axe)

    def entry_of(self, title):
        r = pv(self.archive, "list", "--json", check=False)
        if r.returncode != 0:
            return None
        for e in json.loads(r.stdout)["entries"]:
            if e.get("title") == title:
                return e
        return None

    def catalogued(self, lang, words, participant, consent):
        t0 = time.time()
        e = wait_until(20, lambda: self.entry_of(words["title"]))
        if not self.tap.ok(e, "%s: in `list --json` within %d s" % (lang, 20 * SLOW)):
            return None
        print("# %s: catalogued %.1f s after the thank-you page" % (lang, time.time() - t0))
        got = {k: e.get(k) for k in ("participant", "title", "caption", "story", "consent")}
        want = {"participant": participant, "title": words["title"],
                "caption": words["caption"], "story": words["story"], "consent": consent}
        self.tap.ok(got == want, "%s: participant, words and consent as sent" % lang,
                    "expected: %s" % want, "actual:   %s" % got)
        return e

    def stored_photo_clean(self, lang, e):
        path = os.path.join(self.archive, "media", e["sha256"][:2], e["sha256"] + ".jpg")
        r = pv(self.archive, "inspect", "--json", path, check=False)
        doc = json.loads(r.stdout) if r.returncode == 0 else {"files": [{}]}
        f = doc["files"][0]
        self.tap.ok(f.get("clean") is True and not f.get("findings"),
                    "%s: inspect finds nothing identifying in the stored photo" % lang,
                    r.stdout[:2000], r.stderr)

    def mine_shows(self, d, lang, words, e):
        def card_ready():
            d.get(self.url("/mine"))
            return d.execute_script(
                "var i = document.querySelector('.card img');"
                "return i && i.complete && i.naturalWidth > 0;")
        wait_until(15, card_ready)
        thumbs = d.execute_script(
            "return Array.prototype.map.call(document.querySelectorAll('.card img'),"
            " function (i) { return [i.getAttribute('src'), i.naturalWidth]; });")
        own = [t for t in thumbs if t[0].endswith("/photo/%d" % e["id"])]
        self.tap.ok(own and own[0][1] > 0, "/mine, %s: the thumbnail is shown" % lang,
                    "thumbnails: %s" % thumbs)
        text = d.find_element("tag name", "main").text
        for what in ("title", "caption", "consent", "removed"):
            self.tap.ok(words[what] in text, "/mine, %s: shows %s (%r)" % (lang, what,
                                                                           words[what]), text)
        self.page_checks(d, lang, "mine")

    def run(self, lang, participant, under16=False, others=()):
        """others: titles sent through other links, which this one must not show."""
        words = WORDS[lang]
        d = browser(lang)
        try:
            d.get(self.url())
            self.tap.ok(d.execute_script("return document.documentElement.lang") == lang,
                        "the page is in the browser's language (%s)" % lang)
            said = d.find_element("tag name", "main").text
            self.tap.ok((words["under16"] in said) == under16, "%s: the line for under-16s "
                        "shows only for them (%s)" % (lang, under16), said)
            self.bad_link(d, lang)
            self.error_state(d, lang)
            self.fill_and_send(d, lang, words, "poster")
            e = self.catalogued(lang, words, participant, "poster")
            if e:
                self.stored_photo_clean(lang, e)
                self.mine_shows(d, lang, words, e)
                text = d.find_element("tag name", "main").text
                self.tap.ok(not [t for t in others if t in text], "/mine, %s: nothing sent "
                            "through another participant's link" % lang, text)
        finally:
            d.quit()

    def run_without_javascript(self, participant):
        """Sending and withdrawing work with JavaScript switched off."""
        words = dict(WORDS["nl"], title="Zonder JavaScript", photo="de-klik.jpg")
        d = browser("nl", javascript=False)
        try:
            self.fill_and_send(d, "nl", words, "internal", name_prefix="nojs", axe=False)
            e = self.catalogued("no JavaScript", words, participant, "internal")
            if not e:
                return
            wait_until(15, lambda: (d.get(self.url("/mine")),
                                    d.find_elements("css selector", "form.withdraw"))[1])
            forms = [f for f in d.find_elements("css selector", "form.withdraw")
                     if f.find_element("name", "id").get_attribute("value") == str(e["id"])]
            if not self.tap.ok(forms, "no JavaScript: /mine offers to withdraw the photo"):
                return
            press(d, forms[0].find_element("css selector", "button[type=submit]"), False)
            # a page asks first: a tap by mistake takes nothing away
            confirm = wait_until(10, lambda: d.find_elements(
                "css selector", "form.withdraw input[name=confirm]"))
            self.tap.ok(confirm and (self.entry_of(words["title"]) or {}).get("consent") ==
                        "internal", "no JavaScript: withdrawing asks first, the consent "
                        "still internal", "at " + d.current_url)
            if not confirm:
                return
            self.page_checks(d, "nl", "nojs-withdraw-confirm", axe=False)
            press(d, d.find_element("css selector", "form.withdraw button[type=submit]"), False)
            wait_until(10, lambda: (self.entry_of(words["title"]) or {}).get("consent") == "none")
            after = self.entry_of(words["title"])
            self.tap.ok(after and after["consent"] == "none", "no JavaScript: withdrawing "
                        "makes the consent none", "entry: %s" % after)
            self.tap.ok(d.current_url == self.url("/mine"), "no JavaScript: back on /mine after "
                        "withdrawing", "at " + d.current_url)
            self.page_checks(d, "nl", "nojs-mine-withdrawn", axe=False)
        finally:
            d.quit()


def main_test(tap, tmp, logdir):
    missing = browser_missing()
    if missing:
        tap.skip(missing)
        return
    tap.ok(os.path.exists(AXE_JS), "axe-core is installed (make deps-check)", AXE_JS)
    axe_source = axe_script()
    archive = os.path.join(tmp, "archive")
    pv(archive, "init")
    pv(archive, "participants", "set", "sem", "--under16", "yes")
    server = Server(archive, logdir)
    tokens = {p: invitation(archive, p) for p in ("fenna", "sem")}
    rc = None
    try:
        fenna = PhoneRun(tap, archive, server, tokens["fenna"], logdir, axe_source)
        sem = PhoneRun(tap, archive, server, tokens["sem"], logdir, axe_source)
        fenna.run("nl", "fenna")
        sem.run("en", "sem", under16=True, others=[WORDS["nl"]["title"]])
        fenna.run_without_javascript("fenna")
        refused_from_elsewhere(tap, fenna.url())
    finally:
        rc = server.stop()
    tap.ok(rc == 0, "serve stops cleanly on SIGTERM (exit %s)" % rc)
    log = open(server.log_path, encoding="utf-8", errors="replace").read()
    tap.ok(not [t for t in tokens.values() if t in log], "no token in serve's output")


def refused_from_elsewhere(tap, url):
    """'Origin: null' is taken only with Sec-Fetch-Site: same-origin (what a
    browser sends for our own form under Referrer-Policy: no-referrer)."""
    import urllib.error
    import urllib.request
    req = urllib.request.Request(url, data=b"title=hoi", method="POST", headers={
        "Origin": "null", "Sec-Fetch-Site": "cross-site",
        "Content-Type": "application/x-www-form-urlencoded"})
    try:
        status, body = urllib.request.urlopen(req, timeout=10 * SLOW).status, ""
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read().decode("utf-8", "replace")
    tap.ok(status == 403 and "andere website" in body, "a form from a sandboxed page "
           "elsewhere (Origin: null, cross-site) is refused", "status %s" % status, body[:600])


def phone_shot(out):
    """The filled-in phone page, for the README."""
    tmp = tempfile.mkdtemp(prefix="pv-shot.")
    try:
        archive = os.path.join(tmp, "archive")
        pv(archive, "init")
        server = Server(archive, tmp)
        try:
            run = PhoneRun(Tap(), archive, server, invitation(archive, "fenna"), tmp, "")
            d = browser("nl")
            try:
                d.get(run.url())
                fill_form(d, WORDS["nl"], "poster")
                screenshot(d, out)
            finally:
                d.quit()
        finally:
            server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%s: %d bytes" % (out, os.path.getsize(out)))


def run_main_test(name, main_test):
    """The main() of a browser test: main_test(tap, tmp, logdir) with a fresh
    temporary folder, removed after, and the test logs' folder for its
    screenshots; a crash is a failure with its reason, not a traceback only.
    Returns the exit status."""
    tap = Tap()
    logdir = os.path.join(BUILD, "test-logs")
    tmp = tempfile.mkdtemp(prefix="pv-e2e-%s." % name)
    os.makedirs(logdir, exist_ok=True)
    t0 = time.time()
    try:
        main_test(tap, tmp, logdir)
    except Exception as e:
        import traceback
        tap.ok(False, "the browser run ended early: %s" % e, traceback.format_exc())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("# %.1f s; screenshots in %s" % (time.time() - t0, logdir))
    return tap.done()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--phone-shot":
        phone_shot(sys.argv[2])
        return 0
    return run_main_test("t71", main_test)


if __name__ == "__main__":
    sys.exit(main())
