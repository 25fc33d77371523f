#!/bin/sh
# docs/man/mkman.sh BIN OUTDIR: photovoice's manual pages, made from the
# built program's option tables (the same tables that parse the options and
# print --help), so that they cannot drift from it:
#   photovoice.1           the overview (photovoice.roff) with every command
#   photovoice-COMMAND.1   per command: synopsis, description, options,
#                          sub-commands, from `photovoice help --describe`
#                          and `help --options`; COMMAND.roff beside this
#                          script adds to the description (its text before
#                          the first .SH) and sections such as EXAMPLES
# Every command of `photovoice help --commands` gets a page; none is listed here.
set -eu
BIN=$1
OUT=$2
SRC=$(dirname "$0")
ROFF="$SRC/roff.awk"
VERSION=$("$BIN" --version | sed 's/^photovoice //')
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pv-man.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
rm -f "$OUT"/photovoice*.1

# fact KEY FILE: the lines of `help --describe` with that key, without it
fact() { sed -n "s/^$1	//p" "$2"; }

# head_of PAGE-NAME SUMMARY
head_of() {
	upper=$(printf '%s' "$1" | tr 'a-z' 'A-Z')
	printf '%s\n' "'\\\" -*- coding: UTF-8 -*-" \
		".\\\" Made by docs/man/mkman.sh from photovoice's option tables; do not edit." \
		".TH $(printf '%s' "$upper" | sed 's/-/\\-/g') 1 \"\" \"photovoice $VERSION\" \"photovoice manual\"" \
		".SH NAME" \
		"$(printf '%s' "$1" | sed 's/-/\\-/g') \\- $2"
}

# synopsis_of DESCRIBE-FILE
synopsis_of() {
	echo ".SH SYNOPSIS"
	echo ".nh"
	echo ".ad l"
	echo ".in +4n"
	fact synopsis "$1" | awk -v mode=synopsis -f "$ROFF"
	echo ".in"
	echo ".ad"
	echo ".hy"
}

# options_of FILE: the options' .TP list
options_of() { awk -v mode=options -f "$ROFF" "$1"; }

# extra CMD before|after: the command's own roff, before or from its first .SH
extra() {
	f="$SRC/$1.roff"
	[ -f "$f" ] || return 0
	if [ "$2" = before ]; then sed '/^\.SH/,$d' "$f"; else sed -n '/^\.SH/,$p' "$f"; fi
}

command_page() {
	cmd=$1
	"$BIN" help --describe "$cmd" >"$TMP/desc"
	"$BIN" help --options "$cmd" >"$TMP/opts"
	summary=$(fact summary "$TMP/desc")
	{
		head_of "photovoice-$cmd" "$summary"
		synopsis_of "$TMP/desc"
		echo ".SH DESCRIPTION"
		{ printf '%s.\n' "$summary" | awk '{ print toupper(substr($0, 1, 1)) substr($0, 2) }'
		  fact about "$TMP/desc" | sed '1s/^/\n/'; } | awk -v mode=text -f "$ROFF"
		extra "$cmd" before
		if [ -s "$TMP/opts" ]; then
			echo ".SH OPTIONS"
			options_of "$TMP/opts"
		fi
		subs=$(fact sub "$TMP/desc")
		[ -z "$subs" ] || echo ".SH SUB-COMMANDS"
		for sub in $subs; do
			"$BIN" help --describe "$cmd" "$sub" >"$TMP/sdesc"
			"$BIN" help --options "$cmd" "$sub" >"$TMP/sopts"
			words=$(fact words "$TMP/sdesc" | head -1)
			echo ".SS \"$cmd $sub${words:+ $words}\""
			{ fact summary "$TMP/sdesc" | awk '{ print toupper(substr($0, 1, 1)) substr($0, 2) "." }'
			  fact about "$TMP/sdesc"; } | awk -v mode=text -f "$ROFF"
			[ ! -s "$TMP/sopts" ] || { echo ".PP"; echo "Options of $cmd $sub:"; echo ".RS 4n"; options_of "$TMP/sopts"; echo ".RE"; }
		done
		extra "$cmd" after
		cat "$SRC/exit-status.roff"
		echo ".SH SEE ALSO"
		echo ".BR photovoice (1)"
	} >"$OUT/photovoice-$cmd.1"
}

"$BIN" help --commands | grep -v ' ' >"$TMP/commands"
: >"$TMP/summaries"
while read -r cmd; do
	command_page "$cmd"
	printf '%s\t%s\n' "$cmd" "$(fact summary "$TMP/desc")" >>"$TMP/summaries"
done <"$TMP/commands"

{
	head_of photovoice "a photovoice media archive for youth protection"
	sed '/^\.SH COMMANDS/,$d' "$SRC/photovoice.roff"
	echo ".SH COMMANDS"
	awk -v mode=commands -f "$ROFF" "$TMP/summaries"
	cat "$SRC/exit-status.roff"
	sed -n '/^\.SH COMMANDS/,$p' "$SRC/photovoice.roff" | sed 1d
	echo ".SH SEE ALSO"
	echo ".ad l"
	sed 's/^\([^	]*\)	.*/photovoice-\1/' "$TMP/summaries" |
		awk '{ printf "%s\\%%\\fB%s\\fR(1)", (NR > 1 ? ",\n" : ""), $0 } END { print "" }' |
		sed 's/-/\\-/g'
} >"$OUT/photovoice.1"
