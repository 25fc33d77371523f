#!/bin/sh
# Text from inside the photo never speaks for the participant (issue 12,
# part 2). A photo's own title or description (EXIF ImageDescription, XMP
# dc:title / dc:description, IPTC Caption-Abstract / Headline) often holds a
# place, an address or a full name:
# - when a caption file exists, none of its fields is filled from the photo;
# - without one, the photo's words are kept, marked as the photo's; a poster
#   bundle leaves such an entry out (and says why) until a person confirms or
#   replaces them; `show` and `--json` say where each text came from.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

if ! command -v exiftool >/dev/null 2>&1; then
	skip "exiftool is not installed (it writes the photos' own words here)"
	done_testing; exit
fi

new_archive
photos 12 "$TMP/photos"
# plant N FORM MARK: photo N with the words MARK inside it, in one of the
# places cameras, phones and editors put them
plant() {
	f="$TMP/planted-$1.jpg"
	cp "$TMP/photos/$(printf 'bench-%05d.jpg' "$1")" "$f"
	case $2 in
	exif) set -- -ImageDescription="$3 Kerkstraat 12" ;;
	xmp)  set -- -XMP-dc:Title="$3 Jan de Vries" -XMP-dc:Description="$3 bij oma thuis" ;;
	iptc) set -- -IPTC:Headline="$3 Familie Jansen" -IPTC:Caption-Abstract="$3 Dorpsstraat 4" ;;
	esac
	exiftool -q -overwrite_original "$@" "$f" || fail "exiftool wrote $f"
	echo "$f"
}

# ---- a caption file exists: nothing of the photo's words is taken ----------
mkdir -p "$A/drop/eigen"
n=0
for form in exif xmp iptc; do
	n=$((n + 1))
	cp "$(plant $n $form "FOTOTEKST$n")" "$A/drop/eigen/met-$form.jpg"
	# only consent and tags: no title, no caption of the participant's own
	printf 'Toestemming: poster\nTrefwoorden: eigen-%s\n' "$form" >"$A/drop/eigen/met-$form.txt"
done
n=$((n + 1))
cp "$(plant $n exif "FOTOTEKST$n")" "$A/drop/eigen/met-titel.jpg"
printf 'Titel: Mijn plek\nToestemming: poster\nTrefwoorden: eigen-titel\n' >"$A/drop/eigen/met-titel.txt"
# inside a zip submission, with a caption file beside the photo
n=$((n + 1))
mkdir -p "$TMP/zip"
cp "$(plant $n iptc "FOTOTEKST$n")" "$TMP/zip/zipfoto.jpg"
printf 'Toestemming: poster\nTrefwoorden: eigen-zip\n' >"$TMP/zip/zipfoto.txt"
(cd "$TMP/zip" && zip -q "$A/drop/eigen/inzending.zip" zipfoto.jpg zipfoto.txt)
ingest_all
check_eq "every photo with a caption file was taken" "5" \
	"$(pv list --json --participant eigen | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
pv list --json --participant eigen >"$TMP/eigen.json"
check_nogrep "no word from inside a photo is in an entry that has a caption file" "FOTOTEKST" "$TMP/eigen.json"
pv search FOTOTEKST1 >"$TMP/search.out" 2>&1
check_nogrep "nor in the search index" "FOTOTEKST" "$TMP/search.out"
check_eq "the participant's title is kept, the photo's caption is not taken" "Mijn plek|None" \
	"$(json_get "$TMP/eigen.json" '"|".join(str(e[k]) for e in d["entries"] if e["title"] == "Mijn plek" for k in ("title", "caption"))')"
check_eq "words from a caption file are the participant's" "participant" \
	"$(json_get "$TMP/eigen.json" '[e for e in d["entries"] if e["title"] == "Mijn plek"][0]["words_from"]["title"]')"
check "a poster bundle takes entries with a caption file" \
	pv bundle --tag eigen-exif -o "$TMP/eigen.zip"

# ---- no caption file: the photo's words are kept, marked, and held back -----
mkdir -p "$A/drop/zonder"
printf 'Toestemming: poster\nTrefwoorden: zonder\n' >"$A/drop/zonder/_project.txt"
for form in exif xmp iptc; do
	n=$((n + 1))
	cp "$(plant $n $form "FOTOWOORD$n")" "$A/drop/zonder/los-$form.jpg"
done
ingest_all
pv list --json --tag zonder >"$TMP/zonder.json"
check_eq "three photos without a caption file were taken" "3" "$(json_get "$TMP/zonder.json" 'd["count"]')"
check_grep "their own words are kept (nothing lost)" "FOTOWOORD" "$TMP/zonder.json"
check_eq "each is marked as the photo's, not confirmed" "True True True" \
	"$(json_get "$TMP/zonder.json" '" ".join(str(e["words_unconfirmed"]) for e in d["entries"])')"
check_eq "--json says where the caption came from" "photo photo photo" \
	"$(json_get "$TMP/zonder.json" '" ".join(e["words_from"]["caption"] for e in d["entries"])')"
ids=$(json_get "$TMP/zonder.json" '" ".join(str(e["id"]) for e in d["entries"])')
set -- $ids
first=$1; second=$2; third=$3
pv show "$first" >"$TMP/show.out"
check_grep "show says the words came from inside the photo" "^Words from +.*caption: photo" "$TMP/show.out"
check_grep "show says no poster uses them until confirmed" "not yet confirmed" "$TMP/show.out"

run "$TMP/b1.out" "$TMP/b1.err" pv bundle --tag zonder -o "$TMP/zonder1.zip"
check_eq "a poster bundle of only such entries is refused (exit 1)" "1" "$rc"
check_grep "it says why, naming the photo's words" "Entry $first cannot go on a poster: its words were read from inside the photo" "$TMP/b1.err"
check "nothing was written" test ! -e "$TMP/zonder1.zip"
check "an internal bundle may use them" pv bundle --tag zonder --purpose internal -o "$TMP/intern.zip"

check "edit --confirm confirms the photo's words" pv edit "$first" --confirm
check_eq "confirmed words say so in --json" "photo, confirmed|False" \
	"$(pv show --json "$first" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["words_from"]["caption"] + "|" + str(e["words_unconfirmed"]))')"
check "new words replace the photo's" pv edit "$second" --title "Het plein" --caption "Waar we altijd afspreken."
check_eq "replaced words are staff's; the untouched title of the third stays the photo's" "staff|staff" \
	"$(pv show --json "$second" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["words_from"]["title"] + "|" + e["words_from"]["caption"])')"
pv bundle --json --tag zonder -o "$TMP/zonder2.zip" >"$TMP/b2.json" 2>"$TMP/b2.err"
check_eq "now the poster takes the confirmed and the replaced entry, not the third" "$first $second" \
	"$(json_get "$TMP/b2.json" '" ".join(str(e["id"]) for e in d["entries"])')"
check_eq "and lists the third as left out" "$third" \
	"$(json_get "$TMP/b2.json" '" ".join(str(e["id"]) for e in d["left_out"])')"
check "edit --confirm on an entry with nothing to confirm is fine" pv edit "$second" --confirm
pv log --json >"$TMP/log.json"
check_grep "the confirmation is in the audit trail" "words from the photo confirmed" "$TMP/log.json"
check_nogrep "the log holds none of the words" "FOTOWOORD|FOTOTEKST" "$TMP/log.json"

done_testing
