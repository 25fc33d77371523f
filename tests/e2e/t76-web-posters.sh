#!/bin/sh
# The poster builder of `photovoice serve` over HTTP (issue 15, parts 4-6):
# the builder's buttons as form posts, the preview PNG from the poster's own
# layout, POST /bundles, saved posters and their spec export; the guard,
# forged forms, payloads in every field, consent. See t76_web_posters.py.
exec /usr/bin/python3 "$(dirname "$0")/t76_web_posters.py"
