#!/bin/sh
# All or nothing in the catalogue. Words the store would refuse are found
# before anything is written: the photo goes to quarantine with its caption
# file and a sentence, and the rest of the batch is taken.
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

done_testing
