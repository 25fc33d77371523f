#!/bin/sh
# Issue 16: every sentence photovoice says goes through gettext, and Dutch is
# complete. The catalogue: every message in the code (po/mkpot.sh, as `make
# pot` collects them) has a Dutch translation in po/nl.po that is not fuzzy,
# and every translation keeps the placeholders of its English (msgfmt
# --check-format). The languages: the README's tour speaks Dutch under
# LANG=nl_NL.UTF-8 and English under LANG=C.UTF-8; PHOTOVOICE_LANG overrides
# the locale both ways; machine output (--json, exit statuses) is the same
# bytes in both. The web pages hold no Dutch of their own (t78 checks that
# they speak Dutch by default and English when asked).
. "$(dirname "$0")/lib.sh"

# tests/run.sh asks for English; this test chooses the language itself
unset PHOTOVOICE_LANG LANGUAGE LC_ALL LC_MESSAGES

# ---- the catalogue --------------------------------------------------------
if ! command -v xgettext >/dev/null || ! command -v msgmerge >/dev/null; then
	skip "the gettext tools are not installed (make deps installs gettext)"
else
	sh "$ROOT/po/mkpot.sh" "$TMP/code.pot"
	check "the messages of the code can be collected" test -s "$TMP/code.pot"
	msgmerge --quiet --no-wrap --no-fuzzy-matching -o "$TMP/nl.po" "$ROOT/po/nl.po" \
		"$TMP/code.pot"
	msgattrib --untranslated --no-obsolete "$TMP/nl.po" | grep '^msgid ' | sed 1d >"$TMP/untranslated"
	check_eq "every message in the code has a Dutch translation" "" "$(head -5 "$TMP/untranslated")"
	msgattrib --only-fuzzy --no-obsolete "$ROOT/po/nl.po" | grep '^msgid ' | sed 1d >"$TMP/fuzzy"
	check_eq "no Dutch translation is fuzzy (to be checked)" "" "$(head -5 "$TMP/fuzzy")"
	check "every translation keeps the placeholders of its English" \
		msgfmt --check --check-format -o /dev/null "$ROOT/po/nl.po"
	# msgfmt checks placeholders only where the entry says c-format
	python3 - "$TMP/code.pot" >"$TMP/unflagged" <<'PY'
import re, sys
for block in open(sys.argv[1], encoding="utf-8").read().split("\n\n"):
    m = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
    if not m:
        continue
    msgid = "".join(re.findall(r'"(.*)"', m.group(1)))
    if re.search(r"%[-0-9.]*[a-zA-Z<]", msgid) and "c-format" not in block:
        print(msgid)
PY
	check_eq "every message with a placeholder is checked as a C format" "" \
		"$(head -3 "$TMP/unflagged")"
	# a wrong translation is caught: drop a placeholder
	python3 - "$ROOT/po/nl.po" "$TMP/broken.po" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace('msgstr "Foto %lld gewist.\\n"', 'msgstr "Foto gewist.\\n"', 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
	check_not "a translation that drops a placeholder fails the check" \
		msgfmt --check --check-format -o /dev/null "$TMP/broken.po"
	# and one that swaps two
	python3 - "$ROOT/po/nl.po" "$TMP/swapped.po" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace('msgstr "Regel %u van de spec: %s"', 'msgstr "Regel %s van de spec: %u"', 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
	check_not "a translation that swaps placeholders fails the check" \
		msgfmt --check --check-format -o /dev/null "$TMP/swapped.po"
fi
# The web pages too: no sentence of src/web bypasses the catalogue. The old
# PV_L(r, "Dutch", "English") pairs are gone, and no literal outside _(),
# N_(), C_() or ngettext() reads as Dutch (assets.c's script included: it
# takes its words from the page).
check_eq "src/web has no PV_L (every page sentence goes through gettext)" "" \
	"$(grep -n 'PV_L *(' "$ROOT"/src/web/*.[ch] | head -3)"
python3 - "$ROOT" >"$TMP/dutch-literals" <<'PY'
import glob, re, sys
DUTCH = re.compile(r"\b(de|het|een|niet|je|jouw|wordt|deze|dit|naar|ook|mag|zijn|geen|nog|wie|"
                   r"kies|foto|foto's|zonder|terug|opslaan|wissen|toestemming|trefwoord|"
                   r"deelnemer|niemand|openbaar|ingelogd|versturen|bekijk|bezig)\b", re.I)
MARKED = re.compile(r'\b(?:_|N_|ngettext)\s*\(\s*$|\bC_\s*\(\s*"[^"]*"\s*,\s*$')
def literals(src):
    i = 0
    while i < len(src):
        if src.startswith("/*", i):
            i = src.index("*/", i) + 2
        elif src.startswith("//", i):
            i = src.index("\n", i)
        elif src[i] in "'\"":
            j = i + 1
            while src[j] != src[i]:
                j += 2 if src[j] == "\\" else 1
            if src[i] == '"':
                yield i, src[i + 1:j]
            i = j + 1
        else:
            i += 1
for path in sorted(glob.glob(sys.argv[1] + "/src/web/*.[ch]")):
    src = open(path, encoding="utf-8").read()
    for pos, lit in literals(src):
        before = src[:pos].rstrip()
        while before.endswith('"'):   # a literal continuing a marked one
            j = len(before) - 2
            while before[j] != '"' or before[j - 1] == "\\":
                j -= 1
            before = before[:j].rstrip()
        if not MARKED.search(before) and DUTCH.search(lit):
            print("%s:%d: %s" % (path[len(sys.argv[1]) + 1:], src.count("\n", 0, pos) + 1, lit[:70]))
PY
check_eq "no Dutch sentence in src/web outside the catalogue" "" "$(head -5 "$TMP/dutch-literals")"
check "the build compiled the Dutch catalogue" \
	test -s "$BUILD/locale/nl/LC_MESSAGES/photovoice.mo"

# ---- the tour in two languages ---------------------------------------------
nl() { LANG=nl_NL.UTF-8 "$PV" "$@"; }
en() { LANG=C.UTF-8 "$PV" "$@"; }

run "$TMP/help.nl" "$TMP/err" nl --help
check_grep "--help in Dutch under LANG=nl_NL.UTF-8" "^gebruik: photovoice" "$TMP/help.nl"
check_grep "with the commands' summaries in Dutch" "^  ingest +elke foto uit de inlevermap innemen" "$TMP/help.nl"
run "$TMP/help.en" "$TMP/err" en --help
check_grep "--help in English under LANG=C.UTF-8" "^usage: photovoice" "$TMP/help.en"
run "$TMP/out" "$TMP/err" nl bundle --help
check_grep "a command's --help: the option table's words in Dutch" "waar de bundel moet komen" "$TMP/out"
check_grep "and its headings" "^Opties:" "$TMP/out"

run "$TMP/out" "$TMP/usage.nl" nl list --bogus
check_eq "a usage error is exit 2 in Dutch" 2 "$rc"
check_grep "a usage error in Dutch" "'--bogus' is geen optie van list" "$TMP/usage.nl"
check_grep "with the 'Try' line in Dutch" "^Probeer 'photovoice list --help'" "$TMP/usage.nl"
run "$TMP/out" "$TMP/usage.en" en list --bogus
check_eq "and exit 2 in English" 2 "$rc"
check_grep "a usage error in English" "'--bogus' is not an option of list" "$TMP/usage.en"

new_archive
copy_samples
# a caption file with a consent photovoice does not know: set aside
printf 'Toestemming: misschien\n\nDe klik.\n' >"$A/drop/de-klik.txt"
run "$TMP/ingest.nl" "$TMP/ingest.nl.err" nl ingest
check_eq "ingest in Dutch: exit 1, one file set aside" 1 "$rc"
check_grep "the ingest report in Dutch" "foto's ingenomen, 2 bestanden apart gezet" "$TMP/ingest.nl"
check_grep "a line per photo in Dutch" "^foto +1 " "$TMP/ingest.nl"
check_grep "the reason a file was set aside in Dutch" \
	"geeft een toestemming die photovoice niet kent" "$TMP/ingest.nl.err"
reason=$(find "$A/drop/.quarantine" -name '*.reason.txt' | head -1)
check_grep "and in its .reason.txt" "toestemming die photovoice niet kent" "$reason"

run "$TMP/out" "$TMP/bundle.nl" nl bundle --id 1 -o "$TMP/x.zip"
check_eq "a bundle refusal is exit 1 in Dutch" 1 "$rc"
check_grep "a bundle refusal in Dutch" "Foto 1 mag niet op een poster" "$TMP/bundle.nl"
check_grep "and its end in Dutch" "er is niets geschreven" "$TMP/bundle.nl"
run "$TMP/out" "$TMP/bundle.en" en bundle --id 1 -o "$TMP/x.zip"
check_eq "and exit 1 in English" 1 "$rc"
check_grep "a bundle refusal in English" "Entry 1 cannot go on a poster" "$TMP/bundle.en"
check_eq "no bundle was written" "" "$(ls "$TMP"/x.zip 2>/dev/null)"

run "$TMP/out" "$TMP/err" nl show 2
check_grep "show's words in Dutch" "^Onderschrift " "$TMP/out"
run "$TMP/out" "$TMP/err" nl search eerste
check_grep "a search summary in Dutch, with the plural" "^[0-9]+ foto('s)? gevonden\.$" "$TMP/out"

# ---- who chooses the language ----------------------------------------------
run "$TMP/out" "$TMP/err" env PHOTOVOICE_LANG=nl LANG=C.UTF-8 "$PV" --help
check_grep "PHOTOVOICE_LANG=nl speaks Dutch under an English locale" "^gebruik:" "$TMP/out"
run "$TMP/out" "$TMP/err" env PHOTOVOICE_LANG=en LANG=nl_NL.UTF-8 "$PV" --help
check_grep "PHOTOVOICE_LANG=en speaks English under a Dutch locale" "^usage:" "$TMP/out"
run "$TMP/out" "$TMP/err" env PHOTOVOICE_LANG=nl LANGUAGE=en LANG=C "$PV" --help
check_grep "Dutch needs no nl_NL locale, and LANGUAGE does not undo the choice" "^gebruik:" "$TMP/out"
run "$TMP/out" "$TMP/err" env LC_ALL=C.UTF-8 LANG=nl_NL.UTF-8 "$PV" --help
check_grep "LC_ALL comes before LANG" "^usage:" "$TMP/out"
run "$TMP/out" "$TMP/err" env LC_MESSAGES=nl_NL.UTF-8 LANG=C.UTF-8 "$PV" --help
check_grep "LC_MESSAGES comes before LANG" "^gebruik:" "$TMP/out"
run "$TMP/out" "$TMP/err" env PHOTOVOICE_LANG=fr LANG=C.UTF-8 "$PV" --help
check_grep "a language photovoice does not speak is English" "^usage:" "$TMP/out"
run "$TMP/out" "$TMP/err" env LANG=nl_NL.UTF-8 "$BUILD/photovoice-full" list --bogus
check_grep "photovoice-full speaks the same language" "geen optie van list" "$TMP/err"

# ---- machine output is the same bytes in both languages --------------------
same_json() {
	d=$1; shift
	LANG=nl_NL.UTF-8 "$PV" "$@" >"$TMP/j.nl" 2>/dev/null; rnl=$?
	LANG=C.UTF-8 "$PV" "$@" >"$TMP/j.en" 2>/dev/null; ren=$?
	if cmp -s "$TMP/j.nl" "$TMP/j.en" && [ "$rnl" = "$ren" ] && [ -s "$TMP/j.en" ]; then
		ok "$d"
	else
		fail "$d" "exit $rnl and $ren" "$(diff "$TMP/j.nl" "$TMP/j.en" | head -10)"
	fi
}
same_json "list --json is the same in Dutch and English" list --json
same_json "show --json" show 2 --json --history
same_json "search --json" search klik --json
same_json "participants --json" participants --json
same_json "tags --json" tags --json
same_json "log --json" log --json
same_json "audit --json" audit --json
same_json "invite --list --json" invite --list --json
same_json "inspect --json, with what each finding is" inspect --json "$ROOT/sample-media/drop/de-klik.jpg"
same_json "bundle --json, with the reason an entry was left out" bundle --id 1 --id 2 --id 3 --json --force -o "$TMP/y.zip"

# ingest --json, on the same drop folder twice (its reasons inside)
for lang in nl_NL.UTF-8 C.UTF-8; do
	new_archive
	copy_samples
	printf 'Toestemming: misschien\n\nDe klik.\n' >"$A/drop/de-klik.txt"
	LANG=$lang "$PV" ingest --json >"$TMP/ingest.$lang.json" 2>/dev/null
done
if cmp -s "$TMP/ingest.nl_NL.UTF-8.json" "$TMP/ingest.C.UTF-8.json"; then
	ok "ingest --json is the same in Dutch and English, reasons included"
else
	fail "ingest --json is the same in Dutch and English, reasons included" \
		"$(diff "$TMP/ingest.nl_NL.UTF-8.json" "$TMP/ingest.C.UTF-8.json" | head -10)"
fi
check_grep "the reasons in --json are English" "consent that photovoice does not know" \
	"$TMP/ingest.nl_NL.UTF-8.json"

# ---- what photovoice reads back from a reason file is a key, never a sentence
# A caption file with other words for a photo already in the archive is kept
# in the quarantine; its reason is said in the run's language, and the key
# that forget reads is the same in both.
for lang in nl en; do
	new_archive
	cp "$ROOT/sample-media/drop/de-klik.jpg" "$A/drop/"
	PHOTOVOICE_LANG=$lang "$PV" --archive "$A" ingest >/dev/null 2>&1
	cp "$ROOT/sample-media/drop/de-klik.jpg" "$A/drop/dubbel.jpg"
	printf 'Caption: Andere woorden bij dezelfde foto\n' >"$A/drop/dubbel.txt"
	PHOTOVOICE_LANG=$lang "$PV" --archive "$A" ingest >/dev/null 2>&1
	cp "$A/drop/.quarantine/dubbel.txt.reason.txt" "$TMP/reason.$lang" 2>/dev/null
	PHOTOVOICE_LANG=$lang "$PV" --archive "$A" forget 1 >/dev/null 2>&1
	check "forget finds the caption file kept aside ($lang)" test ! -e "$A/drop/.quarantine/dubbel.txt"
done
check_grep "the reason of a caption file kept aside, in Dutch" \
	"^De foto staat al in het archief als foto 1, maar met andere woorden" "$TMP/reason.nl"
check_grep "and in English" "^Its photo is already in the archive as entry 1, with other words" "$TMP/reason.en"
check_grep "with the key forget reads, in Dutch" "^photovoice-entry: 1$" "$TMP/reason.nl"
check_grep "and the same key in English" "^photovoice-entry: 1$" "$TMP/reason.en"

# reason files written before the keys (English sentences) are still read:
# by their own name, and shortened ones by the name in their first line
new_archive
cp "$ROOT/sample-media/drop/de-klik.jpg" "$A/drop/"
pv ingest >/dev/null 2>&1
Q="$A/drop/.quarantine"
mkdir -p "$Q/oud"
printf 'Caption: oud\n' >"$Q/oud/oud.txt"
printf 'Its photo is already in the archive as entry 1 with a different caption; this caption file was kept here so that no words are lost.\n' \
	>"$Q/oud/oud.txt.reason.txt"
printf 'Caption: lang\n' >"$Q/oud/lange-naam.txt"
printf 'This reason is for the file named: lange-naam.txt\n\nIts photo is already in the archive as entry 1 with a different caption; this caption file was kept here so that no words are lost.\n' \
	>"$Q/oud/lange-~0123abcd.reason.txt"
printf 'Caption: een ander\n' >"$Q/oud/ander.txt"
printf 'Its photo is already in the archive as entry 12 with a different caption; this caption file was kept here so that no words are lost.\n' \
	>"$Q/oud/ander.txt.reason.txt"
# a file that only looks like a reason file must not steer forget outside
printf 'blijft\n' >"$TMP/buiten.txt"
printf 'x\n\nphotovoice-file: ../../../../buiten.txt\nphotovoice-entry: 1\n' >"$Q/oud/vals~0123abcd.reason.txt"
LANG=nl_NL.UTF-8 "$PV" --archive "$A" forget 1 >/dev/null 2>&1
check "an old reason file (English) still leads forget to its file" test ! -e "$Q/oud/oud.txt"
check "an old shortened reason file still names its file" test ! -e "$Q/oud/lange-naam.txt"
check "a reason naming entry 12 is not entry 1" test -e "$Q/oud/ander.txt"
check "a key naming a path elsewhere is not followed" test -e "$TMP/buiten.txt"

# ---- the log: the action names are machine words, the details are said ----
new_archive
cp "$ROOT/sample-media/drop/de-klik.jpg" "$A/drop/"
pv ingest >/dev/null 2>&1
pv consent 1 poster --guardian yes --until 2031-01-31 >/dev/null
pv edit 1 --title "Een titel" >/dev/null
run "$TMP/log.nl" "$TMP/err" nl log
run "$TMP/log.en" "$TMP/err" en log
check_grep "log's details in Dutch" " consent +foto 1: poster, ouder akkoord, tot en met 2031-01-31$" "$TMP/log.nl"
check_grep "an edit's list of words in Dutch" " edit +foto 1: titel$" "$TMP/log.nl"
check_grep "and the catalogue's start" " init +catalogus aangemaakt \(schema [0-9]+\)$" "$TMP/log.nl"
check_grep "log's details in English, as stored" " consent +entry 1: poster, guardian yes, until 2031-01-31$" "$TMP/log.en"
same_json "log --json is the same, details as stored" log --json
check_grep "log --json keeps the stored English" '"entry 1: poster, guardian yes, until 2031-01-31"' "$TMP/j.nl"

# ---- sentences once built from pieces: whole sentences now ---------------
thumb=$(find "$A/media" -name '*.thumb.jpg' | head -n 1)
rm -f "$thumb"
run "$TMP/out" "$TMP/err" nl audit
check_grep "an audit problem in one Dutch sentence" "De miniatuur van foto 1 ontbreekt\." "$TMP/out"
run "$TMP/out" "$TMP/err" en audit
check_grep "and in English" "The thumbnail of entry 1 is missing\." "$TMP/out"
same_json "audit --json with the problem is the same" audit --json
pv consent 1 internal >/dev/null
run "$TMP/out" "$TMP/err" nl bundle --id 1 -o "$TMP/z.zip"
check_grep "a refusal once built from pieces, in Dutch" "Foto 1 mag niet op een poster: " "$TMP/err"

# ---- inspect: every finding and heading in Dutch --------------------------
run "$TMP/out" "$TMP/err" nl inspect "$ROOT/sample-media/drop/de-klik.jpg"
check_grep "inspect's headings in Dutch" "^  Plaats$" "$TMP/out"
check_grep "its XMP and IPTC findings in Dutch" "^    land \((XMP|IPTC)\): " "$TMP/out"
check_nogrep "no English finding left" "^    (city|country|place|creator|headline|credit|source) \(" "$TMP/out"
check_nogrep "nor English notes" "bytes; (it looks|manufacturer)|images in one file" "$TMP/out"

# ---- serve's default address, written out in its help for the translator --
default=$(sed -n 's/^#define PV_WEB_DEFAULT_LISTEN "\(.*\)"$/\1/p' "$ROOT/include/photovoice/web.h")
run "$TMP/out" "$TMP/err" en serve --help
check_grep "serve --help names the default address the server uses" "default $default;" "$TMP/out"

# ---- glibc's own sentences (strerror) in Dutch ----------------------------
if [ -f /usr/share/locale/nl/LC_MESSAGES/libc.mo ]; then
	run "$TMP/out" "$TMP/err" nl --archive /proc/geen-map/archief init
	check_grep "an OS error inside a Dutch sentence is Dutch too" \
		"kon niet worden gemaakt \(Bestand of map bestaat niet\)" "$TMP/err"
	run "$TMP/out" "$TMP/err" en --archive /proc/geen-map/archief init
	check_grep "and English in English" "could not be created \(No such file or directory\)" "$TMP/err"
else
	skip "glibc's Dutch messages are not installed (make deps installs libc-l10n)"
	skip "glibc's Dutch messages are not installed"
fi

done_testing
