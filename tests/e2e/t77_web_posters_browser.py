"""t77-web-posters-browser: the poster builder in headless Chromium (Selenium,
desktop window 1366x900), in Dutch and English, with and without JavaScript.

Log in; find photos and add six (the ones consent does not allow have no add
button, and say why); the preview appears and is redrawn after a change of
caption, of paper, and of order; the order changed with the keyboard only
(Tab to Move down, Enter: the focus stays on the button) and by drag and
drop; the bundle downloaded from the page holds the order on its poster.pdf
(rendered with pdftoppm into the test logs); the poster saved and opened
again; axe-core finds no WCAG 2.1 AA violation on the builder and the saved
posters; no console error. Without JavaScript the move buttons are form
posts that do the same. Screenshots in the test logs; --shots DIR writes
the README's pictures."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib as W  # noqa: E402
import t71_web_phone as P  # noqa: E402  (axe, console, wait_until)

DESKTOP = (1366, 900)
PW = "correct horse battery"
LOGDIR = os.path.join(W.BUILD, "test-logs")


def browser(lang, javascript=True, downloads=None):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = P.CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--lang=" + lang,
              "--window-size=%d,%d" % DESKTOP):
        o.add_argument(a)
    prefs = {"intl.accept_languages": lang}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    if downloads:
        prefs["download.default_directory"] = downloads
        prefs["download.prompt_for_download"] = False
    o.add_experimental_option("prefs", prefs)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = P.watch_moves(webdriver.Chrome(service=Service(P.CHROMEDRIVER,
                                                       env=dict(os.environ, LANGUAGE=lang)),
                                       options=o))
    # the page's own 1366x900, whatever the window keeps for itself
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": DESKTOP[0], "height": DESKTOP[1], "deviceScaleFactor": 1, "mobile": False})
    d.set_page_load_timeout(60 * P.SLOW)
    d.set_script_timeout(60 * P.SLOW)
    if downloads:
        d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow",
                                                       "downloadPath": downloads})
    return d


def shot(d, path, full=True):
    import base64
    P.images_loaded(d)
    if not full:   # the top of the page, as it opens
        d.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.3)
    height = d.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    clip = {"x": 0, "y": 0, "width": DESKTOP[0], "height": height if full else DESKTOP[1],
            "scale": 1}
    data = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png",
                                                        "captureBeyondViewport": full,
                                                        "clip": clip})
    with open(path, "wb") as f:
        f.write(base64.b64decode(data["data"]))


class Run:
    def __init__(self, tap, archive, server, axe):
        self.t, self.A, self.S, self.axe = tap, archive, server, axe
        self.base = "http://127.0.0.1:%d" % server.port
        self.prefix = "t77"             # of the screenshots' names

    def checks(self, d, name, axe=True):
        shot(d, os.path.join(LOGDIR, "%s-%s.png" % (self.prefix, name)))
        if axe:
            v = P.axe_violations(d, self.axe)
            self.t.ok(not v, "%s: no WCAG 2.1 AA violation (axe-core)" % name,
                      *["%s (%s): %s\n  %s" % (x["id"], x["impact"], x["help"],
                                               "\n  ".join(x["nodes"][:5])) for x in v])
            errs = P.console_errors(d)
            self.t.ok(not errs, "%s: no console errors" % name, *errs)
        wide = d.execute_script("return document.documentElement.scrollWidth")
        self.t.ok(wide <= DESKTOP[0], "%s: fits 1366 px (%d)" % (name, wide))
        moved = P.moved_controls(d)
        self.t.ok(not moved, "%s: no button, link or field moves while the page loads" % name,
                  *moved)

    def login(self, d):
        from selenium.webdriver.common.keys import Keys
        d.get(self.base + "/login")
        d.find_element("id", "name").send_keys("anna")
        d.find_element("id", "password").send_keys(PW)
        d.find_element("id", "password").send_keys(Keys.ENTER)
        P.wait_until(20, lambda: "/login" not in d.current_url)

    def order(self, d):
        """The poster's order as the form holds it ([] while a page loads)."""
        for _ in range(20):
            try:
                v = d.find_element("id", "order").get_attribute("value")
                return [int(x) for x in v.split(",") if x]
            except Exception:   # the page is being replaced by the answer
                time.sleep(0.1)
        return []

    def drawn(self, d):
        return d.execute_script("var i = document.getElementById('poster-preview');"
                                "return i && !i.hidden && i.src.indexOf('blob:') === 0 ?"
                                " Number(i.dataset.drawn) : 0;")

    def redrawn_after(self, d, before, what):
        t0 = time.time()
        now = P.wait_until(15, lambda: self.drawn(d) > before and self.drawn(d))
        self.t.ok(now, "the preview is redrawn after %s (%.2f s)" % (what, time.time() - t0))
        return now or before

    def add_six(self, d, usable):
        """Searches and adds the first six entries that may be used."""
        d.get(self.base + "/posters/new?q=" + "+OR+".join(["klik", "thuis", "vertrouwen",
                                                          "wachten", "eerste"]))
        buttons = d.find_elements("css selector", "button[value^=add-]")
        offered = sorted(int(b.get_attribute("value")[4:]) for b in buttons)
        self.t.ok(offered and set(offered) <= set(usable), "only entries consent allows have an add "
                  "button", offered, usable)
        whys = [e.text for e in d.find_elements("css selector", ".found .why")]
        self.t.ok(whys and all("mag niet op een poster" in w for w in whys),
                  "the others say why", whys)
        self.checks(d, "nl-search")
        for i in offered[:6]:
            d.find_element("css selector", "button[value=add-%d]" % i).click()
            if not P.wait_until(20, lambda: i in self.order(d)):
                said = [e.text for e in d.find_elements("css selector", "main .error, main .note")]
                self.t.ok(False, "the button adds photo %d" % i, d.current_url, *said)
        self.t.eq(offered[:6], self.order(d), "six entries are on the poster, in the order added")
        return offered[:6]

    def keyboard_move(self, d):
        """Tab until the first photo's Move down button has the focus, then Enter."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        first = self.order(d)[0]
        target = "down-%d" % first
        d.find_element("tag name", "body").click()
        d.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
        for _ in range(300):
            ActionChains(d).send_keys(Keys.TAB).perform()
            if d.execute_script("return document.activeElement.value") == target:
                break
        self.t.eq(target, d.execute_script("return document.activeElement.value"),
                  "Move down of the first photo is reached with Tab")
        before = self.order(d)
        ActionChains(d).send_keys(Keys.ENTER).perform()
        P.wait_until(10, lambda: self.order(d) != before)
        after = self.order(d)
        self.t.eq([before[1], before[0]] + before[2:], after, "Enter moves it one place down")
        self.t.eq(target, d.execute_script("return document.activeElement.value"),
                  "and the focus stays on the button, for the next Enter")
        ActionChains(d).send_keys(Keys.ENTER).perform()
        P.wait_until(10, lambda: self.order(d) != after)
        self.t.eq([before[1], before[2], before[0]] + before[3:], self.order(d),
                  "a second Enter moves it again")
        said = d.execute_script("return document.querySelector('[aria-live=polite].visually-hidden').textContent")
        self.t.ok("3" in said, "and a screen reader hears its new place", said)

    def drag(self, d, from_id, to_id):
        """HTML5 drag and drop as the browser sends it (chromedriver cannot)."""
        d.execute_script(
            "var s = document.querySelector('li[data-id=\"' + arguments[0] + '\"]'),"
            "    t = document.querySelector('li[data-id=\"' + arguments[1] + '\"]'),"
            "    dt = new DataTransfer();"
            "function fire(el, type) { el.dispatchEvent(new DragEvent(type, {bubbles: true,"
            "  cancelable: true, dataTransfer: dt})); }"
            "fire(s, 'dragstart'); fire(t, 'dragover'); fire(t, 'drop'); fire(s, 'dragend');",
            from_id, to_id)

    def download(self, d, downloads):
        for f in os.listdir(downloads):
            os.unlink(os.path.join(downloads, f))
        d.find_element("css selector", "button[formaction='/bundles']").click()
        path = os.path.join(downloads, "photovoice-poster.zip")
        ok = P.wait_until(60, lambda: os.path.exists(path) and not [
            f for f in os.listdir(downloads) if f.endswith(".crdownload")])
        self.t.ok(ok, "the bundle is downloaded from the page", os.listdir(downloads))
        return path if ok else None

    def poster_checks(self, zpath, order, caption):
        z = zipfile.ZipFile(zpath)
        manifest = json.loads(z.read("manifest.json"))
        self.t.eq(order, [e["id"] for e in manifest["entries"]], "the bundle keeps the order "
                  "made in the browser")
        pdf = os.path.join(os.path.dirname(zpath), "poster.pdf")
        open(pdf, "wb").write(z.read("poster.pdf"))
        if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
            self.t.skip("poppler-utils is not installed")
            return
        flat = " ".join(subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True,
                                       text=True).stdout.split())
        at, where = 0, []
        for i in order:
            at = flat.find(" ".join(self.A.show(i)["title"].split())[:20], at)
            where.append(at)
        self.t.ok(all(p >= 0 for p in where), "poster.pdf holds the six titles in that order",
                  where, flat[:800])
        self.t.ok(caption in flat, "and the caption written in the browser")
        out = os.path.join(LOGDIR, self.prefix + "-poster-pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", pdf, out], check=True)
        self.t.ok(os.path.getsize(out + ".png") > 10000, "poster.pdf renders (%s.png)" % os.path.basename(out))

    def with_javascript(self, usable, downloads):
        d = browser("nl", downloads=downloads)
        try:
            self.login(d)
            d.get(self.base + "/posters/new")
            self.checks(d, "nl-empty")
            six = self.add_six(d, usable)
            first = P.wait_until(20, lambda: self.drawn(d))
            self.t.ok(first, "the preview appears without a button")
            self.checks(d, "nl-builder")
            shot(d, os.path.join(LOGDIR, "t77-nl-builder-screen.png"), full=False)
            d.find_element("id", "title").send_keys("Gehoord worden")
            n = self.redrawn_after(d, first, "typing a title")
            cap = d.find_element("id", "cap-%d" % six[1])
            cap.send_keys("Een onderschrift voor de poster")
            n = self.redrawn_after(d, n, "typing a caption")
            from selenium.webdriver.support.ui import Select
            Select(d.find_element("id", "paper")).select_by_value("A2")
            self.keyboard_move(d)
            n = self.redrawn_after(d, n, "a move with the keyboard")
            before = self.order(d)
            self.drag(d, before[-1], before[0])
            self.t.eq([before[-1]] + before[:-1], self.order(d), "drag and drop puts the last first")
            n = self.redrawn_after(d, n, "drag and drop")
            notes = d.find_element("id", "notes").text
            self.t.ok("Entry" not in notes or "cannot" not in notes, "no entry left out", notes)
            self.checks(d, "nl-builder-changed")
            order = self.order(d)
            zpath = self.download(d, downloads)
            if zpath:
                self.poster_checks(zpath, order, "Een onderschrift voor de poster")
            d.find_element("id", "name").send_keys("Open dag")
            d.find_element("css selector", "button[formaction='/posters']").click()
            P.wait_until(20, lambda: "poster=" in d.current_url)
            self.t.eq(order, self.order(d), "saved, the poster opens again in the same order")
            d.get(self.base + "/posters")
            self.t.ok("Open dag" in d.page_source, "and is listed under the saved posters")
            self.checks(d, "nl-saved")
        finally:
            d.quit()

    def in_english(self):
        d = browser("en")
        try:
            self.login(d)
            d.get(self.base + "/posters/new?poster=1")
            self.t.ok("Make a poster" in d.page_source and "Move down" in d.page_source,
                      "in English when the browser asks")
            P.wait_until(20, lambda: self.drawn(d))
            self.checks(d, "en-builder")
            d.get(self.base + "/posters")
            self.checks(d, "en-saved")
        finally:
            d.quit()

    def without_javascript(self):
        from selenium.webdriver.common.keys import Keys
        d = browser("nl", javascript=False)
        try:
            self.login(d)
            d.get(self.base + "/posters/new?poster=1")
            before = self.order(d)
            b = d.find_element("css selector", "button[value=down-%d]" % before[0])
            b.send_keys(Keys.ENTER)
            P.wait_until(20, lambda: self.order(d) != before)
            self.t.eq([before[1], before[0]] + before[2:], self.order(d),
                      "without JavaScript Move down is a form post that moves the photo")
            self.t.ok(d.find_element("id", "preview-button").is_displayed(),
                      "and the preview is a button")
            self.checks(d, "nojs-builder", axe=False)
        finally:
            d.quit()


def setup(tmp):
    A = W.Archive("pv-t77")
    shutil.copytree(os.path.join(W.ROOT, "sample-media", "drop"), A.drop, dirs_exist_ok=True)
    W.run_pv(A.dir, "ingest", "--quiet", check=False)
    subprocess.run([W.PV, "--archive", A.dir, "staff", "add", "anna"], input=PW.encode(),
                   check=True, capture_output=True)
    usable = sorted(e["id"] for e in A.entries() if e["effective_consent"] in ("poster", "public"))
    return A, usable


def main():
    t = W.Tap()
    missing = P.browser_missing()
    if missing:
        t.skip(missing)
        t.done()
    t.ok(os.path.exists(P.AXE_JS), "axe-core is installed (make deps-check)", P.AXE_JS)
    axe = P.axe_script()
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="pv-t77.")
    A, usable = setup(tmp)
    S = W.Server(A)
    run = Run(t, A, S, axe)
    try:
        run.with_javascript(usable, tmp)
        run.in_english()
        run.without_javascript()
    except Exception as e:
        import traceback
        t.ok(False, "the browser run ended early: %s" % e, traceback.format_exc())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    S.stop_cleanly(t, "serve")
    t.done()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--shots":
        LOGDIR = sys.argv[2]
    main()
