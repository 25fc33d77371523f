#!/bin/sh
# The command-line contract: one option table per command drives both the
# parsing and --help. Walks every table (photovoice help --commands and help
# --options CMD [SUB]): every option is in the command's --help; an unknown
# option, a missing value and a typo each get exactly one sentence, then
# "Try 'photovoice CMD --help'.", exit 2, before the archive is looked at;
# --opt=value and --opt value mean the same.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"

new_archive
add_entry bank "Title: Bank in het park
Caption: Onze bank.
Tags: buiten, klik

Op deze bank zat ik."
add_entry plein "Title: Het plein
Tags: buiten

Het plein waar we voetballen."
ingest_all

run "$TMP/cmds" "$TMP/err" pv help --commands
check_eq "help --commands lists the commands read by a table" 0 "$rc"
check_grep "list is one of them" '^list$' "$TMP/cmds"
check_grep "and so are sub-commands" '^tags rename$' "$TMP/cmds"

# every command of the command list is read by a table
pv --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z]*\) .*/\1/p' >"$TMP/listed"
check_eq "the command list names every row of the command table" \
	"$(grep -c '\.spec = &pv_cmd_' "$ROOT/src/cli/main.c")" "$(wc -l <"$TMP/listed")"
check_eq "and each is read by an option table" "" "$(grep -vxF -f "$TMP/cmds" "$TMP/listed" | tr '\n' ' ')"

# one_error NAME CMD PATTERN: the last run said exactly one sentence naming
# CMD, matching PATTERN, then the Try line, and exited 2
one_error() {
	check_eq "$1: exit 2" 2 "$rc"
	check_eq "$1: one sentence and the Try line" 2 "$(wc -l <"$TMP/err")"
	if head -1 "$TMP/err" | grep -qE -- "^photovoice $2: .*$3"; then ok "$1: says so"
	else fail "$1: says so" "expected /^photovoice $2: .*$3/" "$(cat "$TMP/err")"; fi
	check_eq "$1: then the Try line" "Try 'photovoice $2 --help'." "$(sed -n 2p "$TMP/err")"
}

# words that start like an option name of the table in $TMP/opts
is_prefix() { cut -f1 "$TMP/opts" | grep -q -- "^--$1"; }

while read -r cmd sub; do
	pv $cmd $sub --help >"$TMP/help" 2>&1   # a sub-command's help is its command's
	pv help --options $cmd $sub >"$TMP/opts"
	# NAME VALUE ("-": a switch), one option a line
	awk -F '\t' '{ print $1, ($2 == "" ? "-" : $2) }' "$TMP/opts" >"$TMP/forms"
	missing=""
	while read -r opt arg; do
		# the option as a word of --help: "--tag", or "-o" in "-o, --output"
		grep -qE -- "(^|[ [,(])$opt([ =,)]|\]|$)" "$TMP/help" || missing="$missing $opt"
	done <"$TMP/forms"
	check_eq "$cmd $sub: every option of the table is in --help" "" "$missing"

	run "$TMP/out" "$TMP/err" pv $cmd $sub --no-such-option
	one_error "$cmd $sub: an unknown option" "$cmd" "'--no-such-option' is not an option of $cmd"

	while read -r opt arg; do
		case $opt in --*) ;; *) continue ;; esac
		name=${opt#--}
		if [ "$arg" != - ]; then
			run "$TMP/out" "$TMP/err" pv $cmd $sub "$opt"
			one_error "$cmd $sub $opt: a missing value" "$cmd" "$opt needs a value"
		fi
		# a typo: the last letter replaced
		typo=$(printf '%s' "$name" | sed 's/.$/q/')
		is_prefix "$typo" && continue
		run "$TMP/out" "$TMP/err" pv $cmd $sub "--$typo"
		one_error "$cmd $sub --$typo: a typo" "$cmd" "did you mean '$opt'\\?"
	done <"$TMP/forms"
done <"$TMP/cmds"

# the forms of a value
pv list --json --tag klik >"$TMP/a"
pv list --json --tag=klik >"$TMP/b"
check_eq "--tag=klik is --tag klik" "$(cat "$TMP/a")" "$(cat "$TMP/b")"
check_eq "and it filters" 1 "$(json_get "$TMP/a" 'd["count"]')"
check_eq "an unambiguous start of a name is the name" "$(cat "$TMP/a")" "$(pv list --js --tag klik)"
check_eq "options after the words" "$(pv show --json 1)" "$(pv show 1 --json)"
check_eq "-- ends the options" "$(pv search --json klik)" "$(pv search --json -- klik)"

# each refusal, one sentence
run "$TMP/out" "$TMP/err" pv list --con poster
one_error "an ambiguous start" list "could be --consent or --consent-is"
run "$TMP/out" "$TMP/err" pv list --consent nope
one_error "a bad value" list "consent scope"
run "$TMP/out" "$TMP/err" pv list --json=yes
one_error "a value for a switch" list "--json takes no value"
run "$TMP/out" "$TMP/err" pv search --limit 3x klik
one_error "a number with letters after it" search "--limit takes a number"
run "$TMP/out" "$TMP/err" pv list -json
one_error "one dash for two" list "did you mean '--json'"
run "$TMP/out" "$TMP/err" pv list --archive "$A"
one_error "--archive after the command" list "--archive goes before the command"
run "$TMP/out" "$TMP/err" pv tags --credit x
one_error "an option of another command" tags "not an option of tags"
run "$TMP/out" "$TMP/err" pv tags renam a b
one_error "a sub-command typo" tags "did you mean 'rename'"
run "$TMP/out" "$TMP/err" pv lsit
check_eq "a command typo exits 2" 2 "$rc"
check_grep "and suggests the command" "did you mean 'list'" "$TMP/err"

run "$TMP/out" "$TMP/err" pv ingest --jobs 4x
one_error "a number with a letter" ingest "--jobs needs a number of at least 1"
# (a photovoice that took nan for a number watched on: ended after 20 s)
run "$TMP/out" "$TMP/err" timeout 20 "$PV" watch --grace nan
one_error "not a number of seconds" watch "--grace takes a number of seconds"
run "$TMP/out" "$TMP/err" pv edit 1 --title a --title=b
one_error "an option given twice that may be given once" edit "Give --title once"
run "$TMP/out" "$TMP/err" pv participants set fenna --json
one_error "an option of the command, not of its sub-command" participants "'--json' is not an option of participants set"

# a letter: -oDIR, -o DIR and --output=DIR
photo=$(ls "$ROOT"/sample-media/drop/*.jpg | head -1)
check "scrub -oDIR (the value joined to the letter)" pv scrub -o"$TMP/c1" "$photo"
check "scrub --output=DIR" pv scrub --output="$TMP/c2" "$photo"
check "scrub -o DIR" pv scrub -o "$TMP/c3" "$photo"
check "the same clean copies" cmp "$TMP/c1/${photo##*/}" "$TMP/c2/${photo##*/}"
run "$TMP/out" "$TMP/err" pv scrub -o
one_error "a letter without its value" scrub "-o needs a value: -o DIR"
run "$TMP/out" "$TMP/err" pv scrub -x "$photo"
one_error "an unknown letter" scrub "'-x' is not an option of scrub"

# tag: from the first word on, '-klik' is a tag to remove, not an option
bank=$(id_of "Bank in het park")
check "tag --query Q -klik removes the tag" pv tag --query bank -klik
check_eq "from the entry the search finds" "buiten" "$(pv show --json "$bank" | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["tags"]))')"
check "tag ID +a -buiten" pv tag "$bank" +klik -buiten
check_eq "adds and removes" "klik" "$(pv show --json "$bank" | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["tags"]))')"

# a usage error is said before the archive is opened (exit 2, not 3)
run "$TMP/out" "$TMP/err" pv --archive "$TMP/nowhere" list --bogus
one_error "a bad option with no archive" list "'--bogus' is not an option of list"

done_testing
