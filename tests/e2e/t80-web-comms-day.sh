#!/bin/sh
# A communications officer's whole day in the staff workspace, in headless
# Chromium (issue 15, part 7): review two phone photos, search, build an A2
# poster, download and check it, erase, log out. See t80_web_comms_day.py.
exec /usr/bin/python3 "$(dirname "$0")/t80_web_comms_day.py"
