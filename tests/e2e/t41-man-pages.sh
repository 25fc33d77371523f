#!/bin/sh
# The manual pages are made from the option tables (docs/man/mkman.sh, at
# build time, into BUILD/man/): one per command of `photovoice help
# --commands` and photovoice.1 naming them all. Each renders with man -l
# without a groff warning, shows every option of its command's table (and
# of its sub-commands'), and names no option that the table lacks.
. "$(dirname "$0")/lib.sh"
MAN="$BUILD/man"
if ! command -v man >/dev/null 2>&1 || ! command -v groff >/dev/null 2>&1; then
	skip "man and groff are not installed (man-db, groff-base)"
	done_testing; exit 0
fi

# render PAGE: its text at 80 columns in $TMP/page, warnings in $TMP/warn
render() { LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" >"$TMP/page" 2>"$TMP/warn"; rc=$?; }

pv help --commands >"$TMP/all"
grep -v ' ' "$TMP/all" >"$TMP/cmds"
check_eq "there are commands to document" 1 "$([ -s "$TMP/cmds" ] && echo 1)"

render "$MAN/photovoice.1"
check_eq "photovoice.1 renders" "0:" "$rc:$(cat "$TMP/warn")"
for word in "EXIT STATUS" ENVIRONMENT FILES PHOTOVOICE_ARCHIVE --archive not_allowed; do
	check_grep "photovoice.1 has $word" "$word" "$TMP/page"
done

# the options of every table, and the global ones: what a page may name (a
# command's page may point to another command's option)
printf '%s\n' --archive --help --version >"$TMP/known"
while read -r c sub; do
	pv help --options $c $sub | cut -f1 >>"$TMP/known"
done <"$TMP/all"

# has_option OPT: the option is a word of the rendered page, not the start
# of a longer one
has_option() { grep -qE -- "(^|[^a-z-])$1([^a-z0-9-]|\$)" "$TMP/page"; }

while read -r cmd; do
	page="$MAN/photovoice-$cmd.1"
	if [ ! -f "$page" ]; then fail "photovoice-$cmd.1 is made" "no $page"; continue; fi
	check_grep "photovoice.1 names photovoice-$cmd(1)" "photovoice-$cmd\\(1\\)" \
		"$(render "$MAN/photovoice.1"; echo "$TMP/page")"
	render "$page"
	check_eq "photovoice-$cmd.1 renders without a warning" "0:" "$rc:$(cat "$TMP/warn")"
	check_grep "photovoice-$cmd.1 says what $cmd does" "^NAME" "$TMP/page"
	grep "^$cmd\\( \\|\$\\)" "$TMP/all" | while read -r c sub; do
		pv help --options $c $sub | cut -f1 | while read -r opt; do
			has_option "$opt" || echo "$opt"
		done
	done >"$TMP/missing"
	check_eq "photovoice-$cmd.1 shows every option of its table" "" "$(tr '\n' ' ' <"$TMP/missing")"
	# options named in the page's source (\-\-name), wherever a line breaks
	sed 's/\\-/-/g' "$page" | grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | sort -u >"$TMP/named"
	check_eq "photovoice-$cmd.1 names only options of the table" "" \
		"$(grep -vxF -f "$TMP/known" "$TMP/named" | tr '\n' ' ')"
done <"$TMP/cmds"

# the check notices a page that lacks an option
grep -v json "$MAN/photovoice-log.1" >"$TMP/log.1"
render "$TMP/log.1"
if has_option --json; then fail "(a page without --json would be noticed)"
else ok "(a page without --json would be noticed)"; fi

done_testing
