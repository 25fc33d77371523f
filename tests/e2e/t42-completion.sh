#!/bin/sh
# Bash completion (BUILD/completion/photovoice, made from the option tables
# by docs/man/mkcompletion.sh): sourced in bash, its function completes
# commands, sub-commands, options, option values, and the tags and
# participant codes of the archive named on the line (else
# $PHOTOVOICE_ARCHIVE); a tag is offered quoted, never run by the shell.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/catalogue.inc"
COMPLETION="$BUILD/completion/photovoice"
if ! command -v bash >/dev/null 2>&1; then
	skip "bash is not installed"; done_testing; exit 0
fi
check "the completion is made" test -s "$COMPLETION"

new_archive
add_entry bank "Title: Bank in het park
Tags: buiten, klik

Op deze bank zat ik." fenna
add_entry plein "Title: Het plein
Tags: voetbal" sem
ingest_all
# (tags are stored in lower case: the command is one whose name survives it)
pv tag 1 "twee woorden" '$(touch ran)' >/dev/null
mkdir "$TMP/cwd"

# complete WORD...: what the completion offers for the last word, one a line
complete_line() {
	(cd "$TMP/cwd" && bash -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		_photovoice; printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPLETION" "$PV" "$@")
}
# offers DESCRIPTION EXPECTED WORD...: EXPECTED is among the offers
offers() {
	d=$1; want=$2; shift 2
	complete_line "$@" >"$TMP/offers" 2>"$TMP/errs"
	if grep -qxF -- "$want" "$TMP/offers"; then ok "$d"
	else fail "$d" "expected '$want' among:" "$(tr '\n' ' ' <"$TMP/offers")" "$(cat "$TMP/errs")"; fi
}
# offers_only DESCRIPTION EXPECTED WORD...: exactly these (space-separated)
offers_only() {
	d=$1; want=$2; shift 2
	check_eq "$d" "$want" "$(complete_line "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
}

# every command of the table, and only what starts as typed
pv help --commands | grep -v ' ' >"$TMP/cmds"
complete_line "" >"$TMP/offers"
check_eq "every command is offered" "" "$(grep -vxF -f "$TMP/offers" "$TMP/cmds" | tr '\n' ' ')"
offers_only "a command from its start" "list" li
offers_only "the global options" "--archive" --ar
offers_only "sub-commands" "rename merge" tags ""

# options and their values, from the table
offers_only "an option of bundle" "--paper" bundle --pa
offers "an option of a sub-command" "--under16" participants set fenna --
offers_only "choices of a value" "poster internal" bundle --purpose ""
offers_only "consent scopes" "none internal poster public" consent 1 ""
offers "--help everywhere" "--help" show --

# tags and participants from the archive ($PHOTOVOICE_ARCHIVE)
offers "a tag for --tag" "klik" list --tag ""
offers_only "a tag from its start" "klik" list --tag kl
offers_only "--tag=VALUE" "voetbal" list --tag=voe
offers "a tag word of tag" "buiten" tag 1 ""
offers "a tag to remove" "-klik" tag 1 -k
offers "an old tag to rename" "voetbal" tags rename ""
offers_only "a participant for --participant" "fenna" list --participant f
offers "a participant code to set" "sem" participants set ""
offers "forget --participant" "sem" forget --participant ""
offers_only "no tag in place of an entry number" "" tag ""

# --archive on the line wins over $PHOTOVOICE_ARCHIVE
export PHOTOVOICE_ARCHIVE="$TMP/elsewhere"
offers_only "no archive, no participants" "" list --participant ""
offers_only "--archive DIR on the line is asked" "fenna" --archive "$A" list --participant f
offers_only "--archive=DIR too" "sem" --archive="$A" list --participant s
export PHOTOVOICE_ARCHIVE="$A"

# a tag is words a caption file wrote: offered quoted, never run
offers "a tag with a space, quoted" 'twee\ woorden' list --tag tw
complete_line list --tag '$' >"$TMP/offers"
check_grep "a tag with \$(...), quoted" '^\\\$\\\(touch' "$TMP/offers"
check "and nothing in it ran" test ! -e "$TMP/cwd/ran"
# (what the check would see if the shell ran it)
(cd "$TMP/cwd" && eval "echo $(pv tags --names | grep touch)" >/dev/null)
check "(a tag run by the shell would be noticed)" test -e "$TMP/cwd/ran"

# files where the table says FILE or DIR
mkdir -p "$TMP/spec-dir"; : >"$TMP/spec-dir/open-dag.spec"
offers "a FILE value" "$TMP/spec-dir/open-dag.spec" bundle --spec "$TMP/spec-dir/op"
offers "a FILE word" "$TMP/spec-dir/open-dag.spec" inspect "$TMP/spec-dir/o"

done_testing
