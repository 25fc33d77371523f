"""t73-web-kill: `photovoice serve` killed with SIGKILL in the middle of 20
sendings from several clients. After a restart on the same archive, every
sending that got its answer (303 or 201) is in the catalogue, none twice,
and no partial file is left in drop/ or tmp/. Run by t73-web-kill.sh."""
import glob
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib as W  # noqa: E402

t = W.Tap()
A = W.Archive("pv-t73")
TOKEN = A.invite("fenna")
N, CLIENTS, KILL_AFTER = 20, 4, 6
# photos big enough that a sending takes a while to receive, sync and place
PHOTOS = W.made_photos(os.path.join(A.tmp, "made"), N, megapixels="2")
FENNA = os.path.join(A.drop, "fenna")

srv = W.Server(A, {"PV_WEB_RATE": "0,0,0"})
csrf = srv.csrf(TOKEN)
answers = [None] * N
lock = threading.Lock()
enough = threading.Event()


def client(k):
    for i in range(k, N, CLIENTS):
        fields = [("csrf", csrf), ("title", "t73-%02d" % i), ("caption", "kill %d" % i),
                  ("consent", "poster")]
        try:
            r = srv.send(TOKEN, [("IMG_%04d.jpg" % i, PHOTOS[i])], fields,
                         json_answer=i % 2 == 0, timeout=20)
            status = r.status
        except Exception as e:  # noqa: BLE001 - the server was killed under it
            status = type(e).__name__
        with lock:
            answers[i] = status
            if sum(1 for a in answers if a in (201, 303)) >= KILL_AFTER:
                enough.set()


threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
for th in threads:
    th.start()
enough.wait(30)
srv.proc.kill()
srv.proc.wait(10)
for th in threads:
    th.join(30)
answered = sorted(i for i, a in enumerate(answers) if a in (201, 303))
others = {i: a for i, a in enumerate(answers) if a not in (201, 303)}
t.note("answered before the kill: %d of %d; the others: %s" % (len(answered), N, others))
t.ok(len(answered) >= KILL_AFTER and len(answered) < N,
     "the kill fell in the middle of the sendings (%d answered)" % len(answered), answers)
t.ok(all(isinstance(a, str) for a in others.values()),
     "no sending was refused: the others got no answer at all", others)
in_tmp = glob.glob(os.path.join(A.tmpdir, "upload-*"))
t.note("left by the kill: %d upload-* in tmp/, %s in drop/fenna/" % (
    len(in_tmp), sorted(os.listdir(FENNA)) if os.path.isdir(FENNA) else "nothing"))

# what a kill at the worst moments leaves, for certain: a caption file named
# without its photo (killed between the two names), half-received uploads
os.makedirs(FENNA, exist_ok=True)
with open(os.path.join(FENNA, "web-0123456789abcdef.json"), "w") as f:
    f.write('{"title": "t73-never-answered", "consent": "poster"}\n')
for name in ("upload-aB3dE9", "upload-Zz0000"):
    with open(os.path.join(A.tmpdir, name), "wb") as f:
        f.write(PHOTOS[0][:5000])

# ---- the restart: what was answered is taken; nothing partial stays ----------
srv2 = W.Server(A, {"PV_WEB_RATE": "0,0,0"})


def settled():
    titles = [e.get("title") for e in A.entries()]
    names = os.listdir(FENNA) if os.path.isdir(FENNA) else []
    photos_left = [n for n in names if n.startswith("web-") and not n.endswith(".json")]
    answered_in = all("t73-%02d" % i in titles for i in answered)
    return titles if answered_in and not photos_left else None


titles = W.wait_for(settled, 25, step=0.5) or [e.get("title") for e in A.entries()]
missing = [i for i in answered if "t73-%02d" % i not in titles]
t.eq([], missing, "every answered sending is in `list --json` after the restart")
doubled = sorted({x for x in titles if titles.count(x) > 1})
t.eq([], doubled, "none is in the catalogue twice")
strays = [x for x in titles if not (x or "").startswith("t73-")]
t.eq([], strays, "no entry that is not one of the sendings")
t.eq([], glob.glob(os.path.join(A.tmpdir, "upload-*")), "no upload-* left in tmp/")
names = sorted(os.listdir(FENNA)) if os.path.isdir(FENNA) else []
t.eq([], [n for n in names if n.startswith(".pv-write")],
     "no half-written caption file (.pv-write.*) in drop/fenna/")
stems = {n.rsplit(".", 1)[0] for n in names if not n.endswith(".json")}
lone = [n for n in names if n.endswith(".json") and n[:-5] not in stems]
t.eq([], lone, "no caption file without its photo in drop/fenna/")
t.eq([], names, "drop/fenna/ is empty once ingest is done")
quarantined = glob.glob(os.path.join(A.drop, ".quarantine", "**", "*"), recursive=True)
t.eq([], [os.path.relpath(q, A.drop) for q in quarantined if os.path.isfile(q)],
     "nothing set aside in drop/.quarantine/")
entries = {e["title"]: e for e in A.entries()}
wrong = [i for i in answered
         if entries.get("t73-%02d" % i, {}).get("caption") != "kill %d" % i or
         entries.get("t73-%02d" % i, {}).get("consent") != "poster"]
t.eq([], wrong, "each answered sending has its own caption and consent")
r = srv2.send(TOKEN, [("after.jpg", PHOTOS[answered[0]] if answered else PHOTOS[0])],
              [("csrf", csrf), ("title", "t73-after"), ("consent", "poster")])
t.eq(303, r.status, "the restarted server takes a sending (its form token survived)")
srv2.stop_cleanly(t, "the restarted serve")
A.remove()
t.done()
