#!/bin/sh
# Tags on one entry or many (ids, --query), the tag list with counts, rename
# and merge; edit with history (show --history); every change in the log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
add_entry a "Title: Bank in het park
Caption: Onze bank.
Tags: Buiten

Op deze bank zat ik met mijn broer."
add_entry b "Title: Het plein
Tags: buiten, Vrienden

Het plein waar we voetballen."
add_entry c "Title: De keuken
Tags: thuis

Mijn moeder kookt hier."
ingest_all
a=$(id_of "Bank in het park"); b=$(id_of "Het plein"); c=$(id_of "De keuken")
tags_of() { pv show --json "$1" | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["tags"]))'; }

check_eq "tags are folded to lower case on ingest" "buiten" "$(tags_of "$a")"
logs=$(log_count)
check "tag on a list of ids" pv tag "$a,$c" +Zomer ZOMERS
check_eq "both entries got both tags" "buiten,zomer,zomers|thuis,zomer,zomers" "$(tags_of "$a")|$(tags_of "$c")"
check "a leading - removes" pv tag "$a,$c" -zomers
check_eq "removed from both" "buiten,zomer|thuis,zomer" "$(tags_of "$a")|$(tags_of "$c")"
check "tag --query tags every entry the search finds" pv tag --query 'park OR plein' +openbaar
check_eq "the two entries the search finds" "buiten,openbaar,zomer|buiten,openbaar,vrienden|thuis,zomer" "$(tags_of "$a")|$(tags_of "$b")|$(tags_of "$c")"
check "tag --query=Q form" pv tag --query=keuken -zomer
check_eq "removed by query" "thuis" "$(tags_of "$c")"
check_eq "each tag command is one log line" $((logs + 4)) "$(log_count)"
pv log --json >"$TMP/log.json"
check_eq "the log names entries by number only" "entries $a, $c: 2 tags added or removed" "$(json_get "$TMP/log.json" '[e["detail"] for e in d["events"] if e["action"] == "tag"][0]')"

run "$TMP/out" "$TMP/err" pv tag 999 x
check_eq "tag on a missing entry exits 1" 1 "$rc"
check_grep "and says which" 'no entry 999' "$TMP/err"
run "$TMP/out" "$TMP/err" pv tag "$a" "$(printf 'bad\001tag')"
check_eq "a tag with a control character is refused" 1 "$rc"
check_eq "and nothing changed" "buiten,openbaar,zomer" "$(tags_of "$a")"
run "$TMP/out" "$TMP/err" pv tag "$a,x" y
check_eq "a bad id list is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv tag --query nergens +x
check_eq "a query that finds nothing exits 1" 1 "$rc"
run "$TMP/out" "$TMP/err" pv tag --query 'de-x' +x
check_eq "an unreadable query is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv tag --query park
check_eq "a query without tags is a usage error" 2 "$rc"

# tags: list, rename, merge
pv tags --json >"$TMP/tags.json"
check "tags --json is valid JSON" python3 -m json.tool "$TMP/tags.json"
check_eq "tags --json shape and counts" "count tags|buiten=2,openbaar=2,thuis=1,vrienden=1,zomer=1" \
	"$(json_get "$TMP/tags.json" '" ".join(d.keys()) + "|" + ",".join("%s=%d" % (t["tag"], t["entries"]) for t in d["tags"])')"
check "tags rename" pv tags rename Zomer zomertijd
check_eq "renamed on its entry" "buiten,openbaar,zomertijd" "$(tags_of "$a")"
run "$TMP/out" "$TMP/err" pv tags rename buiten thuis
check_eq "rename onto an existing tag is refused" 1 "$rc"
check_grep "and points to merge" 'tags merge buiten thuis' "$TMP/err"
check "tags merge" pv tags merge vrienden buiten
check_eq "merged: the entry keeps one buiten" "buiten,openbaar" "$(tags_of "$b")"
check "merge where an entry has both" pv tags merge openbaar buiten
check_eq "no double tag" "buiten|buiten,zomertijd" "$(tags_of "$b")|$(tags_of "$a")"
pv tags >"$TMP/out"
check_grep "tags lists counts" '^ +2  buiten$' "$TMP/out"
check_nogrep "merged tags are gone" 'vrienden|openbaar' "$TMP/out"
check_eq "merged tags are found by search under the new name" "" "$(pv search --json openbaar | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))')"
run "$TMP/out" "$TMP/err" pv tags rename nergens iets
check_eq "renaming a tag no entry has exits 1" 1 "$rc"
run "$TMP/out" "$TMP/err" pv tags merge buiten BUITEN
check_eq "merging a tag into itself exits 1" 1 "$rc"
run "$TMP/out" "$TMP/err" pv tags rename x
check_eq "rename with one tag is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv tags frobnicate
check_eq "an unknown tags action is a usage error" 2 "$rc"
check_grep "rename and merge are logged" 'tags merge' "$(pv log >"$TMP/log.txt"; echo "$TMP/log.txt")"

# edit and history
printf 'Een nieuw verhaal over de bank.\nMet twee regels.\n' >"$TMP/story.txt"
check "edit title, caption and story" pv edit "$a" --title "De bank" --caption "Waar we praten." --story-file "$TMP/story.txt"
pv show --json --history "$a" >"$TMP/show.json"
check "show --history --json is valid JSON" python3 -m json.tool "$TMP/show.json"
check_eq "the new words are in place" "De bank|Waar we praten.|Een nieuw verhaal over de bank.//Met twee regels.//" \
	"$(json_get "$TMP/show.json" '(d["title"] + "|" + d["caption"] + "|" + d["story"]).replace(chr(10), "//")')"
check_eq "the history keeps what each field said" "title=Bank in het park|caption=Onze bank.|story=Op deze bank zat ik met mijn broer." \
	"$(json_get "$TMP/show.json" '"|".join("%s=%s" % (h["field"], h["old_text"]) for h in d["history"])')"
check_eq "history items have field, old_text, changed_at" "field old_text changed_at" "$(json_get "$TMP/show.json" '" ".join(d["history"][0].keys())')"
pv show --history "$a" >"$TMP/show.txt"
check_grep "show --history prints the earlier words" 'title was: Bank in het park' "$TMP/show.txt"
check_eq "the new story is searchable" "$a" "$(pv search --json regels | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))')"
check_eq "the old story is not found any more" "" "$(pv search --json broer | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))')"
logs=$(log_count)
run "$TMP/out" "$TMP/err" pv edit "$a" --title "De bank"
check_eq "editing to the same words exits 0" 0 "$rc"
check_grep "and says nothing changed" 'nothing changed' "$TMP/out"
check_eq "and is not logged" "$logs" "$(log_count)"
check "an empty title clears it" pv edit "$a" --title ""
check_eq "cleared" "None" "$(pv show --json "$a" >"$TMP/s.json"; json_get "$TMP/s.json" 'd["title"]')"
printf 'caf\351\n' >"$TMP/latin1.txt"
run "$TMP/out" "$TMP/err" pv edit "$a" --story-file "$TMP/latin1.txt"
check_eq "a story file that is not UTF-8 is refused" 1 "$rc"
check_grep "with a sentence" 'UTF-8' "$TMP/err"
run "$TMP/out" "$TMP/err" pv edit "$a" --story-file "$TMP/none.txt"
check_eq "a missing story file is refused" 1 "$rc"
echo "Uit standaardinvoer." | pv edit "$c" --story-file - >/dev/null
check_eq "--story-file - reads standard input" "Uit standaardinvoer." "$(pv show --json "$c" >"$TMP/s.json"; json_get "$TMP/s.json" 'd["story"].strip()')"
run "$TMP/out" "$TMP/err" pv edit 999 --title x
check_eq "edit of a missing entry exits 1" 1 "$rc"
run "$TMP/out" "$TMP/err" pv edit "$a"
check_eq "edit without a change is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv edit "$a" --title a --title b
check_eq "a field twice is a usage error" 2 "$rc"
pv log --json >"$TMP/log.json"
check_eq "edits are logged by field, not by text" "entry $a: title, caption, story" "$(json_get "$TMP/log.json" '[e["detail"] for e in d["events"] if e["action"] == "edit"][0]')"
check_nogrep "no edited words in the log" 'bank|praten|regels' "$TMP/log.json"

done_testing
