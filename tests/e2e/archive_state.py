#!/usr/bin/env python3
"""What an archive and its drop folder hold, for the hardening tests
(t50-kill, t51-concurrency, t52-hostile-fs). Prints `key value` lines that
the shell tests assert on; never changes the archive.

usage: archive_state.py PHOTOVOICE ARCHIVE DROP CANARY_PREFIX N

The test gives photo i (1..N) a caption file whose caption is
"CANARY_PREFIX-i", so each photo can be followed whatever its name (also
inside a zip submission still in the drop folder):

  integrity      "ok" or SQLite's complaint (checked on a copy of the
                 catalogue files, so that this script recovers nothing itself)
  entries        rows in the catalogue
  lost           canaries neither in the catalogue nor in the drop folder
  lost_list      their numbers, comma-separated ("-" when none)
  doubled        canaries with more than one catalogue entry
  both           canaries in the catalogue whose photo is still in drop/
  in_drop        photos still in the drop folder (not counting quarantine)
  sidecar_alone  caption files in drop/ whose photo is no longer there
  quarantined    files in drop/.quarantine/ (reasons not counted)
  media_files    files in media/ (photos and their derivatives)
  orphans        files in media/ that belong to no catalogue entry
  missing_media  catalogue entries without their photo in media/
  tmp_files      files left in the archive's tmp/
  unknown        catalogue entries with a caption that is not a canary
"""
import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile


def integrity(archive):
    db = os.path.join(archive, "catalogue.db")
    if not os.path.exists(db):
        return "no-catalogue"
    scratch = tempfile.mkdtemp(prefix="pv-state.")
    try:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                shutil.copy(db + suffix, os.path.join(scratch, "c.db" + suffix))
        con = sqlite3.connect(os.path.join(scratch, "c.db"))
        rows = con.execute("PRAGMA integrity_check").fetchall()
        con.close()
        result = " ".join(str(r[0]) for r in rows)
        return "ok" if result == "ok" else result.replace("\n", " ")[:200]
    except sqlite3.DatabaseError as e:
        return "error: %s" % e
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def catalogue(pv, archive):
    out = subprocess.run([pv, "--archive", archive, "list", "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if out.returncode != 0:
        sys.exit("list --json failed: %s" % out.stderr.decode(errors="replace"))
    entries = json.loads(out.stdout)["entries"]
    # list may leave the caption out: show each entry for it
    for e in entries:
        if "caption" not in e:
            shown = subprocess.run([pv, "--archive", archive, "show", str(e["id"]), "--json"],
                                   stdout=subprocess.PIPE, check=True)
            e.update(json.loads(shown.stdout))
    return entries


def files_under(folder, skip=None):
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        if skip:
            dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) != skip]
        found += [os.path.join(dirpath, f) for f in filenames]
    return found


def canary_of_text(data):
    text = data.decode("utf-8", "replace")
    m = re.search(r"(\S+-\d+)\s*$", text.splitlines()[0] if text else "")
    return m.group(1) if m else None


def canary_of_sidecar(path):
    try:
        return canary_of_text(open(path, "rb").read())
    except OSError:
        return None


def main():
    pv, archive, drop, prefix, n = sys.argv[1:6]
    n = int(n)
    quarantine = os.path.join(drop, ".quarantine")
    entries = catalogue(pv, archive)
    by_canary = {}
    unknown = 0
    for e in entries:
        cap = e.get("caption") or ""
        if re.fullmatch(re.escape(prefix) + r"-\d+", cap):
            by_canary.setdefault(cap, []).append(e)
        else:
            unknown += 1

    photos, sidecars = {}, {}
    for f in files_under(drop, skip=quarantine):
        stem, ext = os.path.splitext(f)
        if ext.lower() == ".txt":
            sidecars[stem] = f
        elif not os.path.basename(f).startswith("."):
            photos[stem] = f
    drop_canaries = set()
    for stem in photos:
        c = canary_of_sidecar(stem + ".txt") if stem in sidecars else None
        if c:
            drop_canaries.add(c)
    # a zip submission still in drop/ holds its members' canaries
    for stem, f in photos.items():
        if f.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(f) as z:
                    for name in z.namelist():
                        if name.lower().endswith(".txt"):
                            c = canary_of_text(z.read(name))
                            if c:
                                drop_canaries.add(c)
            except (zipfile.BadZipFile, OSError):
                pass
    # photos dropped without a caption file count by name: NAME-i.jpg
    for stem in photos:
        m = re.search(r"-(\d+)$", os.path.basename(stem))
        if stem not in sidecars and m:
            drop_canaries.add("%s-%d" % (prefix, int(m.group(1))))

    lost = doubled = both = 0
    lost_list = []
    for i in range(1, n + 1):
        c = "%s-%d" % (prefix, i)
        k = len(by_canary.get(c, []))
        if k == 0 and c not in drop_canaries:
            lost += 1
            lost_list.append(str(i))
        doubled += k > 1
        both += k >= 1 and c in drop_canaries

    shas = {e["sha256"] for e in entries if e.get("sha256")}
    media = files_under(os.path.join(archive, "media"))
    orphans = [f for f in media if os.path.basename(f).split(".")[0] not in shas]
    present = {os.path.basename(f).split(".")[0] for f in media}
    missing = [s for s in shas if s not in present]

    state = {
        "integrity": integrity(archive),
        "entries": len(entries),
        "lost": lost,
        "lost_list": ",".join(lost_list) or "-",
        "doubled": doubled,
        "both": both,
        "in_drop": len(photos),
        "sidecar_alone": len([s for s in sidecars if s not in photos]),
        "quarantined": len(files_under(quarantine)) if os.path.isdir(quarantine) else 0,
        "media_files": len(media),
        "orphans": len(orphans),
        "missing_media": len(missing),
        "tmp_files": len(files_under(os.path.join(archive, "tmp"))),
        "unknown": unknown,
    }
    for k, v in state.items():
        print(k, v)


if __name__ == "__main__":
    main()
