#!/bin/sh
# The staff workspace without a browser: the route table walked (every staff
# route refuses without a session, with a participant's link, and every form
# without its token or from another site), every page both ways (HTML and
# the command line's JSON shapes), bad input, payloads in every field, the
# log under the staff member's name. See t78_web_workspace_guard.py.
exec python3 "$(dirname "$0")/t78_web_workspace_guard.py"
