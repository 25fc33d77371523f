#!/bin/sh
# The documents stay true and findable: the README is read in five minutes
# (under 250 lines), every link in it and in docs/ leads to a file that is
# there, and docs/commands.md names no option that no option table has.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

lines=$(wc -l <README.md)
if [ "$lines" -lt 250 ]; then ok "the README is under 250 lines ($lines)"
else fail "the README is under 250 lines" "it has $lines"; fi

# links_of FILE: the relative targets of its Markdown links, without #anchor
links_of() {
	grep -o '](\([^)]*\))' "$1" | sed 's/^](//; s/)$//; s/#.*//' |
		grep -v -e '^[a-z]*:' -e '^$' | sort -u
}

links_of README.md >"$TMP/readme-links"
check_grep "the README links to docs/" '^docs/' "$TMP/readme-links"
for doc in drop-folder consent-and-erasure bundles json benchmarks web HACKING nl/handleiding; do
	check_grep "the README links to docs/$doc.md" "^docs/$doc\\.md\$" "$TMP/readme-links"
done

missing=""
for f in README.md docs/*.md docs/*/*.md; do
	[ -f "$f" ] || continue
	dir=$(dirname "$f")
	for target in $(links_of "$f"); do
		[ -e "$dir/$target" ] || missing="$missing $f:$target"
	done
done
check_eq "every link in README.md and docs/ leads to a file" "" "$missing"

# every option docs/commands.md names is in a table (or is a global option)
pv help --commands >"$TMP/cmds"
: >"$TMP/known"
while read -r cmd sub; do
	pv help --options $cmd $sub | cut -f1 >>"$TMP/known"
done <"$TMP/cmds"
# the global options, help's own, and the page's examples of a typo and of
# the form of an option
printf '%s\n' --archive --help --version --commands --options --describe --jsno --opt >>"$TMP/known"
grep -o -- '--[a-z][a-z0-9-]*' docs/commands.md | sort -u >"$TMP/named"
check_eq "docs/commands.md names only options of the tables" "" \
	"$(grep -vxF -f "$TMP/known" "$TMP/named" | tr '\n' ' ')"
# and the check can fail: a made-up option is caught
printf -- '--no-such-flag\n' >>"$TMP/named"
check_eq "(a made-up option would be caught)" "--no-such-flag " \
	"$(grep -vxF -f "$TMP/known" "$TMP/named" | tr '\n' ' ')"

done_testing
