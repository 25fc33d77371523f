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

# ---- the consent matrix ------------------------------------------------------
# Realistic ways to write "Toestemming: geen", each beside its own photo under
# a project file that says poster. Each must end as `none` or in quarantine,
# never `poster`. NAME|EXT|TEXT (printf escapes).
M="$D/matrix"
mkdir -p "$M"
printf 'Toestemming: poster\n' >"$M/_project.txt"
cat >"$TMP/matrix" <<'ROWS'
gewoon|txt|Titel: Gewoon\nToestemming: geen\n\nHet verhaal.\n
bom-lege-regel|txt|\357\273\277\nTitel: Bom\nToestemming: geen\n
lege-regels|txt|\n\n\nToestemming: geen\nTitel: Lege regels\n
spaties|txt|  Titel: Spaties\n  Toestemming: geen\n
tab|txt|\tToestemming: geen\n\tTitel: Tab\n
mac-cr|txt|Titel: Mac\rToestemming: geen\r\rHet verhaal.\r
gemengd|txt|Titel: Gemengd\r\nOnderschrift: Regels\rToestemming: geen\n\r\nVerhaal.
vet|md|**Titel:** Vet\n**Toestemming:** geen\n
vet-buiten|md|**Toestemming**: geen\n
kop|md|# Mijn kamer\n\nToestemming: geen\n\nHier slaap ik.\n
lijst|md|- Titel: Lijst\n- Toestemming: geen\n
onderstreept|md|__Toestemming:__ _geen_\n
nbsp-na|txt|Toestemming:\302\240geen\n
nbsp-voor|txt|Toestemming\302\240: geen\n
vol-dubbelepunt|txt|Toestemming\357\274\232 geen\n
onbekend-eerst|txt|Onderwerp: school\nToestemming: geen\n
tikfout|txt|Titel: Tikfout\nToestemmimg: geen\n
tikfout-alleen|txt|Toestemmimg: geen\n\nMijn verhaal.\n
hoofdletters|txt|TOESTEMMING: GEEN\n
lege-regel-tussen|txt|Titel: Tussen\n\nToestemming: geen\n\nHet verhaal.\n
na-onderschrift|txt|Een mooie dag\nToestemming: geen\n
voorwerk|md|---\ntitel: Voorwerk\ntoestemming: geen\n---\nHet verhaal.\n
zonder-dubbelepunt|txt|Titel: Zonder\nToestemming geen\n
is-teken|txt|Toestemming = geen\n
engels|txt|Consent: none\n
spatie-voor-dubbelepunt|txt|Toestemming : geen\n
citaat|md|> Toestemming: geen\n
regelscheiding|txt|Titel: Regelscheiding\342\200\250Toestemming: geen\n
json|json|{"Toestemming": "Geen"}\n
json-spaties|json|\357\273\277{"toestemming ouder": "nee", "TOESTEMMING": " geen "}\n
json-tikfout|json|{"titel": "Tikfout", "toestemmimg": "geen"}\n
ROWS
photos 90 "$TMP/mphotos"   # 41..90: none of them is one of the photos above
k=40
while IFS='|' read -r name ext text; do
	k=$((k + 1))
	cp "$TMP/mphotos/$(printf 'bench-%05d.jpg' "$k")" "$M/$name.jpg"
	printf "x$text" | tail -c +2 >"$M/$name.$ext"   # a leading '-' is no option
done <"$TMP/matrix"
k=$((k + 1))
mkdir -p "$D/controle"
cp "$M/_project.txt" "$D/controle/_project.txt"
cp "$TMP/mphotos/$(printf 'bench-%05d.jpg' "$k")" "$D/controle/zonder-onderschrift.jpg"
rows=$(wc -l <"$TMP/matrix")
run "$TMP/out" "$TMP/err" pv ingest
check_eq "ingest of the matrix exits 1 (some are set aside)" 1 "$rc"
pv list --participant matrix --json >"$TMP/m.json"
check_eq "the project file's poster reaches a photo without a caption file" poster \
	"$(pv list --participant controle --json >"$TMP/c.json"; json_get "$TMP/c.json" 'd["entries"][0]["consent"]')"
while IFS='|' read -r name ext text; do
	got=$(python3 - "$TMP/m.json" "$M/.." "$name" "$ext" <<'PY'
import json, os, sys
doc, drop, name, ext = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
q = os.path.join(drop, ".quarantine", "matrix")
inq = os.path.exists(os.path.join(q, name + ".jpg")) and os.path.exists(os.path.join(q, name + "." + ext))
left = [f for f in os.listdir(os.path.join(drop, "matrix")) if f.startswith(name + ".")]
print("quarantine" if inq else ("left:" + ",".join(left)) if left else "taken")
PY
)
	case "$got" in
	quarantine)
		reason=$(cat "$M/../.quarantine/matrix/$name.jpg.reason.txt")
		ok "$name: set aside with its caption file ($(echo "$reason" | head -c 160))" ;;
	taken) ;;
	*) fail "$name: neither taken nor set aside" "$got" ;;
	esac
done <"$TMP/matrix"
check_eq "no photo of the matrix has poster consent" 0 \
	"$(json_get "$TMP/m.json" 'len([e for e in d["entries"] if e["consent"] != "none"])')"
taken=$(json_get "$TMP/m.json" 'len(d["entries"])')
set_aside=$(ls "$D/.quarantine/matrix" | grep -c '\.jpg$')
check_eq "every row is either taken as none or set aside ($taken + $set_aside)" "$rows" "$((taken + set_aside))"
check_eq "rows read as written: none" "none" \
	"$(json_get "$TMP/m.json" '",".join(sorted(set(e["consent"] for e in d["entries"])))')"
for name in onbekend-eerst tikfout tikfout-alleen na-onderschrift zonder-dubbelepunt is-teken \
	json-tikfout; do
	check "$name is set aside" test -f "$D/.quarantine/matrix/$name.jpg"
done
check_grep "a typo's reason names the key and the key it probably meant" \
	'"Toestemmimg".*"Toestemming"' "$D/.quarantine/matrix/tikfout.jpg.reason.txt"
check_grep "an unknown key's reason names it" '"Onderwerp"' "$D/.quarantine/matrix/onbekend-eerst.jpg.reason.txt"
check_grep "a JSON key's typo is named with the key it probably means" \
	'"toestemmimg".*"toestemming"' "$D/.quarantine/matrix/json-tikfout.jpg.reason.txt"
check_nogrep "no reason quotes the words after the key" 'geen|school' "$D/.quarantine/matrix/onbekend-eerst.jpg.reason.txt"

# plain captions that only look a little like headers stay captions
P="$D/gewoon"
mkdir -p "$P"
printf 'Toestemming: poster\n' >"$P/_project.txt"
cat >"$TMP/plain" <<'ROWS'
moeder|Mijn moeder zei: kom thuis\nEn ik ging.\n
tijd|Om 10:30 gingen we naar huis.\n
link|Kijk: https://example.org/foto\n
twee-woorden|Moeder zei: kom thuis\n
let-op|Let op: dit is mijn kamer.\n
tas|Tas: mijn rugzak, altijd mee.\n
ROWS
while IFS='|' read -r name text; do
	k=$((k + 1))
	cp "$TMP/mphotos/$(printf 'bench-%05d.jpg' "$k")" "$P/$name.jpg"
	printf "x$text" | tail -c +2 >"$P/$name.txt"
done <"$TMP/plain"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "plain captions are taken (exit 0)" 0 "$rc"
pv list --participant gewoon --json >"$TMP/p.json"
check_eq "each is a caption, none set aside" "$(wc -l <"$TMP/plain")" "$(json_get "$TMP/p.json" 'len([e for e in d["entries"] if e["caption"]])')"
check_eq "the first line is the caption" "Mijn moeder zei: kom thuis" \
	"$(json_get "$TMP/p.json" '[e["caption"] for e in d["entries"] if (e["caption"] or "").startswith("Mijn")][0]')"

done_testing
