#!/bin/sh
# The participant's phone page in headless Chromium (Selenium, axe-core):
# send a photo with words and consent, see it catalogued, cleaned and on
# /mine; every page accessible (WCAG 2.1 AA) in Dutch and English; works
# without JavaScript. Screenshots in the test logs. See t71_web_phone.py.
exec /usr/bin/python3 "$(dirname "$0")/t71_web_phone.py"
