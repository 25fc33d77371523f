#!/bin/sh
# The bad paths of `photovoice serve` (issue 14, part 7): wrong, expired and
# revoked links, CSRF and Origin, oversize and too many photos, a text file
# posing as a photo, slow clients, rate limits, 50 sendings at once, XSS
# payloads, the route table walked without a link. See t72_web_bad_paths.py.
exec /usr/bin/python3 "$(dirname "$0")/t72_web_bad_paths.py"
