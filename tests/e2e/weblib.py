"""Shared pieces of the tests of `photovoice serve` (t72-web-bad-paths,
t73-web-kill): TAP output, a temporary archive, a server on a free port,
requests with their headers kept, multipart bodies, personal links, and
what the drop folder and tmp/ hold. Standard library only.

Run through tests/run.sh: PV_TEST_BIN, PV_TEST_BUILD, PV_TEST_ROOT are set.
"""
import atexit
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

PV = os.environ.get("PV_TEST_BIN")
BUILD = os.environ.get("PV_TEST_BUILD")
ROOT = os.environ.get("PV_TEST_ROOT")
if not PV or not BUILD or not ROOT:
    sys.exit("run through tests/run.sh (make check)")

# The token of the development stub that opens fenna's link before
# `photovoice invite` exists; unused once invite is in the program.
STUB_TOKEN = "A" * 22


class Tap:
    """TAP lines, numbered; exit status 1 when one failed."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.lock = threading.Lock()

    def ok(self, cond, desc, *diag):
        with self.lock:
            self.n += 1
            if cond:
                print("ok %d - %s" % (self.n, desc), flush=True)
            else:
                self.failed += 1
                print("not ok %d - %s" % (self.n, desc), flush=True)
                for d in diag:
                    for line in str(d).splitlines()[:30]:
                        print("# " + line[:400], flush=True)
        return cond

    def eq(self, expected, actual, desc, *diag):
        return self.ok(expected == actual, desc, "expected: %r" % (expected,),
                       "actual:   %r" % (actual,), *diag)

    def skip(self, desc):
        with self.lock:
            self.n += 1
            print("ok %d # SKIP %s" % (self.n, desc), flush=True)

    def note(self, text):
        print("# " + text, flush=True)

    def done(self):
        print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed else 0)


def run_pv(archive, *args, check=True, env=None):
    """photovoice --archive ARCHIVE ARGS: (status, stdout, stderr)."""
    p = subprocess.run([PV, "--archive", archive] + list(args), capture_output=True,
                       env=env, timeout=120)
    if check and p.returncode != 0:
        raise RuntimeError("photovoice %s exited %d: %s" % (" ".join(args), p.returncode,
                                                             p.stderr.decode()[:500]))
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class Archive:
    """A new archive in a temporary directory, removed at exit."""

    def __init__(self, name="pv-web"):
        self.tmp = tempfile.mkdtemp(prefix=name + ".")
        atexit.register(self.remove)    # also when the test dies half-way
        self.dir = os.path.join(self.tmp, "archive")
        run_pv(self.dir, "init")
        self.drop = os.path.join(self.dir, "drop")
        self.tmpdir = os.path.join(self.dir, "tmp")
        self.tokens = []

    def remove(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def entries(self):
        _, out, _ = run_pv(self.dir, "list", "--json")
        return json.loads(out)["entries"]

    def show(self, entry_id):
        _, out, _ = run_pv(self.dir, "show", str(entry_id), "--json")
        return json.loads(out)

    def has_invite(self):
        status, _, _ = run_pv(self.dir, "invite", "--list", check=False)
        return status != 2

    def invite(self, participant):
        """A working link's token for participant; with the development stub
        (no invite command yet) only fenna has one, else None."""
        if not self.has_invite():
            return STUB_TOKEN if participant == "fenna" else None
        _, out, _ = run_pv(self.dir, "invite", participant, "--json")
        link = json.loads(out)["link"]
        token = link.rsplit("/i/", 1)[1]
        self.tokens.append(token)
        return token

    def invite_id(self, participant):
        """The newest invitation id of a participant (sqlite)."""
        con = sqlite3.connect(os.path.join(self.dir, "catalogue.db"))
        try:
            row = con.execute("SELECT max(id) FROM invitations WHERE participant = ?",
                              (participant,)).fetchone()
            return row[0]
        finally:
            con.close()

    def expire(self, invite_id):
        con = sqlite3.connect(os.path.join(self.dir, "catalogue.db"), timeout=30)
        try:
            con.execute("UPDATE invitations SET valid_until = '2001-01-01' WHERE id = ?",
                        (invite_id,))
            con.commit()
        finally:
            con.close()

    def files(self):
        """Every file under drop/ and tmp/, with its size: what a refused
        request must leave as it was."""
        seen = {}
        for top in (self.drop, self.tmpdir):
            for d, _, names in os.walk(top):
                for n in names:
                    p = os.path.join(d, n)
                    if n.startswith("ingest.journal"):
                        continue        # ingest's own, not a request's
                    try:
                        seen[os.path.relpath(p, self.dir)] = os.path.getsize(p)
                    except OSError:
                        pass
        return seen


def changed(before, after):
    """The files written between two Archive.files(): new ones, and ones
    whose size changed (a file ingest took away is no write)."""
    return sorted(k for k in after if before.get(k) != after[k])


def kept_text(s):
    """s as intake keeps it: without the controls (src/util/text.c
    pv_text_is_control: C0 but tab and newline, C1, the bidirectional
    overrides and isolates, the BOM)."""
    def control(c):
        o = ord(c)
        return ((o < 0x20 and c not in "\t\n") or 0x7F <= o <= 0x9F or
                0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069 or o == 0xFEFF)
    return "".join(c for c in s if not control(c))


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # lower-case name -> value
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def sentence(self):
        """The error's sentence: <p class="error"> of a page, or "error" of JSON."""
        if self.headers.get("content-type", "").startswith("application/json"):
            try:
                return self.json().get("error")
            except ValueError:
                return None
        m = re.search(r'<p class="error"[^>]*>(.*?)</p>', self.text, re.S)
        return html.unescape(m.group(1)) if m else None


class Server:
    """photovoice serve on 127.0.0.1:0, its output kept (for the token check)."""

    def __init__(self, archive, env=None):
        self.archive = archive
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen([PV, "--archive", archive.dir, "serve", "--listen",
                                      "127.0.0.1:0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=full_env)
        # no server outlives its test; atexit runs the newest first, so the
        # server is killed before its archive is removed
        atexit.register(self.kill)
        self.out = []
        self.err = []
        self.ready = threading.Event()
        self.port = None
        threading.Thread(target=self._read, args=(self.proc.stdout, self.out, True),
                         daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.err, False),
                         daemon=True).start()
        if not self.ready.wait(30):
            self.kill()
            raise RuntimeError("serve did not start: %s" % "".join(self.err)[:500])
        self.responses = []             # (method, path, Response), every answer
        self.lock = threading.Lock()

    def _read(self, stream, into, is_stdout):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            into.append(line)
            m = re.search(r"Serving the archive at http://127\.0\.0\.1:(\d+)", line)
            if is_stdout and m and not self.port:
                self.port = int(m.group(1))
                self.ready.set()

    def output(self):
        return "".join(self.out) + "".join(self.err)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def stop_cleanly(self, tap, what):
        """Stops the server; a TAP line that it ended with status 0 and no
        sanitizer report (make SAN=1)."""
        status = self.stop()
        out = self.output()
        report = re.search(r"(ERROR: \w+Sanitizer|runtime error:).*", out)
        tap.ok(status == 0 and not report, "%s stopped cleanly (status %s)" % (what, status),
               out[-3000:] if report or status else "")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)

    def request(self, method, path, body=None, headers=None, timeout=30):
        if self.proc.poll() is not None:
            raise RuntimeError("serve has ended (status %s): %s" % (self.proc.returncode,
                                                                  self.output()[-3000:]))
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            resp = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        finally:
            conn.close()
        with self.lock:
            self.responses.append((method, path, resp))
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def csrf(self, token):
        page = self.get("/i/" + token)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
        return m.group(1) if m else None

    def send(self, token, photos, fields, json_answer=False, headers=None, timeout=60):
        """POST /i/TOKEN with photos [(filename, bytes)] and text fields."""
        ctype, body = multipart(fields, [("photo", n, d) for n, d in photos])
        h = {"Content-Type": ctype}
        if json_answer:
            h["Accept"] = "application/json"
        h.update(headers or {})
        return self.request("POST", "/i/" + token, body=body, headers=h, timeout=timeout)


def multipart(fields, files):
    """(content type, body) of multipart/form-data: fields [(name, value)] or
    a dict, files [(field, filename, bytes)]."""
    boundary = "pvtest" + uuid.uuid4().hex
    items = fields.items() if isinstance(fields, dict) else fields
    parts = []
    for name, value in items:
        if isinstance(value, str):
            value = value.encode("utf-8")
        parts.append(b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                     % (boundary.encode(), name.encode(), value))
    for field, filename, data in files:
        parts.append(b"--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                     b"Content-Type: image/jpeg\r\n\r\n%s\r\n"
                     % (boundary.encode(), field.encode(), filename.encode(), data))
    parts.append(b"--%s--\r\n" % boundary.encode())
    return "multipart/form-data; boundary=" + boundary, b"".join(parts)


def made_photos(directory, n, megapixels="0.02"):
    """n distinct small JPEGs (mksample --bench), sorted by name."""
    subprocess.run([os.path.join(BUILD, "mksample"), "--bench", str(n), "--megapixels",
                    megapixels, directory], check=True, capture_output=True, timeout=120)
    names = sorted(f for f in os.listdir(directory) if f.endswith(".jpg"))
    return [open(os.path.join(directory, f), "rb").read() for f in names]


def wait_for(predicate, timeout, step=0.2):
    """predicate()'s first true value within timeout seconds, else its last."""
    end = time.time() + timeout
    while True:
        v = predicate()
        if v or time.time() > end:
            return v
        time.sleep(step)


def raw_exchange(port, head, body_chunks=(), timeout=10):
    """Sends head (bytes) and then the body chunks from a second thread while
    reading the answer, as a client that keeps sending while the server has
    already refused. (status, head text, body bytes, seconds to the answer)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    started = time.time()
    s.sendall(head)

    def pump():
        try:
            for c in body_chunks:
                s.sendall(c)
        except OSError:
            pass                        # the server closed: what it refused

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    data = b""
    answered = None
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            if answered is None:
                answered = time.time() - started
            data += chunk
            if b"\r\n\r\n" in data:
                h, _, rest = data.partition(b"\r\n\r\n")
                m = re.search(rb"content-length:\s*(\d+)", h, re.I)
                if m and len(rest) >= int(m.group(1)):
                    break
    except OSError:
        pass
    finally:
        s.close()
    h, _, rest = data.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d{3})", h)
    return (int(m.group(1)) if m else None), h.decode("latin-1"), rest, answered
