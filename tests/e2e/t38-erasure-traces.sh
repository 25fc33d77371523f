#!/bin/sh
# Erasure reaches every copy (issue 12, part 3). After `forget`, no byte of
# the entry's original photo, caption or story is anywhere under the archive
# folder, its drop folder or the quarantine, in the ways ingest used to leave
# copies behind:
# - a zip with one bad member while its good member was taken (the zip went
#   to the quarantine whole, holding the taken photo's original and words);
# - a photo with a sibling that is refused and shares its caption file (an
#   iPhone Live Photo's video, an .AAE edit file), before or after it;
# - a caption file set aside with other words for a photo already in the
#   archive, under a name too long for NAME.reason.txt;
# - originals kept with --keep-originals.
# Each test plants a marker word and keeps the original's bytes, then
# searches every file after `forget`; `traces_cleared` is true only when
# nothing is left, and a zip that must stay (other people's photos) is named.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

photos 12 "$TMP/photos"
P() { echo "$TMP/photos/$(printf 'bench-%05d.jpg' "$1")"; }

# traces_left MARKER ORIGINAL: every file under the archive folder that holds
# the marker word, or 256 bytes from the middle of the original's
# compressed picture (which the cleaned photo shares), one per line
traces_left() {
	python3 - "$A" "$1" "$2" <<'PY'
import os, sys
root, marker, original = sys.argv[1], sys.argv[2].encode(), open(sys.argv[3], "rb").read()
chunk = original[len(original) // 2:len(original) // 2 + 256] or marker
for d, dirs, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        if os.path.islink(p):
            continue
        data = open(p, "rb").read()
        if marker in data or chunk in data:
            print(os.path.relpath(p, root))
PY
}

forget_json() { pv forget --json "$@" >"$TMP/forget.json" 2>"$TMP/forget.err"; rc=$?; }

# ---- a zip with a bad member, its good member taken -------------------------
new_archive
mkzip --stored "$A/drop/inzending.zip" "goed.jpg=$(P 1)" "goed.txt=@Onderschrift: Zwaluwstaart bij het raam." \
	"notities.pdf=@%PDF-1.4 geen foto" "../stiekem.jpg=$(P 2)"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "a zip with bad members exits 1" 1 "$rc"
id=$(pv list --json | json_get /dev/stdin '[e["id"] for e in d["entries"] if e["caption"] and "Zwaluwstaart" in e["caption"]][0]')
check "the good member became an entry" test -n "$id"
check "the zip is gone from the drop folder" test ! -e "$A/drop/inzending.zip"
check "and is not in the quarantine whole" test ! -e "$A/drop/.quarantine/inzending.zip"
check "the refused member is in the quarantine on its own" test -f "$A/drop/.quarantine/inzending/notities.pdf"
check_grep "with its reason" "PDF" "$A/drop/.quarantine/inzending/notities.pdf.reason.txt"
check "a member whose name climbs out is kept under a safe name" test -f "$A/drop/.quarantine/inzending/unsafe-name-4"
check_grep "its reason says why" "'\.\.'" "$A/drop/.quarantine/inzending/unsafe-name-4.reason.txt"
check_grep "stderr names each member set aside" "inzending.zip/notities.pdf" "$TMP/err"
check_eq "before forget the words are only in the catalogue" "catalogue.db" \
	"$(traces_left Zwaluwstaart /dev/null | grep -v '^media/' | sed 's/-wal$//' | sort -u | tr '\n' ' ' | sed 's/ $//')"
forget_json "$id"
check_eq "forget exits 0" 0 "$rc"
check_eq "nothing of the entry is left anywhere" "" "$(traces_left Zwaluwstaart "$(P 1)")"
check_eq "forget says every trace is cleared" True "$(json_get "$TMP/forget.json" 'd["traces_cleared"]')"
check "the refused member stays in the quarantine" test -f "$A/drop/.quarantine/inzending/notities.pdf"

# ---- a refused sibling that shares the caption file -------------------------
new_archive
mkdir -p "$A/drop/fenna"
cp "$(P 3)" "$A/drop/fenna/IMG_0101.JPG"
printf '\0\0\0\24ftypqt  \0\0\0\0qt  Roodborstlamp video\n' >"$A/drop/fenna/IMG_0101.MOV"
printf 'Titel: Roodborstlamp\nOnderschrift: Mijn kamer.\n' >"$A/drop/fenna/IMG_0101.txt"
# an edit file of Photos that sorts before its photo
cp "$(P 4)" "$A/drop/fenna/IMG_0202.jpg"
printf '<?xml version="1.0"?><plist><string>Kaketoebloem</string></plist>\n' >"$A/drop/fenna/IMG_0202.AAE"
printf 'Titel: Kaketoebloem\nOnderschrift: Buiten.\n' >"$A/drop/fenna/IMG_0202.txt"
run "$TMP/out" "$TMP/err" pv ingest
live=$(id_of Roodborstlamp); aae=$(id_of Kaketoebloem)
check "the Live Photo's picture became an entry" test -n "$live"
check "so did the photo with an edit file" test -n "$aae"
check "the video is in the quarantine" test -f "$A/drop/.quarantine/fenna/IMG_0101.MOV"
check "its caption file did not go with it (its words are the entry's)" test ! -e "$A/drop/.quarantine/fenna/IMG_0101.txt"
check "nor did the edit file's" test ! -e "$A/drop/.quarantine/fenna/IMG_0202.txt"
check_eq "the caption files left the drop folder" "" "$(ls "$A/drop/fenna/" 2>/dev/null | grep -i '\.txt$' || true)"
forget_json "$live" "$aae"
check_eq "forget exits 0" 0 "$rc"
check_eq "no caption, video or edit file of theirs is left" "" \
	"$( (traces_left Roodborstlamp "$(P 3)"; traces_left Kaketoebloem "$(P 4)") | sort -u)"
check_eq "and forget says so" True "$(json_get "$TMP/forget.json" 'd["traces_cleared"]')"

# ---- a caption file with other words, under a very long name ----------------
new_archive
long=$(python3 -c 'print("nogmaals-" + "heel-lang-" * 24)')
cp "$(P 5)" "$A/drop/eerst.jpg"
printf 'Titel: Eerste keer\n' >"$A/drop/eerst.txt"
pv ingest >/dev/null 2>&1
first=$(id_of "Eerste keer")
cp "$(P 5)" "$A/drop/$long.jpg"
printf 'Titel: Tweede keer\nOnderschrift: Ijsvogelbrug in de mist.\n' >"$A/drop/$long.txt"
pv ingest >"$TMP/out" 2>"$TMP/err"
check "the second caption file is kept aside, so that no words are lost" \
	test -f "$A/drop/.quarantine/$long.txt"
forget_json "$first"
check_eq "forget exits 0" 0 "$rc"
check_eq "the kept caption file and its reason are gone" "" "$(traces_left Ijsvogelbrug "$(P 5)"; ls "$A/drop/.quarantine" | grep -c nogmaals | grep -v '^0$' || true)"
check_eq "traces_cleared" True "$(json_get "$TMP/forget.json" 'd["traces_cleared"]')"

# ---- originals kept with --keep-originals ----------------------------------
new_archive
mkdir -p "$A/drop/sem"
cp "$(P 6)" "$A/drop/sem/bewaard.jpg"
printf 'Titel: Bewaard\nOnderschrift: Kievitsbloem op tafel.\n' >"$A/drop/sem/bewaard.txt"
pv ingest --keep-originals >/dev/null 2>&1
kept=$(id_of Bewaard)
check "the original stays in the drop folder" test -f "$A/drop/sem/bewaard.jpg"
forget_json "$kept"
check_eq "forget removes the kept original and its caption file" "" "$(traces_left Kievitsbloem "$(P 6)")"
check_eq "traces_cleared" True "$(json_get "$TMP/forget.json" 'd["traces_cleared"]')"

# ---- a caption file that holds no words is never taken for a copy ----------
new_archive
mkdir -p "$A/drop/anna"
cp "$(P 8)" "$A/drop/anna/een.jpg"
printf 'Toestemming: poster\n' >"$A/drop/anna/een.txt"
pv ingest >/dev/null 2>&1
anna=$(pv list --json --participant anna | json_get /dev/stdin 'd["entries"][0]["id"]')
# someone else's photo, waiting with a caption file that is the same, byte for byte
mkdir -p "$A/drop/bram"
cp "$(P 9)" "$A/drop/bram/twee.jpg"
printf 'Toestemming: poster\n' >"$A/drop/bram/twee.txt"
forget_json "$anna"
check_eq "forget exits 0" 0 "$rc"
check "another participant's caption file with the same bytes stays" test -f "$A/drop/bram/twee.txt"

# ---- a zip that must stay whole (a member that cannot be copied out) ----------
new_archive
mkzip --stored "$A/drop/met-bom.zip" "goed.jpg=$(P 7)" "goed.txt=@Titel: Goudvinkpad"
python3 - "$A/drop/met-bom.zip" <<'PY'
import sys, zipfile
# a member that unpacks to far more than its packed size (a zip bomb):
# photovoice never unpacks it, so it cannot be copied out on its own
with zipfile.ZipFile(sys.argv[1], "a", zipfile.ZIP_DEFLATED) as z:
    z.writestr("bom.jpg", bytes(20000000))
PY
pv ingest >"$TMP/out" 2>"$TMP/err"
zipped=$(id_of Goudvinkpad)
check "the zip is kept whole in the quarantine" test -f "$A/drop/.quarantine/met-bom.zip"
check_grep "its reason says why it is whole" "could not be copied out of it on (its|their) own" "$A/drop/.quarantine/met-bom.zip.reason.txt"
forget_json "$zipped"
check_eq "forget exits 1: a copy is left that photovoice may not remove" 1 "$rc"
check_eq "it names the zip" ".quarantine/met-bom.zip" "$(json_get "$TMP/forget.json" '" ".join(d["quarantine_zips"])')"
check_eq "and never says every trace is cleared" False "$(json_get "$TMP/forget.json" 'd["traces_cleared"]')"
check "the entry itself is erased" sh -c "! pv show $zipped >/dev/null 2>&1"
pv forget --participant nobody-here >"$TMP/nobody.out" 2>&1; rc=$?
check_eq "forget of an unknown participant exits 1" 1 "$rc"

done_testing
