#!/bin/sh
# scrub and inspect on loose files: inspect shows GPS before, scrub -o DIR
# writes clean copies, inspect (and exiftool, when installed) finds nothing
# after; usage errors, bad inputs and --in-place.
. "$(dirname "$0")/lib.sh"

IN="$TMP/in"; OUT="$TMP/out"; BAD="$TMP/bad"
mkdir -p "$IN" "$BAD"

# ---- inputs: the sample photos (generated here when missing) and the corpus
SAMPLES="$ROOT/sample-media/drop"
if ! ls "$SAMPLES"/*.jpg >/dev/null 2>&1 && [ -x "$BUILD/mksample" ]; then
	SAMPLES="$TMP/samples"
	"$BUILD/mksample" "$SAMPLES" >/dev/null 2>&1
fi
for f in "$SAMPLES"/*.jpg "$SAMPLES"/*/*.jpg "$SAMPLES"/*/*.JPG; do
	[ -f "$f" ] && cp "$f" "$IN/"
done
CORPUS="$ROOT/../shared/corpus"
for d in gps cameras orientation; do
	[ -d "$CORPUS/$d" ] && cp "$CORPUS/$d"/*.jpg "$IN/"
done
nin=$(ls "$IN" | wc -l)
if [ "$nin" -eq 0 ]; then
	skip "no sample photos (run make sample-media) and no corpus"
	done_testing; exit $?
fi

# ---- inspect before: GPS is there ------------------------------------------
run "$TMP/before.out" "$TMP/before.err" "$PV" inspect "$IN"/*
check_eq "inspect reads every input (exit 0)" 0 "$rc"
check_grep "inspect shows a Location heading" '^  Location$' "$TMP/before.out"
check_grep "inspect shows the GPS latitude" 'GPS latitude: ' "$TMP/before.out"
check_grep "inspect shows device findings" '^  Device and serial numbers$' "$TMP/before.out"
"$PV" inspect --json "$IN"/* >"$TMP/before.json"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert any(x["group"] == "location" for f in d["files"] for x in f["findings"])
assert not all(f["clean"] for f in d["files"])
' "$TMP/before.json"; then ok "inspect --json before lists location findings"
else fail "inspect --json before lists location findings" "$(head -c 1000 "$TMP/before.json")"; fi

# ---- scrub -o DIR ----------------------------------------------------------
run "$TMP/scrub.out" "$TMP/scrub.err" "$PV" scrub -o "$OUT" "$IN"/*
check_eq "scrub -o exits 0" 0 "$rc"
check_eq "scrub wrote one clean copy per input" "$nin" "$(ls "$OUT" | wc -l)"
check_eq "scrub says one line per file" "$nin" "$(wc -l <"$TMP/scrub.out")"
check_grep "scrub says what it removed" ': removed Exif.*GPS position' "$TMP/scrub.out"
check_eq "scrub prints nothing on stderr" "" "$(cat "$TMP/scrub.err")"

# ---- inspect after: nothing identifying ------------------------------------
run "$TMP/after.out" "$TMP/after.err" "$PV" inspect "$OUT"/*
check_eq "inspect after scrub exits 0" 0 "$rc"
check_eq "every scrubbed file: nothing identifying" "$nin" \
	"$(grep -c 'Nothing identifying found\.' "$TMP/after.out")"
check_nogrep "no location, device or people left" \
	'Location|Device|People|Hidden|GPS|serial' "$TMP/after.out"
run "$TMP/after.json" "$TMP/after.err" "$PV" inspect --json "$OUT"/*
check "inspect --json is valid JSON" python3 -m json.tool "$TMP/after.json"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["files"]) == int(sys.argv[2])
for f in d["files"]:
    assert f["clean"] is True and f["findings"] == [], f["file"]
    assert f["width"] > 0 and f["height"] > 0
    for k in ("Exif", "XMP", "IPTC", "comment", "trailer", "MPF"):
        assert k != "Exif" or f["segments"].get(k, 0) <= 1
        assert k == "Exif" or k not in f["segments"], (f["file"], k)
' "$TMP/after.json" "$nin"; then ok "inspect --json after: every file clean"
else fail "inspect --json after: every file clean" "$(head -c 1500 "$TMP/after.json")"; fi

# ---- exiftool agrees (when installed) --------------------------------------
if command -v exiftool >/dev/null 2>&1; then
	: >"$TMP/exiftool.left"
	for f in "$OUT"/*; do
		exiftool -a -G1 -s "$f" | grep -vE '^\[(ExifTool|System|File|JFIF|ICC_Profile|ICC-[A-Za-z]+|Adobe|Composite)\]' |
			grep -vE '^\[IFD0\] +Orientation +:' | sed "s|^|$(basename "$f"): |" >>"$TMP/exiftool.left"
	done
	if [ -s "$TMP/exiftool.left" ]; then
		fail "exiftool finds only File/JFIF/ICC/Adobe/Composite (and IFD0:Orientation)" "$(head -20 "$TMP/exiftool.left")"
	else
		ok "exiftool finds only File/JFIF/ICC/Adobe/Composite (and IFD0:Orientation)"
	fi
	# an IFD0 group holds Orientation alone
	bad=0
	for f in "$OUT"/*; do
		n=$(exiftool -a -G1 -s "$f" | grep -cE '^\[(IFD0|IFD1|ExifIFD|GPS)\]')
		[ "$n" -le 1 ] || bad=1
	done
	check_eq "the fallback Exif block holds Orientation alone" 0 "$bad"
else
	skip "exiftool is not installed"
	skip "exiftool is not installed"
fi

# ---- usage errors ----------------------------------------------------------
one=$(ls "$IN"/* | head -1)
run "$TMP/u.out" "$TMP/u.err" "$PV" scrub "$one"
check_eq "scrub without -o or --in-place is a usage error (2)" 2 "$rc"
run "$TMP/u.out" "$TMP/u.err" "$PV" scrub -o "$TMP/x" --in-place "$one"
check_eq "scrub with both -o and --in-place is a usage error (2)" 2 "$rc"
run "$TMP/u.out" "$TMP/u.err" "$PV" scrub -o "$TMP/x"
check_eq "scrub without files is a usage error (2)" 2 "$rc"
run "$TMP/u.out" "$TMP/u.err" "$PV" inspect
check_eq "inspect without files is a usage error (2)" 2 "$rc"
run "$TMP/u.out" "$TMP/u.err" "$PV" inspect --bogus "$one"
check_eq "inspect with an unknown option is a usage error (2)" 2 "$rc"

# ---- never overwrites ------------------------------------------------------
run "$TMP/o.out" "$TMP/o.err" "$PV" scrub -o "$OUT" "$one"
check_eq "scrub refuses to overwrite a file in DIR (exit 1)" 1 "$rc"
check_grep "and says it exists already" 'exists already' "$TMP/o.err"

# ---- bad inputs ------------------------------------------------------------
: >"$BAD/empty.jpg"
echo "Dit is geen foto, alleen tekst." >"$BAD/text.jpg"
head -c 1000 "$one" >"$BAD/truncated.jpg"
for b in empty text truncated; do
	run "$TMP/b.out" "$TMP/b.err" "$PV" scrub -o "$TMP/badout" "$BAD/$b.jpg"
	check_eq "scrub $b.jpg exits 1" 1 "$rc"
	check_eq "scrub $b.jpg says one line on stderr" 1 "$(wc -l <"$TMP/b.err")"
	check_grep "scrub $b.jpg names the file in a sentence" "^photovoice: .*$b\.jpg: .*\.$" "$TMP/b.err"
	check_eq "scrub $b.jpg writes nothing" "" "$(ls -A "$TMP/badout" 2>/dev/null)"
	run "$TMP/b.out" "$TMP/b.err" "$PV" inspect "$BAD/$b.jpg"
	check_eq "inspect $b.jpg exits 1" 1 "$rc"
	check_eq "inspect $b.jpg says one line on stderr" 1 "$(wc -l <"$TMP/b.err")"
done
run "$TMP/m.out" "$TMP/m.err" "$PV" scrub -o "$TMP/mixed" "$BAD/text.jpg" "$one"
check_eq "a bad file among good ones: exit 1" 1 "$rc"
check_eq "the good one is still written" 1 "$(ls "$TMP/mixed" | wc -l)"

# ---- --in-place ------------------------------------------------------------
mkdir -p "$TMP/inplace"
cp "$one" "$TMP/inplace/photo.jpg"
run "$TMP/i.out" "$TMP/i.err" "$PV" scrub --in-place "$TMP/inplace/photo.jpg"
check_eq "scrub --in-place exits 0" 0 "$rc"
run "$TMP/i.out" "$TMP/i.err" "$PV" inspect "$TMP/inplace/photo.jpg"
check_grep "the file is clean afterwards" 'Nothing identifying found' "$TMP/i.out"
check_eq "no temporary files are left" "photo.jpg" "$(ls -A "$TMP/inplace")"

done_testing
