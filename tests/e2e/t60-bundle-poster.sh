#!/bin/sh
# Bundles of the sample archive: exactly the documented files, checksums that
# verify, clean photos, a poster that renders and holds every caption and
# every photo's own JPEG bytes, consent enforced, spec files, byte-identical
# rebuilds, and the bad inputs of the bundle command.
. "$(dirname "$0")/lib.sh"

new_archive
copy_samples
pv ingest >/dev/null 2>&1

# ---- a poster bundle of everything tagged klik ------------------------------
run "$TMP/out" "$TMP/err" pv bundle --tag klik --title "Cliëntfeedback in beeld" -o "$TMP/klik.zip"
check_eq "bundle --tag klik exits 0" 0 "$rc"
mkdir "$TMP/k" && (cd "$TMP/k" && unzip -q "$TMP/klik.zip")
ids=$(python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(open(sys.argv[1]))["entries"]))' "$TMP/k/manifest.json")
n=$(echo "$ids" | wc -w)
expected=$(python3 - "$TMP/k/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
names = [e[k] for e in m["entries"] for k in ("file", "thumb", "preview")]
names += ["poster.pdf", "contact-sheet.jpg", "index.html", "data-merge.csv", "manifest.json", "captions.txt",
          "CREDITS.txt", "LEESMIJ.txt", "README.txt", "SHA256SUMS"]
print("\n".join(sorted(names)))
PY
)
check_eq "the bundle holds exactly the documented files" "$expected" "$(unzip -Z1 "$TMP/klik.zip" | sort)"
check "SHA256SUMS verifies every file" sh -c "cd '$TMP/k' && sha256sum -c --quiet SHA256SUMS"
check_eq "SHA256SUMS names every other file" "$(unzip -Z1 "$TMP/klik.zip" | grep -v '^SHA256SUMS$' | sort)" "$(awk '{print $2}' "$TMP/k/SHA256SUMS" | sort)"

# consent: only poster/public entries; every other klik entry named on stderr
pv list --tag klik --json >"$TMP/klik-list.json"
python3 - "$TMP/klik-list.json" "$TMP/k/manifest.json" "$TMP/err" >"$TMP/consent.txt" 2>&1 <<'PY'
import json, sys
listed = json.load(open(sys.argv[1]))["entries"]
bundled = {e["id"] for e in json.load(open(sys.argv[2]))["entries"]}
err = open(sys.argv[3]).read()
bad = []
for e in listed:
    ok = e["consent"] in ("poster", "public")
    if ok != (e["id"] in bundled): bad.append(("consent", e["id"]))
    if not ok and ("Entry %d cannot go on a poster: " % e["id"]) not in err: bad.append(("not named", e["id"]))
print(bad)
sys.exit(1 if bad or not bundled else 0)
PY
if [ $? -eq 0 ]; then ok "only poster/public entries are in it, every other one is named"; else fail "only poster/public entries are in it, every other one is named" "$(cat "$TMP/consent.txt")"; fi
no_consent=$(python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(open(sys.argv[1]))["entries"] if e["consent"] in ("none","internal")))' "$TMP/klik-list.json")
for id in $no_consent; do
	if unzip -Z1 "$TMP/klik.zip" | grep -q -- "-$id\.jpg$"; then fail "entry $id without poster consent is absent"; fi
done
ok "no photo of an entry without poster consent"

# photos: clean, the stored bytes
for f in "$TMP"/k/photos/*.jpg; do
	pv inspect --json "$f" >"$TMP/inspect.json" 2>&1
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all(x["clean"] and not x["findings"] for x in d["files"]) else 1)' "$TMP/inspect.json" ||
		fail "bundle photo $(basename "$f") carries no metadata" "$(head -c 1500 "$TMP/inspect.json")"
done
ok "inspect finds nothing in any bundle photo"

# the poster
pdf="$TMP/k/poster.pdf"
python3 - "$TMP/k" >"$TMP/embed.txt" 2>&1 <<'PY'
import json, sys, os
d = sys.argv[1]
pdf = open(os.path.join(d, "poster.pdf"), "rb").read()
m = json.load(open(os.path.join(d, "manifest.json")))
missing = [e["file"] for e in m["entries"] if open(os.path.join(d, e["file"]), "rb").read() not in pdf]
print("not embedded as-is:", missing)
sys.exit(1 if missing else 0)
PY
if [ $? -eq 0 ]; then ok "the poster holds every photo's own JPEG bytes"; else fail "the poster holds every photo's own JPEG bytes" "$(cat "$TMP/embed.txt")"; fi
if command -v pdftotext >/dev/null 2>&1; then
	check "pdftotext reads the poster" pdftotext "$pdf" "$TMP/poster.txt"
	python3 - "$TMP/k/manifest.json" "$TMP/poster.txt" >"$TMP/captions.txt" 2>&1 <<'PY'
import json, sys, re
m = json.load(open(sys.argv[1]))
text = re.sub(r"\s+", " ", open(sys.argv[2]).read())
missing = [e["caption"] for e in m["entries"] if re.sub(r"\s+", " ", e["caption"]) not in text]
print("missing:", missing)
sys.exit(1 if missing else 0)
PY
	if [ $? -eq 0 ]; then ok "the poster's text holds every caption"; else fail "the poster's text holds every caption" "$(cat "$TMP/captions.txt")"; fi
	check_grep "the title renders with its diacritics" 'Cliëntfeedback in beeld' "$TMP/poster.txt"
	pdfinfo "$pdf" >"$TMP/pdfinfo.txt" 2>&1
	check_grep "the poster is A2 by default" 'Page size: +1190\.[0-9]+ x 1683\.[0-9]+ pts \(A2\)' "$TMP/pdfinfo.txt"
	check_grep "one page" '^Pages: +1$' "$TMP/pdfinfo.txt"
else
	skip "pdftotext is not installed"
fi
if command -v pdftoppm >/dev/null 2>&1; then
	check "pdftoppm renders the poster" pdftoppm -r 20 -png -singlefile "$pdf" "$TMP/poster"
	check "and the render is a PNG" test -s "$TMP/poster.png"
else
	skip "pdftoppm is not installed"
fi

# data-merge.csv
python3 - "$TMP/k" >"$TMP/csv.txt" 2>&1 <<'PY'
import csv, io, json, os, sys
d = sys.argv[1]
raw = open(os.path.join(d, "data-merge.csv"), "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
m = json.load(open(os.path.join(d, "manifest.json")))
assert len(rows) == len(m["entries"]), "one row per entry"
for r, e in zip(rows, m["entries"]):
    assert os.path.isfile(os.path.join(d, r["@photo"])), r["@photo"]
    assert r["caption"] == e["caption"], r["caption"]
    assert int(r["id"]) == e["id"]
print("ok")
PY
if [ $? -eq 0 ]; then ok "data-merge.csv: BOM, a row per entry, @photo paths that exist"; else fail "data-merge.csv: BOM, a row per entry, @photo paths that exist" "$(cat "$TMP/csv.txt")"; fi

# the thumbnails, previews and contact sheet are clean JPEGs
for f in "$TMP"/k/thumbs/*.jpg "$TMP"/k/previews/*.jpg "$TMP/k/contact-sheet.jpg"; do
	pv inspect --json "$f" >"$TMP/inspect.json" 2>&1
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all(x["clean"] and not x["findings"] for x in d["files"]) else 1)' "$TMP/inspect.json" ||
		fail "$(basename "$f") is a clean JPEG" "$(head -c 1500 "$TMP/inspect.json")"
done
ok "thumbnails, previews and the contact sheet are clean JPEGs"
check_eq "index.html refers to nothing outside the bundle" "" "$(grep -oE '(src|href)="[^"#]*"' "$TMP/k/index.html" | sed -E 's/^(src|href)="//; s/"$//' | while read -r p; do [ -f "$TMP/k/$p" ] || echo "$p"; done)"

# recorded: the bundle, its SHA-256 and its entries are in the catalogue
sha=$(sha256sum "$TMP/klik.zip" | cut -d' ' -f1)
python3 - "$A/catalogue.db" "$sha" "$TMP/klik.zip" "$ids" >"$TMP/record.txt" 2>&1 <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
rows = db.execute("SELECT id, file_name, purpose FROM bundles WHERE sha256 = ?", (sys.argv[2],)).fetchall()
assert len(rows) == 1, rows
bid, name, purpose = rows[0]
assert name == sys.argv[3] and purpose == "poster", rows
got = sorted(r[0] for r in db.execute("SELECT entry_id FROM bundle_entries WHERE bundle_id = ?", (bid,)))
want = sorted(int(x) for x in sys.argv[4].split())
assert got == want, (got, want)
print("ok")
PY
if [ $? -eq 0 ]; then ok "the bundle is recorded with its SHA-256 and its entries"; else fail "the bundle is recorded with its SHA-256 and its entries" "$(cat "$TMP/record.txt")"; fi

# a bundle is built with read access; its record waits for the write lock
if command -v flock >/dev/null 2>&1; then
	# the lock is held until the bundle says it waits, however slow the
	# bundle is (as under valgrind; at most 10 minutes)
	hold_lock
	pv bundle --tag klik -o "$TMP/locked.zip" >"$TMP/out" 2>"$TMP/err" &
	bundler=$!
	bundle_waiting "$TMP/err"
	sleep 0.3
	if kill -0 "$bundler" 2>/dev/null; then ok "the bundle really waits while the archive is held"
	else fail "the bundle really waits while the archive is held" "$(cat "$TMP/err")"; fi
	release_lock
	wait "$bundler"; rc=$?
	check_eq "a bundle made while another command holds the archive exits 0" 0 "$rc"
	check_grep "and says it waits to record it" 'waiting for another photovoice command' "$TMP/err"
	lsha=$(sha256sum "$TMP/locked.zip" | cut -d' ' -f1)
	check_eq "and is recorded once the lock is free" 1 "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute("SELECT count(*) FROM bundles WHERE sha256 = ? AND file_name = ?", (sys.argv[2], sys.argv[3])).fetchone()[0])' "$A/catalogue.db" "$lsha" "$TMP/locked.zip")"
else
	skip "flock is not installed"
fi

# ---- --query -------------------------------------------------------------------
run "$TMP/out" "$TMP/err" pv bundle --query chocolademelk --json -o "$TMP/q.zip"
check_eq "bundle --query exits 0" 0 "$rc"
pv list --json >"$TMP/all.json"
check_eq "and takes the poster entries whose text matches" "$(python3 -c 'import json,sys; print(sorted(e["id"] for e in json.load(open(sys.argv[1]))["entries"] if "chocolademelk" in (e["story"] or "").lower() and e["consent"] in ("poster", "public")))' "$TMP/all.json")" "$(python3 -c 'import json,sys; print(sorted(e["id"] for e in json.load(open(sys.argv[1]))["entries"]))' "$TMP/out")"
run "$TMP/out" "$TMP/err" pv bundle --query 'zzzgeenwoord' -o "$TMP/q2.zip"
check_eq "a query that matches nothing exits 1" 1 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --tag klik --query '"' -o "$TMP/q3.zip"
check_eq "a query that cannot be understood is a usage error (exit 2, as in search)" 2 "$rc"

# ---- reproducible -----------------------------------------------------------
pv bundle --tag klik -o "$TMP/a.zip" >/dev/null 2>&1
sleep 1
pv bundle --tag klik -o "$TMP/b.zip" >/dev/null 2>&1
check "two builds of the same selection are byte-identical" cmp "$TMP/a.zip" "$TMP/b.zip"
SOURCE_DATE_EPOCH=1700000000 pv bundle --tag klik --format tar.gz -o "$TMP/a.tgz" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1700000000 pv bundle --tag klik --format tar.gz -o "$TMP/b.tgz" >/dev/null 2>&1
check "and with SOURCE_DATE_EPOCH as tar.gz too" cmp "$TMP/a.tgz" "$TMP/b.tgz"
check_eq "SOURCE_DATE_EPOCH sets every member's time" "2023-11-14 22:13" "$(tar -tvzf "$TMP/a.tgz" --utc | awk '{print $4, $5}' | sort -u)"
check_eq "members are owned by root with mode 0644" "-rw-r--r-- root/root" "$(tar -tvzf "$TMP/a.tgz" --numeric-owner | awk '{print $1, $2}' | sed 's|0/0|root/root|' | sort -u)"

# ---- a spec file --------------------------------------------------------------
first=$(echo "$ids" | awk '{print $1}')
last=$(echo "$ids" | awk '{print $NF}')
cat >"$TMP/poster.spec" <<EOF
# open dag
Titel: Gehoord worden
Ondertitel: Foto's van jongeren en ouders
Papier: A3
Richting: liggend
Kolommen: 3

$last: Een onderschrift alleen voor deze poster: "zó".
$first
EOF
run "$TMP/out" "$TMP/err" pv bundle --spec "$TMP/poster.spec" --json -o "$TMP/spec.zip"
check_eq "bundle --spec exits 0" 0 "$rc"
check "--json prints one JSON document" python3 -m json.tool "$TMP/out"
check_eq "the spec's order is kept" "[$last, $first]" "$(python3 -c 'import json,sys; print([e["id"] for e in json.load(open(sys.argv[1]))["entries"]])' "$TMP/out")"
unzip -p "$TMP/spec.zip" manifest.json >"$TMP/spec-manifest.json"
check_eq "the spec's settings reach the manifest" "Gehoord worden A3 landscape 3" "$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["poster"]; print(p["title"], p["paper"], p["orientation"], p["columns"])' "$TMP/spec-manifest.json")"
if command -v pdftotext >/dev/null 2>&1; then
	unzip -p "$TMP/spec.zip" poster.pdf >"$TMP/spec.pdf"
	pdftotext "$TMP/spec.pdf" - | tr '\n' ' ' >"$TMP/spec.txt"
	check_grep "the spec's caption is on the poster" 'Een onderschrift alleen voor deze poster: .zó' "$TMP/spec.txt"
	check_grep "so is the subtitle" "Foto's van jongeren en ouders" "$TMP/spec.txt"
	check_grep "the page is A3 landscape" 'Page size: +1190\.[0-9]+ x 841\.[0-9]+ pts' "$(pdfinfo "$TMP/spec.pdf" >"$TMP/spec-info.txt"; echo "$TMP/spec-info.txt")"
fi
run "$TMP/out" "$TMP/err" pv bundle --spec "$TMP/poster.spec" --paper A4 --portrait -o "$TMP/spec-a4.zip"
unzip -p "$TMP/spec-a4.zip" manifest.json >"$TMP/a4-manifest.json"
check_eq "command-line options win over the spec" "A4 portrait" "$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["poster"]; print(p["paper"], p["orientation"])' "$TMP/a4-manifest.json")"

# ---- bad input --------------------------------------------------------------------
printf 'Titel: ok\nPapier: B5\n' >"$TMP/bad.spec"
run "$TMP/out" "$TMP/err" pv bundle --spec "$TMP/bad.spec" -o "$TMP/bad.zip"
check_eq "a bad spec exits 1" 1 "$rc"
check_grep "and names the line" 'Line 2 of the spec' "$TMP/err"
check "and writes nothing" test ! -e "$TMP/bad.zip"
printf '\377\376 3\n' >"$TMP/bad2.spec"
run "$TMP/out" "$TMP/err" pv bundle --spec "$TMP/bad2.spec" -o "$TMP/bad.zip"
check_eq "a spec that is not UTF-8 exits 1" 1 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --spec "$TMP/no-such.spec" -o "$TMP/bad.zip"
check_eq "a missing spec exits 1" 1 "$rc"
check_grep "and says so, naming it" 'no-such\.spec does not exist\.' "$TMP/err"
printf 'Titel: alleen instellingen\n' >"$TMP/empty.spec"
run "$TMP/out" "$TMP/err" pv bundle --spec "$TMP/empty.spec" -o "$TMP/bad.zip"
check_eq "a spec without entries and no --tag is refused (exit 1, as a bad spec is)" 1 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --id "$first" --id "$first" -o "$TMP/bad.zip"
check_eq "an entry named twice is a usage error" 2 "$rc"
# what a request says on its own is decided before the archive is opened
run "$TMP/out" "$TMP/err" "$PV" --archive "$TMP/no-archive" bundle -o "$TMP/bad.zip"
check_eq "no entries chosen is a usage error, whatever the archive" 2 "$rc"
check_grep "saying how to choose them" 'Choose entries with --tag, --id, --query or --spec\.' "$TMP/err"
check_eq "said once" 1 "$(grep -c 'Choose entries' "$TMP/err")"
run "$TMP/out" "$TMP/err" "$PV" --archive "$TMP/no-archive" bundle --id 3 --id 3 -o "$TMP/bad.zip"
check_eq "an entry named twice is a usage error, whatever the archive" 2 "$rc"
check "and the missing archive is left alone" test ! -e "$TMP/no-archive"
run "$TMP/out" "$TMP/err" pv bundle --tag klik --paper A5 -o "$TMP/bad.zip"
check_eq "an unknown paper is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --tag klik --columns 0 -o "$TMP/bad.zip"
check_eq "--columns 0 is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --tag klik --format rar -o "$TMP/bad.zip"
check_eq "an unknown format is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --id 9999 -o "$TMP/bad.zip"
check_eq "an entry that does not exist exits 1" 1 "$rc"
check "and nothing is written" test ! -e "$TMP/bad.zip"
run "$TMP/out" "$TMP/err" pv bundle --tag klik --id "$first" --tag no-such-tag -o "$TMP/bad.zip"
check_eq "--id entries must have every --tag too" 1 "$rc"
run "$TMP/out" "$TMP/err" pv bundle --tag kinderrechten -o "$TMP/bad.zip"
check_eq "a selection without any poster consent exits 1" 1 "$rc"
check_grep "and says nothing was written" 'nothing was written' "$TMP/err"
check "and nothing is written" test ! -e "$TMP/bad.zip"
check_eq "no temporary file is left beside the output" "" "$(ls -A "$TMP" | grep '^\.pv-')"

done_testing
