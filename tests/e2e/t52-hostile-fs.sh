#!/bin/sh
# Filesystem hostility: links in the drop folder, a FIFO, files that vanish
# or grow while ingest reads them, a full disk (a 2 MB tmpfs when we may
# mount, and a file size limit in any case), and a read-only archive. Always:
# a clear sentence, no partial file left in the archive, nothing lost from
# the drop folder.
. "$(dirname "$0")/lib.sh"

STATE="python3 $ROOT/tests/e2e/archive_state.py"
val() { sed -n "s/^$1 //p" "$TMP/state"; }
# pool NAME N MEGAPIXELS: N photos foto-i.jpg with caption NAME-i in $TMP/NAME
pool() {
	"$BUILD/mksample" --bench "$2" --megapixels "$3" "$TMP/made-$1" >/dev/null
	mkdir -p "$TMP/$1"
	i=0
	for f in "$TMP/made-$1"/*.jpg; do
		i=$((i + 1))
		mv "$f" "$TMP/$1/foto-$i.jpg"
		printf 'Onderschrift: %s-%d\n' "$1" "$i" >"$TMP/$1/foto-$i.txt"
	done
	rmdir "$TMP/made-$1"
}
# no file in media/ without its entry and no partial file in tmp/
check_no_partial() {
	check_eq "$1: no orphan or partial file in media/" 0 "$(val orphans)"
	check_eq "$1: nothing left in tmp/" 0 "$(val tmp_files)"
	check_eq "$1: every entry has its photo" 0 "$(val missing_media)"
	check_eq "$1: integrity_check ok" ok "$(val integrity)"
}
# every stored photo still passes the privacy check and matches its name
check_media_clean() {
	bad=0
	for f in $(find "$A/media" -type f -name '*.jpg' ! -name '*.*.jpg'); do
		sum=$(sha256sum "$f" | cut -d' ' -f1)
		[ "$(basename "$f" .jpg)" = "$sum" ] || bad=$((bad + 1))
	done
	check_eq "$1: every stored photo matches the checksum it is named by" 0 "$bad"
}

pool good 6 0.02
one="$TMP/good/foto-1.jpg"

# ---- links ------------------------------------------------------------------
new_archive
mkdir -p "$TMP/outside/dir"
cp "$TMP/good/foto-2.jpg" "$TMP/outside/secret.jpg"
cp "$TMP/good/foto-3.jpg" "$TMP/outside/dir/inside.jpg"
cp "$TMP/good/foto-4.jpg" "$TMP/outside/hard.jpg"
sha_secret=$(sha256sum "$TMP/outside/secret.jpg" | cut -d' ' -f1)
ln -s "$TMP/outside/secret.jpg" "$A/drop/link.jpg"
ln -s "$TMP/outside/dir" "$A/drop/linkdir"
ln -s /etc "$A/drop/etc"
ln -s "$A/drop/loop" "$A/drop/loop"
ln "$TMP/outside/hard.jpg" "$A/drop/hard.jpg"
cp "$TMP/good/foto-5.jpg" "$A/drop/twice-a.jpg"
ln "$A/drop/twice-a.jpg" "$A/drop/twice-b.jpg"
run "$TMP/out" "$TMP/err" pv ingest
check_eq "links in the drop folder: ingest exits 1 (links set aside)" 1 "$rc"
for l in link.jpg linkdir etc loop; do
	if [ -L "$A/drop/.quarantine/$l" ]; then ok "symlink $l is in quarantine, still a link"; else fail "symlink $l is in quarantine, still a link" "$(ls -la "$A/drop" "$A/drop/.quarantine")"; fi
	check_grep "stderr says $l is a link that is never followed" "^photovoice: $l: .*link" "$TMP/err"
done
check_eq "the symlink's target outside the drop folder is untouched" "$sha_secret" "$(sha256sum "$TMP/outside/secret.jpg" | cut -d' ' -f1)"
check "the linked folder's content is untouched" test -f "$TMP/outside/dir/inside.jpg"
check_eq "nothing behind a link was taken in; the hard links were" 2 "$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
check "a hard-linked photo's other name outside the drop folder is untouched" cmp "$TMP/outside/hard.jpg" "$TMP/good/foto-4.jpg"
check "a photo with two names in the drop folder: both names are gone" test ! -e "$A/drop/twice-a.jpg" -a ! -e "$A/drop/twice-b.jpg"
check_grep "the second name is reported as already in the archive" 'twice-b.jpg.*already' "$TMP/out"

# ---- an archive below a linked folder; a catalogue that is a link -----------
# A home folder on another disk is often a link: the archive works through it.
mkdir -p "$TMP/real-home"
ln -s "$TMP/real-home" "$TMP/home-link"
run "$TMP/out" "$TMP/err" "$PV" --archive "$TMP/home-link/archief" init
check_eq "an archive below a linked folder can be made" 0 "$rc"
cp "$one" "$TMP/home-link/archief/drop/door-de-link.jpg"
run "$TMP/out" "$TMP/err" "$PV" --archive "$TMP/home-link/archief" ingest --quiet
check_eq "and photos are taken into it" 0 "$rc"
check_eq "and listed from it" 1 "$("$PV" --archive "$TMP/home-link/archief" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
# the catalogue file itself replaced by a link to another catalogue: refused
mkdir -p "$TMP/other"
mv "$TMP/real-home/archief/catalogue.db" "$TMP/other/catalogue.db"
ln -s "$TMP/other/catalogue.db" "$TMP/real-home/archief/catalogue.db"
run "$TMP/out" "$TMP/err" "$PV" --archive "$TMP/home-link/archief" list
check "a catalogue file that is a link is refused" test "$rc" -ne 0
check_grep "with a sentence" '^photovoice: .*catalogue' "$TMP/err"
# the archive folder itself a link (someone swapped it for one): refused,
# and nothing is written where the link points
rm "$TMP/real-home/archief/catalogue.db"
mv "$TMP/other/catalogue.db" "$TMP/real-home/archief/catalogue.db"
ln -s "$TMP/real-home/archief" "$TMP/archief-link"
cp "$one" "$TMP/real-home/archief/drop/via-link.jpg"
run "$TMP/out" "$TMP/err" "$PV" --archive "$TMP/archief-link" ingest
check "an archive folder that is a link is refused" test "$rc" -ne 0
check_grep "with a sentence that says so" '^photovoice: .*is a link' "$TMP/err"
check "and the photo in its drop folder is untouched" test -f "$TMP/real-home/archief/drop/via-link.jpg"
run "$TMP/out" "$TMP/err" "$PV" --archive "$TMP/archief-link" init
check "init refuses it too" test "$rc" -ne 0

# ---- a FIFO, a folder named like a photo --------------------------------------
new_archive
mkfifo "$A/drop/pipe.jpg"
mkdir "$A/drop/map.jpg"
cp "$one" "$A/drop/map.jpg/in-map.jpg"
if command -v timeout >/dev/null 2>&1; then
	run "$TMP/out" "$TMP/err" timeout 30 "$PV" ingest
	check "a FIFO in the drop folder does not make ingest hang" test "$rc" -ne 124
	check "the FIFO is not lost (left in drop/ or set aside)" test -p "$A/drop/pipe.jpg" -o -p "$A/drop/.quarantine/pipe.jpg"
	check_eq "the photo inside a folder named map.jpg is taken" 1 "$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
	run "$TMP/out" "$TMP/err" timeout 30 "$PV" inspect "$A/drop/pipe.jpg"
	check "inspect of a FIFO does not hang" test "$rc" -ne 124
	check_grep "inspect of a FIFO says it is not a regular file" 'not a regular file' "$TMP/err"
else
	skip "timeout(1) is not installed"
fi

# ---- files that vanish while ingest runs --------------------------------------
pool gone 40 0.02
new_archive
cp "$TMP"/gone/* "$A/drop/"
"$PV" ingest --quiet >"$TMP/out" 2>"$TMP/err" &
pid=$!
# delete the odd photos (and their captions) from under it, last first
for i in $(seq 39 -2 1); do rm -f "$A/drop/foto-$i.jpg" "$A/drop/foto-$i.txt"; done
wait "$pid"; rc=$?
check "files vanishing during ingest: it exits 0 or 1" test "$rc" -le 1
check_nogrep "files vanishing during ingest: no sanitizer report" 'Sanitizer|runtime error' "$TMP/err"
$STATE "$PV" "$A" "$A/drop" gone 40 >"$TMP/state"
check_no_partial "files vanishing"
lost_even=$(val lost_list | tr ',' '\n' | grep -E '^[0-9]*[02468]$' | wc -l)
check_eq "files vanishing: every photo not deleted is in the archive or in drop/" 0 "$lost_even"
check_eq "files vanishing: none entered twice" 0 "$(val doubled)"
check_media_clean "files vanishing"

# ---- a photo still being written when ingest runs -------------------------------
new_archive
full="$TMP/good/foto-6.jpg"
size=$(wc -c <"$full")
half=$((size / 2))
exec 3>"$A/drop/growing.jpg"
head -c "$half" "$full" >&3
run "$TMP/out" "$TMP/err" pv ingest
tail -c +$((half + 1)) "$full" >&3
exec 3>&-
# the complete photo must exist somewhere: still in drop/, in quarantine, or
# in the archive as its complete scrubbed self
mkdir -p "$TMP/scrubbed"
pv scrub -o "$TMP/scrubbed" "$full" >/dev/null 2>&1
want=$(sha256sum "$TMP/scrubbed/foto-6.jpg" | cut -d' ' -f1)
kept=no
for f in "$A/drop/growing.jpg" "$A/drop/.quarantine/growing.jpg"; do
	[ -f "$f" ] && cmp -s "$f" "$full" && kept=yes
done
pv list --json | grep -q "\"$want\"" && kept=yes
check_eq "a photo still being copied is never lost (taken whole, or left whole)" yes "$kept"

# ---- a full disk: a 2 MB tmpfs -------------------------------------------------
pool big 24 0.4
if [ "$(id -u)" = 0 ] && mkdir -p "$TMP/small" && mount -t tmpfs -o size=2m tmpfs "$TMP/small" 2>/dev/null; then
	A="$TMP/small/archive"
	export PHOTOVOICE_ARCHIVE="$A"
	pv init >/dev/null
	D="$TMP/bigdrop"
	cp -r "$TMP/big" "$D"
	run "$TMP/out" "$TMP/err" pv ingest --drop "$D"
	check "a full disk: ingest does not claim success" test "$rc" -ne 0
	check "a full disk: ingest exits 1 or 3" test "$rc" -eq 1 -o "$rc" -eq 3
	check_grep "a full disk: stderr says the disk is full" '([Ss]pace|full)' "$TMP/err"
	check_nogrep "a full disk: no sanitizer report" 'Sanitizer|runtime error' "$TMP/err"
	$STATE "$PV" "$A" "$D" big 24 >"$TMP/state"
	check_no_partial "a full disk"
	check_eq "a full disk: nothing lost from the drop folder" 0 "$(val lost)"
	check_eq "a full disk: nothing set aside for it" 0 "$(val quarantined)"
	check "a full disk: some photos were left in the drop folder" test "$(val in_drop)" -gt 0
	mount -o remount,size=64m "$TMP/small"
	run "$TMP/out" "$TMP/err" pv ingest --drop "$D"
	check_eq "with space again, the next ingest exits 0" 0 "$rc"
	$STATE "$PV" "$A" "$D" big 24 >"$TMP/state"
	check_eq "with space again, every photo is in, once" "24 0 0" "$(val entries) $(val in_drop) $(val doubled)"

	# ---- a read-only archive ------------------------------------------------
	cp -r "$TMP/good" "$TMP/rodrop"
	mount -o remount,ro "$TMP/small"
	run "$TMP/out" "$TMP/err" pv ingest --drop "$TMP/rodrop"
	check "a read-only archive: ingest exits 1 or 3" test "$rc" -eq 1 -o "$rc" -eq 3
	check_grep "a read-only archive: stderr says so in a sentence" '^photovoice: .*[Rr]ead-only.*\.' "$TMP/err"
	check_eq "a read-only archive: every photo is still in the drop folder" 12 "$(find "$TMP/rodrop" -type f | wc -l)"
	run "$TMP/out" "$TMP/err" pv list
	check "a read-only archive: list still works or says why" test "$rc" -eq 0 -o "$rc" -eq 3
	umount "$TMP/small"
	A="$TMP/archive"
	export PHOTOVOICE_ARCHIVE="$A"
else
	skip "cannot mount a small tmpfs here (not root, or no permission): full disk"
	skip "cannot mount a small tmpfs here: read-only archive"
fi

# ---- a file size limit (RLIMIT_FSIZE): writes fail with EFBIG ----------------------
pool huge 2 2
new_archive
cp "$TMP"/huge/* "$A/drop/"
# 60% of a photo, in the 512-byte blocks of POSIX sh's ulimit -f: enough for
# the catalogue, not for a photo
smallest=$(wc -c "$TMP"/huge/*.jpg | sort -n | head -n 1 | awk '{print $1}')
blocks=$(( smallest * 6 / 10 / 512 ))
run "$TMP/out" "$TMP/err" sh -c "trap '' XFSZ; ulimit -f $blocks; exec \"\$0\" ingest" "$PV"
check "a file size limit: ingest exits 1 or 3" test "$rc" -eq 1 -o "$rc" -eq 3
check_grep "a file size limit: stderr says a photo could not be stored" '^photovoice: .*(stored|large|written).*\.' "$TMP/err"
$STATE "$PV" "$A" "$A/drop" huge 2 >"$TMP/state"
check_no_partial "a file size limit"
check_eq "a file size limit: both photos are still in the drop folder" "0 2" "$(val entries) $(val in_drop)"

done_testing
