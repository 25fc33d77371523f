#!/bin/sh
# Schema migrations on a real archive folder: an archive whose catalogue was
# made by schema version 1 (written here with the DDL that shipped) is
# refused by reading commands until a changing one upgrades it; after that
# every old entry, tag and log line is there, searchable and audited clean.
. "$(dirname "$0")/lib.sh"

# the schema this photovoice writes
LATEST=$(sed -n 's/^#define PV_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$ROOT/include/photovoice/store.h")
mkdir -p "$A/media" "$A/tmp" "$A/drop/.quarantine"
chmod 700 "$A"
photo="$ROOT/sample-media/drop/de-klik.jpg"
# a clean stored photo, named by its hash, as version 1 stored it
pv scrub -o "$TMP" "$photo" >/dev/null 2>&1
sha=$(sha256sum "$TMP/de-klik.jpg" | cut -c1-64)
mkdir -p "$A/media/$(echo "$sha" | cut -c1-2)"
cp "$TMP/de-klik.jpg" "$A/media/$(echo "$sha" | cut -c1-2)/$sha.jpg"

python3 - "$A/catalogue.db" "$sha" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sha256 TEXT NOT NULL UNIQUE,
  title TEXT, caption TEXT, story TEXT,
  participant TEXT, credit TEXT,
  consent TEXT NOT NULL DEFAULT 'internal'
    CHECK (consent IN ('none','internal','poster','public')),
  guardian INTEGER CHECK (guardian IN (0,1)),
  consent_until TEXT,
  width INTEGER NOT NULL, height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  taken_month TEXT,
  ingested_at TEXT NOT NULL);
CREATE INDEX entries_by_participant ON entries(participant);
CREATE TABLE tags (
  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (entry_id, tag)) WITHOUT ROWID;
CREATE INDEX tags_by_tag ON tags(tag);
CREATE TABLE log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);
PRAGMA user_version = 1;
""")
db.execute("INSERT INTO entries (sha256, title, caption, story, participant, credit, consent,"
           " guardian, consent_until, width, height, bytes, taken_month, ingested_at)"
           " VALUES (?, 'De klik', 'Eindelijk gehoord', 'Mijn cliëntervaring begon bij de bushalte.',"
           " 'noor', 'Foto: Noor', 'poster', 1, NULL, 1600, 1200, 1000, '2024-03', '2024-03-05T10:00:00Z')",
           (sys.argv[2],))
db.execute("INSERT INTO tags VALUES (1, 'klik'), (1, 'luisteren')")
db.execute("INSERT INTO log (at, action, detail) VALUES ('2024-03-05T10:00:00Z', 'ingest', 'entry 1')")
db.commit()
PY
chmod 600 "$A/catalogue.db"

run "$TMP/out" "$TMP/err" pv list
check_eq "a reading command on a version 1 catalogue exits 3" 3 "$rc"
check_grep "and says how to upgrade" 'needs an upgrade' "$TMP/err"
run "$TMP/out" "$TMP/err" pv init
check_eq "init upgrades it" 0 "$rc"
pv show --json 1 >"$TMP/show.json"
check_eq "the old entry is all there" "De klik|Eindelijk gehoord|noor|Foto: Noor|poster|True|klik,luisteren" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("|".join(str(x) for x in (d["title"], d["caption"], d["participant"], d["credit"], d["consent"], d["guardian_consent"], ",".join(d["tags"]))))' "$TMP/show.json")"
check_eq "its story is searchable, accents folded" 1 "$(pv search --json clientervaring | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))')"
check_eq "its tags are searchable" 1 "$(pv search --json luisteren | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))')"
pv log --json >"$TMP/log.json"
check_eq "the old log line is kept and the upgrade is logged" "ingest:entry 1|upgrade:catalogue upgraded from schema 1 to $LATEST" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("|".join("%s:%s" % (e["action"], e["detail"]) for e in d["events"]))' "$TMP/log.json")"
check "audit finds the upgraded archive whole" pv audit
check "new things work on old entries: tag" pv tag 1 +nieuw
check "edit" pv edit 1 --caption "Nieuw onderschrift"
check "forget" pv forget 1
run "$TMP/out" "$TMP/err" pv init
check_eq "init again is harmless" 0 "$rc"
check_eq "and does not upgrade twice" 1 "$(pv log --json | python3 -c 'import json,sys; print(len([e for e in json.load(sys.stdin)["events"] if e["action"] == "upgrade"]))')"

# a catalogue from a newer photovoice is refused, not damaged
python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("PRAGMA user_version = 42"); db.commit()' "$A/catalogue.db"
run "$TMP/out" "$TMP/err" pv list
check_eq "a newer catalogue exits 3" 3 "$rc"
check_grep "and says to update photovoice" 'newer photovoice' "$TMP/err"

done_testing
