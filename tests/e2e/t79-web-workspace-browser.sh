#!/bin/sh
# The staff workspace in headless Chromium (Selenium, axe-core), 1366 x 900:
# review, search, erase, log out; every staff page accessible (WCAG 2.1 AA)
# in Dutch and English and fitting a phone. See t79_web_workspace_browser.py.
exec /usr/bin/python3 "$(dirname "$0")/t79_web_workspace_browser.py"
