#!/bin/sh
# `photovoice serve` killed with SIGKILL in the middle of 20 sendings (issue
# 14, part 7): after a restart every answered sending is in the catalogue,
# none twice, and nothing partial is left in drop/ or tmp/. See
# t73_web_kill.py.
exec /usr/bin/python3 "$(dirname "$0")/t73_web_kill.py"
