#!/bin/sh
# forget: the right to erasure. After `forget`, no byte of the erased words is
# anywhere under the archive folder (catalogue, its journal files, index,
# media store), the log keeps only "entry N erased", and bundles built earlier
# with the entry are named. Also forget --participant, and bad input.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
# other entries first, so that the full-text index has several segments
i=1
while [ "$i" -le 12 ]; do
	add_entry "ander$i" "Title: Ander verhaal $i
Caption: Gewoon een foto.
Tags: klik, thuis

Een verhaal over school, thuis en de klik met de mentor, nummer $i."
	i=$((i + 1))
done
WORDS="Vlinderkoepel Zeppelinwolk Kwartelkoning Blauwbaardspin Zilvermeeuwtje Lantaarnvis Pimpelmeesje"
add_entry geheim "Title: Vlinderkoepel
Caption: Zeppelinwolk boven het huis.
Tags: Lantaarnvis, klik

Het Pimpelmeesje zat op de vensterbank en keek naar de tuin." kwikstaart
add_entry geheim2 "Title: Tweede van kwikstaart
Caption: Nog een.

Een verhaal over de Oranjewoudkers." kwikstaart
add_entry blijft "Title: Blijft staan
Caption: Deze blijft.

Een verhaal dat na het wissen gewoon gevonden wordt: Regenboogforel." sem
ingest_all
target=$(id_of "Vlinderkoepel"); second=$(id_of "Tweede van kwikstaart"); keep=$(id_of "Blijft staan")

# the same photo dropped again with other words: ingest keeps that caption
# file in the quarantine (no words lost), and forget must erase it too
cp "$TMP/photos/bench-00013.jpg" "$A/drop/kwikstaart/nogmaals.jpg"
printf 'Title: Nogmaals\nCaption: De Kraanvogelveer op de stoep.\n' >"$A/drop/kwikstaart/nogmaals.txt"
ingest_all
WORDS="$WORDS Kraanvogelveer"
check_grep "the second caption file waits in the quarantine, naming the entry" \
	"as entry $target, " "$A/drop/.quarantine/kwikstaart/nogmaals.txt.reason.txt"
check_grep "with the key forget reads" \
	"^photovoice-entry: $target\$" "$A/drop/.quarantine/kwikstaart/nogmaals.txt.reason.txt"

# the story is edited, so its history holds the earlier words
printf 'De Kwartelkoning en de Blauwbaardspin. Een Zilvermeeuwtje op het dak.\n' >"$TMP/story.txt"
check "edit the story (the old one goes into history)" pv edit "$target" --story-file "$TMP/story.txt"
check "a credit line for the participant" pv participants set kwikstaart --credit "Foto: Kwikstaartje Vogelaar"
pv tag "$target" +Blauwbaardspin >/dev/null

# derived files: the ingest makes them when it can; otherwise plant them, so
# that their removal is tested either way
sha=$(pv show --json "$target" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sha256"])')
media="$A/media/$(echo "$sha" | cut -c1-2)/$sha"
for kind in thumb preview; do [ -f "$media.$kind.jpg" ] || cp "$media.jpg" "$media.$kind.jpg"; done

# a bundle that holds the entry
bundled=no
if pv bundle --id "$target" --id "$keep" --purpose internal -o "$TMP/met-geheim.zip" >/dev/null 2>&1 &&
	pv log --json | grep -q '"action": "bundle"'; then bundled=yes; fi

# the words are really there before (so that the grep below can fail)
found_before=0
for w in $WORDS; do grep -rqai "$w" "$A" && found_before=$((found_before + 1)); done
check_eq "before forget, every distinctive word is found in the archive folder" 8 "$found_before"

logs=$(log_count)
run "$TMP/out" "$TMP/err" pv forget --json "$target"
check_eq "forget exits 0" 0 "$rc"
cp "$TMP/out" "$TMP/forget.json"
check "forget --json is valid JSON" python3 -m json.tool "$TMP/forget.json"
check_eq "forget --json shape" "erased files_removed files_failed traces_cleared bundles quarantine_removed quarantine_zips quarantine_failed" "$(json_get "$TMP/forget.json" '" ".join(d.keys())')"
check_eq "it erased the entry" "$target" "$(json_get "$TMP/forget.json" '" ".join(map(str, d["erased"]))')"
check_eq "photo and both derived files removed" 3 "$(json_get "$TMP/forget.json" 'd["files_removed"]')"
check_eq "the index was merged and the journal emptied" True "$(json_get "$TMP/forget.json" 'd["traces_cleared"]')"
if [ "$bundled" = yes ]; then
	check_eq "the bundle built with it is named" "met-geheim.zip" "$(json_get "$TMP/forget.json" '" ".join(b["file_name"].split("/")[-1] for b in d["bundles"])')"
else
	skip "bundle does not record what it built yet (pv_store_record_bundle)"
fi

# zero bytes of the erased words anywhere under the archive folder
for w in $WORDS; do
	if grep -rqai "$w" "$A"; then fail "no trace of '$w' under the archive folder" "$(grep -rlai "$w" "$A")"; else ok "no trace of '$w' under the archive folder"; fi
done
check_eq "no file of the entry is left in the media store" "" "$(find "$A/media" -name "$sha*")"
check_eq "the caption file set aside for it was erased" 1 "$(json_get "$TMP/forget.json" 'd["quarantine_removed"]')"
check_eq "and its reason file too" "" "$(ls "$A/drop/.quarantine/kwikstaart/" 2>/dev/null)"
check_eq "the catalogue's journal is empty" 0 "$(cat "$A/catalogue.db-wal" 2>/dev/null | wc -c)"

run "$TMP/out" "$TMP/err" pv show "$target"
check_eq "the entry is gone" 1 "$rc"
check_eq "the other entry of the participant is still there" "$second" "$(id_of "Tweede van kwikstaart")"
check_eq "other entries are still found" "$keep" "$(pv search --json regenboogforel | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))')"
check_eq "the search finds nothing of the erased entry" "" "$(pv search --json lantaarnvis OR vlinderkoepel | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))')"
pv log --json >"$TMP/log.json"
check_eq "the log gained one line" $((logs + 1)) "$(log_count)"
check_eq "and it says only that the entry was erased" "erase|entry $target erased" "$(json_get "$TMP/log.json" 'd["events"][-1]["action"] + "|" + d["events"][-1]["detail"]')"
check "audit finds the archive whole afterwards" pv audit

# forget --participant: every entry and the participant's record
run "$TMP/out" "$TMP/err" pv forget --participant kwikstaart
check_eq "forget --participant exits 0" 0 "$rc"
check_grep "it names the entry it erased" "Entry $second erased" "$TMP/out"
if grep -rqaiE "kwikstaart|oranjewoudkers" "$A"; then fail "the participant's code, credit and words are gone from the archive folder" "$(grep -rlaiE 'kwikstaart|oranjewoudkers' "$A")"; else ok "the participant's code, credit and words are gone from the archive folder"; fi
check_nogrep "the participant is not listed" 'kwikstaart' "$(pv participants >"$TMP/p.txt"; echo "$TMP/p.txt")"
check_eq "the participant's other entry is gone" "" "$(pv list --json | grep -c "Tweede van kwikstaart" | grep -v '^0$')"
run "$TMP/out" "$TMP/err" pv forget --participant kwikstaart
check_eq "forgetting an unknown participant exits 1" 1 "$rc"
check_grep "and says so" "no participant" "$TMP/err"

# bad input: nothing is erased when one id is wrong
run "$TMP/out" "$TMP/err" pv forget "$keep" 9999
check_eq "forget with a missing id exits 1" 1 "$rc"
check_grep "and names it" "9999" "$TMP/err"
check_eq "nothing was erased" "$keep" "$(id_of "Blijft staan")"
run "$TMP/out" "$TMP/err" pv forget
check_eq "forget without entries is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv forget abc
check_eq "forget with a non-number is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv forget 1 --participant sem
check_eq "ids and --participant together is a usage error" 2 "$rc"

done_testing
