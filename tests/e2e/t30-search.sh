#!/bin/sh
# search: diacritics and case folded, prefixes, phrases, AND/OR/NOT, ranking
# with a snippet, tags searchable, --json shape, and queries that FTS5 cannot
# read answered with a sentence and exit 2; search writes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
add_entry klik "Title: De klik
Caption: Hier voelde ik me gehoord.
Tags: klik, luisteren

Mijn cliëntervaring: er werd eindelijk naar me geluisterd bij de jeugdbeschermer."
add_entry school "Title: School
Caption: De weg naar school.
Tags: onderweg

Elke ochtend fiets ik langs het kanaal naar school, ook als het regent."
add_entry thuis "Title: Thuis
Caption: Onze keuken.
Tags: familie

Thuis luisteren we samen naar muziek. Naar de klik van de radio."
ingest_all
check_eq "three entries ingested" 3 "$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
klik=$(id_of "De klik"); school=$(id_of "School"); thuis=$(id_of "Thuis")

ids() { pv search --json "$@" | python3 -c 'import json,sys; print(" ".join(str(h["id"]) for h in json.load(sys.stdin)["hits"]))'; }
sorted_ids() { ids "$@" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//'; }

check_eq "clientervaring finds cliëntervaring" "$klik" "$(ids clientervaring)"
check_eq "capitals and accents in the query do not matter" "$klik" "$(ids CLIËNTERVARING)"
check_eq "a prefix finds every word that starts so" "$(echo "$klik $thuis" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" "$(sorted_ids 'luister*')"
check_eq "a phrase needs its words together" "$school" "$(ids '"naar school"')"
check_eq "the phrase in the other order finds nothing" "" "$(ids '"school naar"')"
check_eq "AND needs both" "$thuis" "$(ids naar AND muziek)"
check_eq "OR takes either" "$(echo "$klik $school" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" "$(sorted_ids kanaal OR gehoord)"
check_eq "NOT leaves out" "$(echo "$klik $thuis" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" "$(sorted_ids naar NOT kanaal)"
check_eq "tags are searched" "$school" "$(ids onderweg)"
check_eq "the title ranks above a word in a story" "$klik $thuis" "$(ids klik)"

pv search kanaal >"$TMP/out" 2>&1
check_grep "the human output marks the match in a snippet" '\[kanaal\]' "$TMP/out"
check_grep "and counts the matches" '^1 entry match' "$TMP/out"
pv search --json klik >"$TMP/s.json"
check "search --json is valid JSON" python3 -m json.tool "$TMP/s.json"
check_eq "search --json has the documented shape" "query matches more ranked hits | id rank title participant snippet" \
	"$(json_get "$TMP/s.json" '" ".join(d.keys()) + " | " + " ".join(d["hits"][0].keys())')"
check_eq "--limit shows fewer" 1 "$(pv search --json --limit 1 naar | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["hits"]))')"
run "$TMP/out" "$TMP/err" pv search onbekendwoord
check_eq "no match exits 0" 0 "$rc"
check_grep "and says so" 'No entries match' "$TMP/out"

# bad queries: a sentence and exit 2, never a crash
for q in 'de-klik' '"open' 'Foto: Fenna' '(klik' 'AND' 'klik NOT' '*' 'NEAR(' '"' '^' "$(printf 'x%.0s' $(seq 1 3000))"; do
	run "$TMP/out" "$TMP/err" pv search "$q"
	if [ "$rc" -eq 2 ] || [ "$rc" -eq 0 ]; then ok "query '$(echo "$q" | cut -c1-20)' exits 0 or 2 ($rc)"; else fail "query '$(echo "$q" | cut -c1-20)' exits 0 or 2" "rc=$rc" "$(cat "$TMP/err")"; fi
done
run "$TMP/out" "$TMP/err" pv search 'de-klik'
check_eq "an unreadable query exits 2" 2 "$rc"
check_grep "with a sentence on how to write it" 'double quotes' "$TMP/err"
check_nogrep "and no SQLite jargon" 'fts5|SQL|syntax error' "$TMP/err"
check_eq "quoted, it is the phrase" "$(echo "$klik $thuis" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" "$(sorted_ids '"de-klik"')"
run "$TMP/out" "$TMP/err" pv search
check_eq "search without words is a usage error" 2 "$rc"
run "$TMP/out" "$TMP/err" pv search "$(printf 'caf\351')"
check_eq "invalid UTF-8 in a query is not a crash" 0 "$([ "$rc" -le 2 ] && echo 0 || echo "$rc")"

# search only reads
before=$(log_count)
sum1=$(cat "$A/catalogue.db" | sha256sum)
pv search klik >/dev/null; pv search --json 'luister*' >/dev/null
check_eq "search adds nothing to the log" "$before" "$(log_count)"
check_eq "search leaves the catalogue file as it was" "$sum1" "$(cat "$A/catalogue.db" | sha256sum)"

# a missing archive is exit 3
run "$TMP/out" "$TMP/err" pv --archive "$TMP/nowhere" search klik
check_eq "search on a missing archive exits 3" 3 "$rc"

done_testing
