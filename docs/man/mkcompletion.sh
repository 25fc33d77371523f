#!/bin/sh
# docs/man/mkcompletion.sh BIN OUTFILE: photovoice's bash completion, made
# from the built program's option tables, as the manual pages are: every
# command of `photovoice help --commands`, its sub-commands, its options and
# what their values and words are. Tags and participant codes are asked of
# the archive when completing (tags --names, participants --codes), with the
# --archive given on the line, else $PHOTOVOICE_ARCHIVE as photovoice reads it.
set -eu
BIN=$1
OUT=$2
SRC=$(dirname "$0")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pv-completion.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$(dirname "$OUT")"

"$BIN" help --commands >"$TMP/all"
# one line per command or sub-command: "CMD SUB" TAB kind TAB text, where
# kind is opt (text: NAME VALUE), sub (text: a sub-command) or words
while read -r cmd sub; do
	key="$cmd $sub"
	"$BIN" help --options $cmd $sub | awk -F '\t' -v key="$key" '{ print key "\topt\t" $1 " " $2 }'
	"$BIN" help --describe $cmd $sub | awk -F '\t' -v key="$key" '
		$1 == "sub" { print key "\tsub\t" $2 }
		$1 == "words" && !w++ { print key "\twords\t" $2 }'
done <"$TMP/all" >"$TMP/facts"

# case arms: "KEY") echo 'TEXT' ;; with every TEXT of one kind for KEY
arms() {
	awk -F '\t' -v kind="$1" '
		$2 == kind { t[$1] = t[$1] (t[$1] == "" ? "" : "\n") $3; if (!($1 in seen)) { seen[$1]; order[++n] = $1 } }
		END { for (i = 1; i <= n; i++) printf "\t\"%s\") printf %%s \x27%s\x27 ;;\n", order[i], t[order[i]] }' "$TMP/facts"
}

{
	echo "# bash completion for photovoice, made by docs/man/mkcompletion.sh from"
	echo "# photovoice's option tables; do not edit."
	echo
	printf '_photovoice_commands=%s\n' "'$(grep -v ' ' "$TMP/all" | tr '\n' ' ' | sed 's/ $//') help'"
	echo
	echo "# _photovoice_table KIND 'CMD SUB': the table's options (NAME VALUE, a line"
	echo "# each), sub-commands, or words"
	echo "_photovoice_table() {"
	for kind in opt sub words; do
		echo "	[ \"\$1\" = $kind ] && case \"\$2\" in"
		arms "$kind"
		echo "	esac"
	done
	echo "	return 0"
	echo "}"
	echo
	cat "$SRC/completion.bash"
} >"$OUT"
