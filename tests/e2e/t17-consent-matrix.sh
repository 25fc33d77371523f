#!/bin/sh
# Consent as participants really write it. One validator per kind of value:
# the dates and yes/no words a caption file takes are exactly the ones the
# command line takes (consent --until, --guardian, participants --under16).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
D="$A/drop"
Q="$D/.quarantine"
entries() { pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }

# ---- one date validator, one yes/no parser ---------------------------------
add_entry basis "Titel: Basis"
ingest_all
id=$(id_of Basis)
n=0
for day in 2026-02-29 2026-02-31 2026-04-31 2026-13-01 2026-00-10 2026-01-32 2026-1-5 \
	2026-01-5 " 2026-01-05" "2026-01-05 " 05-01-2026 2026/01/05; do
	n=$((n + 1))
	run "$TMP/out" "$TMP/err" pv consent "$id" poster --until "$day"
	check_eq "consent --until '$day' is refused" 1 "$rc"
	case "$day" in " "*|*" ") continue ;; esac   # a caption file's header trims its value
	add_entry "datum$n" "Titel: Datum $n
Toestemming: poster
Toestemming-tot: $day"
	ingest_all
	if [ -f "$Q/datum$n.jpg" ] && grep -q 'YYYY-MM-DD' "$Q/datum$n.jpg.reason.txt"; then
		ok "a caption file with Toestemming-tot: $day is set aside, saying YYYY-MM-DD"
	else
		fail "a caption file with Toestemming-tot: $day is set aside, saying YYYY-MM-DD" \
			"$(ls -R "$D")" "$(cat "$TMP/ingest.out")"
	fi
done
check_eq "none of them became an entry" 1 "$(entries)"
for day in 2024-02-29 2000-02-29 2026-04-30; do
	check "consent --until $day is taken" pv consent "$id" poster --until "$day"
	n=$((n + 1))
	add_entry "datum$n" "Titel: Datum $n
Toestemming-tot: $day"
	ingest_all
	check_eq "a caption file with Toestemming-tot: $day is taken" "$day" \
		"$(pv list --json | python3 -c 'import json,sys; print([e["consent_until"] for e in json.load(sys.stdin)["entries"] if e["title"] == sys.argv[1]][0])' "Datum $n")"
done
for w in ja Nee 1 0 true no; do
	check "consent --guardian $w is taken" pv consent "$id" internal --guardian "$w"
	check "participants set --under16 $w is taken" pv participants set p$n --under16 "$w"
	n=$((n + 1))
	add_entry "ouder$n" "Titel: Ouder $n
Toestemming-ouder: $w"
	ingest_all
	check_eq "a caption file with Toestemming-ouder: $w is taken" 0 "$(ls "$D" | grep -c "ouder$n")"
done
for w in misschien jaa 2; do
	run "$TMP/out" "$TMP/err" pv consent "$id" internal --guardian "$w"
	check_eq "consent --guardian $w is refused" 2 "$rc"
	n=$((n + 1))
	add_entry "ouder$n" "Titel: Ouder $n
Toestemming-ouder: $w"
	ingest_all
	check "a caption file with Toestemming-ouder: $w is set aside" test -f "$Q/ouder$n.jpg"
done

done_testing
