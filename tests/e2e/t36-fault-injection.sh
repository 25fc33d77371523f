#!/bin/sh
# All or nothing in the catalogue. Words the store would refuse are found
# before anything is written: the photo goes to quarantine with its caption
# file and a sentence, and the rest of the batch is taken. audit finds a
# half-written entry. Then every catalogue write point fails in turn (the test
# build's PV_TEST_FAIL=point:N) during ingest, edit, tag, consent, forget and
# bundle recording: each time everything or nothing happened, audit is clean,
# and the command said so with a non-zero exit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
long_title=$(python3 -c 'print("a" * 1500)')
long_tag=$(python3 -c 'print("lang" * 60)')
tab=$(printf '\t'); bel=$(printf '\007'); esc=$(printf '\033'); vt=$(printf '\013'); ff=$(printf '\014')
add_entry goed-1 "Titel: Goed een
Trefwoorden: klik, luisteren"
add_entry tab "Titel: Tab
Trefwoorden: klik${tab}luisteren, goed"
add_entry bel "Title: Bel
Tags: luis${bel}teren"
add_entry esc "Titel: Esc
Trefwoorden: klik, ${esc}[31mrood"
add_entry vt "Titel: Vt
Tags: een${vt}twee; drie"
add_entry ff "Titel: Ff
Tags: een${ff}"
add_entry lange-titel "Titel: $long_title
Onderschrift: Te lang."
add_entry lange-tag "Titel: Lange tag
Trefwoorden: $long_tag"
add_entry goed-2 "Titel: Goed twee
Trefwoorden: zon"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "ingest with words the store refuses exits 1" 1 "$rc"
check_eq "the good photos are taken, before and after the refused ones" "Goed een,Goed twee" \
	"$(pv list --json | python3 -c 'import json,sys; print(",".join(sorted(e["title"] for e in json.load(sys.stdin)["entries"])))')"
for name in tab bel esc vt ff lange-titel lange-tag; do
	if [ -f "$A/drop/.quarantine/$name.jpg" ] && [ -f "$A/drop/.quarantine/$name.txt" ]; then
		ok "$name: the photo and its caption file (its words) are in quarantine"
	else
		fail "$name: the photo and its caption file (its words) are in quarantine" "$(ls -A "$A/drop" "$A/drop/.quarantine")"
	fi
	check_grep "$name: with a sentence" 'tag .*(control character|too long)|title is too long' "$A/drop/.quarantine/$name.jpg.reason.txt"
done
check_grep "a tag's control characters are not shown raw" "tag 'klik\\?luisteren'" "$TMP/err"
check_nogrep "no escape character reaches the terminal" "$esc" "$TMP/err"
check_eq "nothing of the refused photos is in the catalogue or the media store" "2 6" \
	"$(sqlite3_count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$A/catalogue.db" "$1"; }; echo "$(sqlite3_count 'SELECT count(*) FROM entries')" "$(find "$A/media" -type f | wc -l)")"
check "audit is clean" pv audit

# the same rules hold for tag and edit
gid=$(id_of "Goed een")
run "$TMP/out" "$TMP/err" pv tag "$gid" "a${tab}b"
check_eq "tag refuses a tag with a tab: exit 1" 1 "$rc"
check_grep "and says why" 'control character' "$TMP/err"
run "$TMP/out" "$TMP/err" pv edit "$gid" --title "$long_title"
check_eq "edit refuses an over-long title: exit 1" 1 "$rc"
check_grep "and says why" 'too long' "$TMP/err"
check_eq "the entry is unchanged" "Goed een" "$(pv show --json "$gid" | python3 -c 'import json,sys; print(json.load(sys.stdin)["title"])')"

# a half-written entry (its search row gone, a tag the store refuses, as a
# write outside a transaction leaves them) does not pass audit
python3 - "$A/catalogue.db" "$gid" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DELETE FROM entries_fts WHERE rowid = ?", (int(sys.argv[2]),))
db.execute("INSERT INTO tags (entry_id, tag) VALUES (?, 'a' || char(9) || 'b')", (int(sys.argv[2]),))
db.commit()
PY
run "$TMP/out" "$TMP/err" pv audit --json
check_eq "audit of a half-written entry exits 1" 1 "$rc"
check_eq "it names the missing search row and the tag" "index,tag" \
	"$(json_get "$TMP/out" '",".join(sorted(p["kind"] for p in d["problems"]))')"
check_grep "searching its words finds nothing (why it matters)" "No entries match" "$(pv search een >"$TMP/s" 2>&1; echo "$TMP/s")"
run "$TMP/out" "$TMP/err" pv audit --repair
check_eq "repair puts both right" 0 "$rc"
check_grep "and says so" 'repaired' "$TMP/out"
check "search finds the entry again" sh -c "'$PV' search een | grep -q 'Goed een'"
check "audit is clean again" pv audit

# ---- fault injection ------------------------------------------------------
PVT="$BUILD/photovoice-test"
check "the test build is there" test -x "$PVT"
check_nogrep "the shipped program has no fault hook" 'PV_TEST_FAIL' "$(strings "$PV" >"$TMP/strings" 2>/dev/null || grep -c PV_TEST_FAIL "$PV" >"$TMP/strings"; echo "$TMP/strings")"
check_grep "the test build has it" 'PV_TEST_FAIL' "$(strings "$PVT" >"$TMP/strings-t" 2>/dev/null || grep -a -o PV_TEST_FAIL "$PVT" >"$TMP/strings-t"; echo "$TMP/strings-t")"

# What the catalogue holds, without times (which differ between runs), and
# the files of the media store and the drop folder; one JSON document.
cat >"$TMP/state.py" <<'PY'
import json, os, sqlite3, sys
arch = sys.argv[1]
db = sqlite3.connect(os.path.join(arch, "catalogue.db"))
def rows(sql):
    return sorted([list(r) for r in db.execute(sql)], key=repr)
cols = [c[1] for c in db.execute("PRAGMA table_info(entries)") if c[1] != "ingested_at"]
state = {
    "entries": rows("SELECT %s FROM entries" % ", ".join(cols)),
    "tags": rows("SELECT entry_id, tag FROM tags"),
    "search": rows("SELECT rowid, title, caption, story, tags FROM entries_fts"),
    "history": rows("SELECT entry_id, field, old_text FROM history"),
    "participants": rows("SELECT code, credit, under16 FROM participants"),
    "bundles": rows("SELECT id, file_name, purpose FROM bundles"),
    "bundle_entries": rows("SELECT bundle_id, entry_id FROM bundle_entries"),
    "log": rows("SELECT id, action, detail FROM log"),
    "files": sorted(os.path.relpath(os.path.join(d, f), arch)
                    for sub in ("media", "drop") for d, _, fs in os.walk(os.path.join(arch, sub))
                    for f in fs if not f.endswith(".reason.txt")),
    "bundle_file": os.path.exists(os.path.join(os.path.dirname(arch), "out.zip")),
}
print(json.dumps(state, sort_keys=True, indent=0))
PY
# Ingest commits in batches: each photo on its own is all or nothing. A photo
# is either an entry with all its tags and its log line, its files in the
# media store and its original gone, or not an entry, its original and caption
# file still in drop/ and nothing of it in the media store.
cat >"$TMP/ingest_check.py" <<'PY'
import json, sys
ref, after = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
problems = []
cols = ref["entries"]
def by_title(st):
    out = {}
    for e in st["entries"]:
        out[e[2]] = e
    return out
ref_e, got_e = by_title(ref), by_title(after)
for title, e in ref_e.items():
    name = title.lower().replace(" ", "-")
    in_drop = "drop/%s.jpg" % name in after["files"] and "drop/%s.txt" % name in after["files"]
    media = [f for f in after["files"] if e[1] in f]
    if title in got_e:
        g = got_e[title]
        tags = sorted(t for i, t in after["tags"] if i == g[0])
        want = sorted(t for i, t in ref["tags"] if i == e[0])
        logged = ["ingest", "entry %d" % g[0]] in [l[1:] for l in after["log"]]
        if tags != want or not logged or len(media) != 3 or in_drop or g[1:] != e[1:]:
            problems.append("%s: half taken (tags %s, logged %s, %d files, still in drop %s)"
                            % (title, tags, logged, len(media), in_drop))
    elif not in_drop or media:
        problems.append("%s: neither taken nor left whole (in drop %s, %d files)"
                        % (title, in_drop, len(media)))
print("; ".join(problems) or "ok")
PY
state() { python3 "$TMP/state.py" "$1" >"$2"; }

# the archive every run starts from: three entries, one participant's, a tag each
new_archive
add_entry een "Titel: Een
Trefwoorden: klik, zon
Toestemming: poster

Het eerste verhaal." fenna
add_entry twee "Titel: Twee
Trefwoorden: klik
Toestemming: poster"
add_entry drie "Titel: Drie
Toestemming: internal"
ingest_all
cp -a "$A" "$TMP/base"
ids=$(pv list --json | python3 -c 'import json,sys; print(",".join(str(e["id"]) for e in json.load(sys.stdin)["entries"]))')
i1=${ids%%,*}; rest=${ids#*,}; i2=${rest%%,*}

# the photos ingest takes in its runs
mkdir -p "$TMP/newdrop"
for n in 1 2 3; do
	cp "$TMP/photos/$(printf 'bench-%05d.jpg' $((30 + n)))" "$TMP/newdrop/nieuw-$n.jpg"
	printf 'Titel: Nieuw %s\nTrefwoorden: nieuw, foto-%s\n\nVerhaal %s.\n' "$n" "$n" "$n" >"$TMP/newdrop/nieuw-$n.txt"
done

W="$TMP/run/archive"
fresh() {
	rm -rf "$TMP/run"; mkdir -p "$TMP/run"; cp -a "$TMP/base" "$W"
	if [ "$1" = ingest ]; then cp "$TMP/newdrop"/* "$W/drop/"; fi
}
op_args() {
	case $1 in
	ingest) echo "ingest --jobs 1" ;;
	edit) echo "edit $i1 --title Anders --caption Nieuw-onderschrift" ;;
	tag) echo "tag $i1,$i2 nieuw -klik" ;;
	consent) echo "consent $i1 public --guardian yes --until 2031-01-31" ;;
	forget) echo "forget $i1 $i2" ;;
	forget-participant) echo "forget --participant fenna" ;;
	bundle) echo "bundle --id $i1 --id $i2 --purpose internal -o $TMP/run/out.zip" ;;
	esac
}

for op in ingest edit tag consent forget forget-participant bundle; do
	# what the command does when nothing fails
	fresh "$op"
	# shellcheck disable=SC2046
	"$PVT" --archive "$W" $(op_args "$op") >/dev/null 2>&1
	state "$W" "$TMP/ref.json"
	fresh "$op"; state "$W" "$TMP/before.json"
	if cmp -s "$TMP/ref.json" "$TMP/before.json"; then fail "$op changes the catalogue when nothing fails"; continue; fi
	bad=""; runs=0
	for point in begin write commit; do
		n=1
		while [ "$n" -le 60 ]; do
			fresh "$op"
			# shellcheck disable=SC2046
			PV_TEST_FAIL="$point:$n" "$PVT" --archive "$W" $(op_args "$op") >"$TMP/f.out" 2>"$TMP/f.err"
			frc=$?
			grep -q "^photovoice: test fault: $point $n\$" "$TMP/f.err" || break
			runs=$((runs + 1))
			state "$W" "$TMP/after.json"
			said=$(grep -av '^photovoice: test fault' "$TMP/f.err" | grep -acE '^photovoice: .*[a-z]{3,}.*[a-z]{3,}.*\.')
			if [ "$op" = ingest ]; then
				whole=$(python3 "$TMP/ingest_check.py" "$TMP/ref.json" "$TMP/after.json")
			elif cmp -s "$TMP/after.json" "$TMP/before.json"; then whole=ok
			elif cmp -s "$TMP/after.json" "$TMP/ref.json"; then whole=ok
			else whole="neither all nor nothing: $(diff "$TMP/before.json" "$TMP/after.json" | head -c 600)"; fi
			"$PV" --archive "$W" audit >"$TMP/a.out" 2>&1; arc=$?
			# a catalogue failure is exit 3 in every command; ingest reports
			# the photo it could not enter as left in the drop folder (exit 1)
			want=3; [ "$op" = ingest ] && want=1
			if [ "$frc" -ne "$want" ] || [ "$said" -eq 0 ] || [ "$whole" != ok ] || [ "$arc" -ne 0 ]; then
				bad="$bad
$point:$n exit $frc, said $said, $whole, audit $arc $(grep -v '^Checked' "$TMP/a.out" | head -c 300)"
			fi
			n=$((n + 1))
		done
		if [ "$n" -gt 60 ]; then bad="$bad
$point: still failing at 60"; fi
	done
	if [ -z "$bad" ] && [ "$runs" -gt 0 ]; then
		ok "$op: each of its $runs catalogue write points failed in turn: all or nothing, audit clean, exit 3 (ingest: 1) with a sentence"
	else
		fail "$op: every catalogue write point failed in turn" "runs: $runs" "$bad"
	fi
done

done_testing
