#!/bin/sh
# The poster builder in headless Chromium at 1366x900 (issue 15, parts 4 and
# 7): add photos, the live preview redrawn after each change, the order with
# the keyboard only and by drag and drop, the bundle downloaded and its
# poster.pdf, saved posters; axe-core, English, and without JavaScript.
# Screenshots in the test logs. See t77_web_posters_browser.py.
exec /usr/bin/python3 "$(dirname "$0")/t77_web_posters_browser.py"
