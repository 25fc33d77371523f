#!/bin/sh
# Staff accounts and sessions: `photovoice staff` (add, passwd, remove, list),
# passwords kept only as Argon2id hashes, POST /login and /logout, the
# session cookie's flags, failed logins slowed down (never locked out), and
# `staff remove` ending that person's sessions at once.
. "$(dirname "$0")/lib.sh"
new_archive
PW="correct horse battery"

# ---- the command ----
echo "$PW" | pv staff add anna >"$TMP/out" 2>"$TMP/err"; rc=$?
check_eq "staff add with the password on stdin exits 0" 0 "$rc"
check_grep "and says so" "Staff account 'anna' added" "$TMP/out"
run "$TMP/out" "$TMP/err" sh -c "echo '$PW' | \"$PV\" staff add anna"
check_eq "the same name again is refused (exit 1)" 1 "$rc"
check_grep "with a sentence naming passwd" 'already a staff account.*staff passwd' "$TMP/err"
run "$TMP/out" "$TMP/err" sh -c "echo 'kort' | \"$PV\" staff add bob"
check_eq "a password under 10 characters is refused (exit 1)" 1 "$rc"
check_grep "and says how long it must be" 'at least 10' "$TMP/err"
run "$TMP/out" "$TMP/err" sh -c "echo '$PW' | \"$PV\" staff add 'bad name'"
check_eq "a name with a space is a usage error (exit 2)" 2 "$rc"
run "$TMP/out" "$TMP/err" sh -c "printf '' | \"$PV\" staff add carol"
check_eq "no password on stdin is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv staff
check_eq "staff without a sub-command is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv staff remove nobody
check_eq "removing an account that does not exist exits 1" 1 "$rc"
echo "$PW and more" | pv staff add bob >/dev/null 2>&1
run "$TMP/out" "$TMP/err" pv staff list --json
check_grep "list --json names both accounts" '"name": *"anna".*"name": *"bob"|"anna"' "$TMP/out"
check_eq "and counts them" 2 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["count"])' "$TMP/out")"
check_eq "the catalogue keeps no password, only Argon2id hashes" "0 2" \
	"$(python3 -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); r=d.execute("SELECT password_hash FROM staff").fetchall(); print(sum(sys.argv[2] in h for (h,) in r), sum(h.startswith("$argon2id$") for (h,) in r))' "$A/catalogue.db" "$PW")"
run "$TMP/out" "$TMP/err" pv log
check_grep "the log says who added which account" 'staff add +account anna' "$TMP/out"
check_nogrep "and never a password" "$PW" "$TMP/out"

# ---- sessions ----
"$PV" serve --listen 127.0.0.1:0 >"$TMP/serve" 2>"$TMP/serve.err" &
serve=$!
i=0; until grep -q '^Serving' "$TMP/serve" 2>/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
BASE=$(sed -n 's/^Serving the archive at //p' "$TMP/serve")
python3 - "$BASE" "$PV" "$A" "$PW" <<'PY'
import http.client, re, subprocess, sys, urllib.parse
base, pv, archive, pw = sys.argv[1:5]
u = urllib.parse.urlparse(base)
n = 0
def ok(cond, what, *why):
    global n
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, what))
    if not cond:
        for w in why: print("# %s" % w)
def req(method, path, body=None, cookie=None, headers=None):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    h = dict(headers or {})
    if body is not None:
        body = urllib.parse.urlencode(body)
        h["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie: h["Cookie"] = cookie
    c.request(method, path, body, h)
    r = c.getresponse()
    data = r.read().decode()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
def csrf(page):
    m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    return m.group(1) if m else ""
s, h, page = req("GET", "/login")
ok(s == 200 and 'type="password"' in page, "GET /login shows a form with a password field")
token = csrf(page)
s, h, wrong_pw = req("POST", "/login", {"name": "anna", "password": "wrong password", "csrf": token})
ok(s == 401, "a wrong password is 401", s)
ok('type="password"' in wrong_pw and "klopt niet" in wrong_pw,
   "and shows the form again with the sentence above it")
s, h, wrong_name = req("POST", "/login", {"name": "nobody", "password": pw, "csrf": token})
ok(s == 401 and wrong_name == wrong_pw, "a wrong name gets the same status and the same page")
s, h, _ = req("POST", "/login", {"name": "anna", "password": pw})
ok(s == 403, "a login without its form token is refused (403)", s)
s, h, _ = req("POST", "/login", {"name": "anna", "password": pw, "csrf": token},
              headers={"Origin": "http://evil.example"})
ok(s == 403, "a login from another site is refused (403)", s)
s, h, _ = req("POST", "/login", {"name": "anna", "password": pw, "csrf": token})
ok(s == 303, "the right password logs in (303)", s)
cookie = h.get("set-cookie", "")
ok(re.match(r"pv_session=[A-Za-z0-9_-]{43};", cookie) is not None, "with a 256-bit session cookie", cookie)
ok("HttpOnly" in cookie and "SameSite=Strict" in cookie, "which is HttpOnly and SameSite=Strict", cookie)
ok(pw not in cookie, "and holds no password")
sess = cookie.split(";")[0]
s, h, home = req("GET", "/", cookie=sess)
ok("anna" in home and "/logout" in home, "the session knows who is logged in")
s, h, _ = req("POST", "/logout", {"csrf": "0" * 64}, cookie=sess)
ok(s == 403, "logout with a forged form token is refused", s)
s, h, _ = req("POST", "/logout", {"csrf": csrf(home)}, cookie=sess)
ok(s == 303 and "Max-Age=0" in h.get("set-cookie", ""), "logout ends the session and clears the cookie", s)
s, h, _ = req("POST", "/logout", {"csrf": csrf(home)}, cookie=sess)
ok(s == 401, "the ended session no longer counts (401)", s)
# staff remove ends that person's sessions at once
s, h, _ = req("POST", "/login", {"name": "bob", "password": pw + " and more", "csrf": token})
bob = h.get("set-cookie", "").split(";")[0]
s, h, home = req("GET", "/", cookie=bob)
ok("bob" in home, "bob is logged in")
subprocess.run([pv, "--archive", archive, "staff", "remove", "bob"], check=True,
               stdout=subprocess.DEVNULL)
s, h, _ = req("POST", "/logout", {"csrf": csrf(home)}, cookie=bob)
ok(s == 401, "after staff remove bob's session is refused at once (401)", s)
# failed logins slow down, from this address for this name; never a lock-out elsewhere
statuses = [req("POST", "/login", {"name": "anna", "password": "wrong again!", "csrf": token})
            for _ in range(8)]
codes = [st for st, _, _ in statuses]
ok(429 in codes, "repeated failures are slowed down (429)", codes)
slowed = [hd for st, hd, _ in statuses if st == 429]
ok(slowed and int(slowed[0].get("retry-after", "0")) >= 1, "with Retry-After")
s, h, _ = req("POST", "/login", {"name": "anna", "password": pw, "csrf": token})
ok(s == 429, "and the right password waits its turn too, from here", s)
PY
kill "$serve"; wait "$serve"
check_nogrep "serve's output holds no password" "$PW" "$TMP/serve"
check_nogrep "nor its errors" "$PW" "$TMP/serve.err"
done_testing
