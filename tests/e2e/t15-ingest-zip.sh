#!/bin/sh
# Zip submissions: read without extracting, members follow the rules of loose
# files (caption files matched inside the zip, participant from the folder),
# unsafe members refused, zip bombs stopped, a zip with bad members
# quarantined whole after its good photos were taken, a good zip removed.
. "$(dirname "$0")/lib.sh"

S="$ROOT/sample-media/drop"
count() { pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }
# ---- a good zip: every photo taken, captions matched, the zip removed -------
new_archive
D="$A/drop"
mkdir -p "$D/fenna"
mkzip "$D/inzending-maart.zip" \
	"inzending-maart/de-klik.jpg=$S/de-klik.jpg" "inzending-maart/de-klik.txt=$S/de-klik.txt" \
	"sem/DSC_0012.JPG=$S/sem/DSC_0012.JPG" "sem/DSC_0012.txt=$S/sem/DSC_0012.txt" \
	"__MACOSX/sem/._DSC_0012.JPG=@finder bookkeeping"
mkzip "$D/fenna/telefoon.zip" "IMG_2041.jpg=$S/fenna/IMG_2041.jpg" \
	"IMG_2041.txt=$S/fenna/IMG_2041.txt"
run "$TMP/out" "$TMP/err" pv ingest --json
check_eq "ingest of good zips exits 0" 0 "$rc"
check_eq "every photo in the zips became an entry" 3 "$(count)"
check "the report is one JSON document" python3 -m json.tool "$TMP/out"
check_grep "a member is reported as ZIP/NAME" '"file": "inzending-maart.zip/sem/DSC_0012.JPG"' "$TMP/out"
check_eq "the zips left the drop folder" "" "$(find "$D" -name '*.zip')"
check_eq "nothing was quarantined" 0 "$(find "$D/.quarantine" -type f | wc -l)"
pv list --json >"$TMP/list.json"
python3 - "$TMP/list.json" >"$TMP/check.txt" 2>&1 <<'PY'
import json, sys
e = {x["title"]: x for x in json.load(open(sys.argv[1]))["entries"]}
problems = []
def want(title, key, value):
    got = e.get(title, {}).get(key)
    if got != value: problems.append(f"{title}: {key} is {got!r}, expected {value!r}")
want("De klik", "participant", "Noor")          # from its caption file
want("De eerste keer", "participant", "sem")    # the member's folder
want("Mijn eigen plek", "participant", "fenna") # the zip's folder
want("Mijn eigen plek", "consent", "public")
print("\n".join(problems)); sys.exit(1 if problems else 0)
PY
if [ $? -eq 0 ]; then ok "captions inside the zip are matched and participants set"; else fail "captions inside the zip are matched and participants set" "$(cat "$TMP/check.txt")"; fi
check_eq "nothing of a zip was extracted in the archive's tmp folder" "" "$(ls -A "$A/tmp")"

# the same zip again: duplicates, reported and not stored, the zip removed
mkzip "$D/nog-eens.zip" "de-klik.jpg=$S/de-klik.jpg" "de-klik.txt=$S/de-klik.txt"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "a zip of photos already taken exits 0" 0 "$rc"
check_grep "its photo is reported as already in the archive" '^same .*nog-eens.zip/de-klik.jpg' "$TMP/out"
check_eq "no entry twice" 3 "$(count)"
check_eq "the zip is removed" "" "$(find "$D" -name 'nog-eens.zip')"

# ---- unsafe members: refused, listed, the zip quarantined whole --------------
new_archive
D="$A/drop"
mkzip "$D/gemengd.zip" "goed.jpg=$S/de-klik.jpg" "goed.txt=@Onderschrift: Uit een zip." \
	"../evil.jpg=$S/de-klik.jpg" "/etc/absoluut.jpg=$S/de-klik.jpg" \
	"map/../../ook-fout.jpg=$S/de-klik.jpg" "notities.pdf=@%PDF-1.4 geen foto" \
	"bom.jpg=@zeros:20000000" "los.txt=@Onderschrift: zonder foto"
python3 - "$D/gemengd.zip" <<'PY'
import sys, zipfile
# a symbolic link member, as unzip would restore it
with zipfile.ZipFile(sys.argv[1], "a") as z:
    info = zipfile.ZipInfo("link.jpg")
    info.create_system = 3
    info.external_attr = (0o120777 << 16)
    z.writestr(info, "/etc/passwd")
PY
cp "$D/gemengd.zip" "$TMP/gemengd.zip"
mkdir -p "$D/sem"
cp "$S/sem/DSC_0019.JPG" "$D/sem/"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "a zip with bad members exits 1" 1 "$rc"
check_eq "the good member and the loose photo beside it are taken" 2 "$(count)"
check_grep "the good member keeps its caption from inside the zip" '"caption": "Uit een zip."' "$(pv show 1 --json >"$TMP/s.json"; echo "$TMP/s.json")"
Q="$D/.quarantine"
check "the zip is in quarantine" test -f "$Q/gemengd.zip"
check "byte for byte: nothing in it is lost" cmp "$Q/gemengd.zip" "$TMP/gemengd.zip"
R="$Q/gemengd.zip.reason.txt"
check_grep "the reason lists ../evil.jpg" "^\.\./evil\.jpg: .*'\.\.'" "$R"
check_grep "the reason lists the absolute path" '^/etc/absoluut.jpg: .*absolute' "$R"
check_grep "the reason lists the hidden climb out" "^map/\.\./\.\./ook-fout\.jpg: .*'\.\.'" "$R"
check_grep "the reason lists the link" '^link.jpg: .*link' "$R"
check_grep "the reason names the PDF by its content" '^notities.pdf: .*PDF' "$R"
check_grep "the reason stops the zip bomb" '^bom.jpg: .*times its packed size' "$R"
check_grep "the reason lists the caption file without a photo" '^los.txt: .*no photo' "$R"
check_grep "stderr says so in one line" '^photovoice: gemengd.zip: 7 files in this zip could not be taken' "$TMP/err"
check_eq "nothing of the bad members was written anywhere outside" "" "$(ls "$A/../evil.jpg" "$TMP/evil.jpg" /etc/absoluut.jpg 2>/dev/null)"
check_eq "the drop folder is empty but for quarantine" 0 "$(find "$D" -path "$Q" -prune -o -type f -print | wc -l)"

# ---- caption files: at most 16 MB of text from one zip is held in memory -------
new_archive
D="$A/drop"
python3 - "$D/veel-tekst.zip" "$S/de-klik.jpg" <<'PY'
import base64, random, sys, zipfile
rnd = random.Random(4)
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(17):   # 17 caption files of 1 MB of text, before the photo's own
        z.writestr(f"tekst-{i:02d}.txt", base64.b64encode(rnd.randbytes(786000)).decode())
    z.write(sys.argv[2], "foto.jpg")
    z.writestr("foto.txt", "Onderschrift: de laatste druppel\n")
PY
run "$TMP/out" "$TMP/err" pv ingest
check_eq "a zip with too much caption text exits 1" 1 "$rc"
check_grep "the photo whose caption file is over the limit is refused, saying why" '^foto.jpg: .*more than 16 MB of text' "$D/.quarantine/veel-tekst.zip.reason.txt"
check_eq "and nothing was entered" 0 "$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"

# ---- a zip that is not one, and an empty one ---------------------------------
new_archive
D="$A/drop"
printf 'PK\003\004 dit is geen echte zip' >"$D/kapot.zip"
python3 -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1], "w").close()' "$D/leeg.zip"
head -c 5000 "$TMP/gemengd.zip" >"$D/afgebroken.zip"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "broken and empty zips exit 1" 1 "$rc"
for f in kapot.zip leeg.zip afgebroken.zip; do
	check "$f is in quarantine with its reason" test -s "$D/.quarantine/$f.reason.txt"
done
check_grep "the damaged zip's reason says it could not be read" 'could not be read' "$D/.quarantine/kapot.zip.reason.txt"
check_grep "the cut-off zip's reason says it could not be read" 'could not be read' "$D/.quarantine/afgebroken.zip.reason.txt"
check_grep "the empty zip's reason says it holds no photos" 'no photo' "$D/.quarantine/leeg.zip.reason.txt"

done_testing
