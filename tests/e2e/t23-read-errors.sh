#!/bin/sh
# A file photovoice cannot read is refused in one whole sentence naming it,
# the same from every command that reads files (scrub, inspect, bundle
# --spec, edit --story-file, ingest's caption files): a folder, a missing
# file, a FIFO, a device, a file too large, a file it may not read. The
# sentence comes from the one reader (pv_read_file); no command patches it.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/in" "$TMP/out"
mkdir "$TMP/in/map.jpg"
mkfifo "$TMP/in/pijp.jpg"
truncate -s 257M "$TMP/in/groot.jpg"
cp "$(ls "$ROOT"/sample-media/drop/*.jpg | head -n 1)" "$TMP/in/dicht.jpg"
chmod 000 "$TMP/in/dicht.jpg"

# one_sentence LABEL PATH ERRFILE: one line on stderr, the file named first,
# then what is wrong with it, ending with a full stop; no clause patched in
one_sentence() {
	check_eq "$1: one line on stderr" 1 "$(wc -l <"$3")"
	check_grep "$1: one sentence naming the file" "^photovoice: $2 [a-z].*\.$" "$3"
	check_nogrep "$1: no clause patched after the name" ': it ' "$3"
}

for case in "map.jpg:folder" "weg.jpg:missing" "pijp.jpg:FIFO" "groot.jpg:too large" \
	    "dicht.jpg:unreadable" "/dev/null:device"; do
	name=${case%%:*}; what=${case#*:}
	case "$name" in /*) path=$name ;; *) path="$TMP/in/$name" ;; esac
	if [ "$what" = unreadable ] && [ "$(id -u)" = 0 ]; then
		skip "scrub and inspect of an unreadable file: root reads every file"
		continue
	fi
	run "$TMP/s.out" "$TMP/s.err" timeout 30 "$PV" scrub -o "$TMP/out" "$path"
	check_eq "scrub of a $what exits 1" 1 "$rc"
	one_sentence "scrub of a $what" "$path" "$TMP/s.err"
	run "$TMP/i.out" "$TMP/i.err" timeout 30 "$PV" inspect "$path"
	check_eq "inspect of a $what exits 1" 1 "$rc"
	one_sentence "inspect of a $what" "$path" "$TMP/i.err"
	run "$TMP/j.out" "$TMP/j.err" timeout 30 "$PV" inspect --json "$path"
	check_grep "inspect --json of a $what: the same sentence as its error" \
		"\"error\": \"$path [a-z].*\\.\"" "$TMP/j.out"
done
check_eq "nothing was written" "" "$(ls -A "$TMP/out")"

# a bad file among good ones: the good one is still done, the bad one said once
good="$TMP/goed.jpg"
cp "$(ls "$ROOT"/sample-media/drop/*.jpg | head -n 1)" "$good"
run "$TMP/m.out" "$TMP/m.err" "$PV" scrub -o "$TMP/out" "$TMP/in/map.jpg" "$good"
check_eq "a folder among photos: exit 1" 1 "$rc"
check_eq "and the photo is scrubbed" 1 "$(ls "$TMP/out" | wc -l)"
one_sentence "a folder among photos" "$TMP/in/map.jpg" "$TMP/m.err"

# the other readers: a bundle spec, a story file
new_archive
copy_samples
pv ingest --quiet >/dev/null 2>&1
first=$(pv list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][0]["id"])')
run "$TMP/b.out" "$TMP/b.err" "$PV" bundle --spec "$TMP/in/map.jpg" -o "$TMP/b.zip"
check_eq "bundle --spec of a folder exits 1" 1 "$rc"
one_sentence "bundle --spec of a folder" "$TMP/in/map.jpg" "$TMP/b.err"
run "$TMP/e.out" "$TMP/e.err" "$PV" edit "$first" --story-file "$TMP/in/weg.txt"
check_eq "edit --story-file of a missing file exits 1" 1 "$rc"
one_sentence "edit --story-file of a missing file" "$TMP/in/weg.txt" "$TMP/e.err"

# ingest: a caption file too large to read is named in the photo's reason
new_archive
cp "$good" "$A/drop/foto.jpg"
truncate -s 2M "$A/drop/foto.txt"
pv ingest --quiet >/dev/null 2>"$TMP/g.err"
reason="$A/drop/.quarantine/foto.txt.reason.txt"
check "ingest sets the caption file aside with its reason" test -f "$reason"
check_grep "the reason names the caption file in a sentence of its own" \
	"$A/drop/foto\.txt is larger than the 1 MB photovoice accepts\.$" "$reason"
check_nogrep "with no clause patched in" ': it ' "$reason"

done_testing
