"""The staff workspace in a real browser (issue 15, parts 2, 3 and 7).

Headless Chromium through Selenium, a desktop window of 1366 x 900: log in;
on /review set one entry to poster consent with the guardian's yes, tag it
and mark it reviewed; search for a word with a diacritic typed without it;
a search FTS5 cannot read gets its sentence and the form again; erase an
entry through its confirmation and see it gone from the grid and the search,
with the log naming the staff member; log out, and the back button shows
nothing personal. axe-core checks every staff page (WCAG 2.1 A and AA) in
Dutch and English; no page logs a console error (a CSP violation would);
every page fits 1366 px, and a phone's 390 px. Screenshots go to the test
logs (t79-*.png).

TAP output; run by tests/e2e/t79-web-workspace-browser.sh.
"""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import t71_web_phone as phone  # noqa: E402  (the browser, axe and server helpers)

DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "correct horse battery"
PAGES = ["/review", "/entries", "/entries?q=klik", "/entries/3", "/entries/3/forget",
         "/tags", "/participants", "/log"]


def desktop_browser(lang, width=DESKTOP["width"]):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = phone.CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--lang=" + lang,
              "--window-size=%d,%d" % (width, DESKTOP["height"])):
        o.add_argument(a)
    o.add_experimental_option("prefs", {"intl.accept_languages": lang})
    if width < 500:   # below a desktop window's smallest: a phone's screen
        o.add_experimental_option("mobileEmulation", {"deviceMetrics": {
            "width": width, "height": 844, "pixelRatio": 1.0}})
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = phone.watch_moves(webdriver.Chrome(service=Service(phone.CHROMEDRIVER), options=o))
    d.set_page_load_timeout(30 * phone.SLOW)
    d.set_script_timeout(30 * phone.SLOW)
    return d


def screenshot(d, path):
    import base64
    phone.images_loaded(d)
    width = d.execute_script("return document.documentElement.clientWidth")
    height = d.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    shot = d.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 6000), "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def submit(d, css):
    """Taps the button and waits for the page it leads to: the old page's
    elements gone (already on /review, the address alone cannot tell)."""
    button = d.find_element("css selector", css)
    button.click()
    if not phone.wait_until(10, lambda: phone.page_replaced(button)):
        raise RuntimeError("the button %s did not lead to a new page" % css)


class Run:
    def __init__(self, tap, archive, server, logdir, axe):
        self.tap, self.archive, self.server = tap, archive, server
        self.logdir, self.axe = logdir, axe

    def url(self, path):
        return self.server.base + path

    def check_page(self, d, lang, name, width, expected_status=False, axe=True):
        screenshot(d, os.path.join(self.logdir, "t79-%s-%s.png" % (lang, name)))
        if axe:
            v = phone.axe_violations(d, self.axe)
            self.tap.ok(not v, "%s, %s: no WCAG 2.1 AA violation (axe-core)" % (name, lang),
                        *["%s (%s): %s\n  %s" % (x["id"], x["impact"], x["help"],
                                                 "\n  ".join(x["nodes"][:5])) for x in v])
        wide = d.execute_script("return document.documentElement.scrollWidth")
        self.tap.ok(wide <= width, "%s, %s: fits %d px (%d)" % (name, lang, width, wide))
        errs = phone.console_errors(d, d.current_url if expected_status else None)
        self.tap.ok(not errs, "%s, %s: no console errors" % (name, lang), *errs)
        moved = phone.moved_controls(d)
        self.tap.ok(not moved, "%s, %s: no button, link or field moves while the page loads" %
                    (name, lang), *moved)

    def login(self, d):
        d.get(self.url("/login"))
        d.find_element("id", "name").send_keys("anna")
        d.find_element("id", "password").send_keys(PASSWORD)
        d.find_element("css selector", "main button[type=submit]").click()
        phone.wait_until(10, lambda: "/login" not in d.current_url)

    def every_page(self, d, lang, width, tag):
        for path in PAGES:
            d.get(self.url(path))
            name = tag + path.strip("/").replace("/", "-").replace("?q=", "-q-")
            self.check_page(d, lang, name, width)

    def entry(self, entry_id):
        r = phone.pv(self.archive, "show", str(entry_id), "--json", check=False)
        return json.loads(r.stdout) if r.returncode == 0 else None

    def review_flow(self, d):
        """Entry 6 is fenna's; mark her under 16 first, then poster needs the guardian."""
        phone.pv(self.archive, "participants", "set", "fenna", "--under16", "yes")
        d.get(self.url("/review"))
        from selenium.webdriver.support.ui import Select
        Select(d.find_element("id", "consent-6")).select_by_value("poster")
        Select(d.find_element("id", "guardian-6")).select_by_value("yes")
        submit(d, "#e6 form.consent button")
        phone.wait_until(10, lambda: "/review" in d.current_url)
        d.find_element("id", "tags-6").send_keys("open dag, sleutel")
        submit(d, "#tags-6 + button")
        phone.wait_until(10, lambda: "/review" in d.current_url)
        e = self.entry(6)
        self.tap.ok(e and e["consent"] == "poster" and e["guardian_consent"] is True and
                    e["effective_consent"] == "poster",
                    "review: poster consent with the guardian's yes is recorded", e)
        self.tap.ok(e and "open dag" in e["tags"] and "sleutel" in e["tags"],
                    "review: two tags added in one go", e and e["tags"])
        submit(d, "#e6 form[action$='/reviewed'] button")
        phone.wait_until(10, lambda: "/review" in d.current_url)
        self.tap.ok("id=\"e6\"" not in d.page_source, "review: once reviewed it leaves the list")
        log = phone.pv(self.archive, "log").stdout
        self.tap.ok("anna" in log and "review" in log and "consent" in log,
                    "the log names anna for the consent and the review", log[-800:])

    def search_flow(self, d):
        d.get(self.url("/entries"))
        box = d.find_element("id", "f-q")
        box.send_keys("cafe")
        box.submit()
        phone.wait_until(10, lambda: "q=cafe" in d.current_url)
        titles = [e.text for e in d.find_elements("css selector", ".grid .t")]
        want = [e["title"] for e in json.loads(phone.pv(self.archive, "search", "café",
                                                        "--json").stdout)["hits"]]
        self.tap.ok(titles and sorted(titles) == sorted(want),
                    "search: 'cafe' finds what 'café' finds", titles, want)
        d.get(self.url('/entries?q=%22de+klik'))
        alert = d.find_elements("css selector", "[role=alert]")
        self.tap.ok(alert and "niet te begrijpen" in alert[0].text and
                    d.find_elements("id", "f-q"),
                    "search: an unclosed quote gets a sentence and the form again")
        self.check_page(d, "nl", "search-error", DESKTOP["width"], expected_status=True)

    def forget_flow(self, d):
        d.get(self.url("/entries/9"))
        title = d.find_element("tag name", "h1").text
        d.find_element("css selector", "a.danger").click()
        body = d.find_element("tag name", "main").text
        self.tap.ok("voorgoed" in body and "de foto" in body, "erase: the confirmation names "
                    "what will go", body[:600])
        d.find_element("css selector", "button.danger").click()
        phone.wait_until(10, lambda: "Gewist" in d.page_source)
        self.tap.ok("Gewist" in d.page_source, "erase: the report says it is erased")
        self.tap.ok(self.entry(9) is None, "erase: entry 9 is gone from the catalogue")
        d.get(self.url("/entries"))
        self.tap.ok('id="e9"' not in d.page_source, "erase: gone from the grid")
        d.get(self.url("/entries?q=thuis"))
        self.tap.ok('id="e9"' not in d.page_source, "erase: gone from the search")
        log = phone.pv(self.archive, "log").stdout
        self.tap.ok("entry 9 erased" in log and title.split(" nr.")[0] not in log,
                    "erase: the log keeps only that entry 9 was erased", log[-600:])

    def logout_flow(self, d):
        d.get(self.url("/entries/3"))
        title = d.find_element("tag name", "h1").text.split(" nr.")[0]
        d.find_element("css selector", "header form.who button").click()
        phone.wait_until(10, lambda: "/login" in d.current_url)
        d.back()
        time.sleep(0.5)
        self.tap.ok(title not in d.page_source and "Log eerst in" in d.page_source,
                    "after logging out, the back button shows nothing personal",
                    d.page_source[:800])


def main_test(tap, tmp, logdir):
    missing = phone.browser_missing()
    if missing:
        tap.skip(missing)
        return
    if not os.path.exists(phone.AXE_JS):
        tap.skip("axe-core is not installed (make deps-check)")
        return
    axe = phone.axe_script()
    archive = os.path.join(tmp, "archive")
    phone.pv(archive, "init")
    for name in [n for n in os.listdir(phone.SAMPLES) if not n.startswith(".")]:
        src = os.path.join(phone.SAMPLES, name)
        dst = os.path.join(archive, "drop", name)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, dst)
    phone.pv(archive, "ingest", "--quiet")
    phone.pv(archive, "edit", "2", "--title", "Bij het café op de hoek")
    import subprocess
    subprocess.run([phone.PV, "--archive", archive, "staff", "add", "anna"],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    server = phone.Server(archive, tmp)
    try:
        run = Run(tap, archive, server, logdir, axe)
        d = desktop_browser("nl")
        try:
            run.login(d)
            run.every_page(d, "nl", DESKTOP["width"], "")
            run.review_flow(d)
            run.search_flow(d)
            run.forget_flow(d)
            run.logout_flow(d)
        finally:
            d.quit()
        d = desktop_browser("en")
        try:
            run.login(d)
            run.every_page(d, "en", DESKTOP["width"], "")
        finally:
            d.quit()
        d = desktop_browser("nl", width=390)
        try:
            run.login(d)
            for path in ("/entries", "/entries/3", "/review", "/participants"):
                d.get(run.url(path))
                run.check_page(d, "nl", "phone" + path.replace("/", "-"), 390, axe=False)
        finally:
            d.quit()
    finally:
        tap.ok(server.stop() == 0, "serve stopped cleanly")


def main():
    return phone.run_main_test("t79", main_test)


if __name__ == "__main__":
    sys.exit(main())
