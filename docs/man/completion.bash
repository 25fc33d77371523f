# The completion itself (docs/man/completion.bash): what follows reads the
# tables above and knows no command by name.

# _photovoice_ask WHAT: tags or participant codes of the archive on the line
_photovoice_ask() {
	local prog=${COMP_WORDS[0]/#\~/$HOME}
	case $1 in
	tags) "$prog" ${_pv_archive:+--archive "$_pv_archive"} tags --names 2>/dev/null ;;
	participants) "$prog" ${_pv_archive:+--archive "$_pv_archive"} participants --codes 2>/dev/null ;;
	esac
}

# _photovoice_offer WORDS CUR: those of the words (a line each) that start
# with CUR, quoted for the shell where needed. Never compgen -W: it would
# expand a $(...) in a tag that a caption file wrote.
_photovoice_offer() {
	local w
	while IFS= read -r w; do
		[ -n "$w" ] && [[ $w == "$2"* ]] || continue
		[[ $w == *[^A-Za-z0-9._,:@%+=/-]* ]] && w=$(printf '%q' "$w")
		COMPREPLY+=("$w")
	done <<<"$1"
}

# _photovoice_kind NAME: what a value or a word called NAME is (the option's
# name for --tag and --participant, else the value's or word's name)
_photovoice_kind() {
	case $1 in
	--tag | TAG* | OLD | A | B) echo tags ;;
	--participant | P | CODE | PARTICIPANT) echo participants ;;
	SCOPE) echo scopes ;;
	FILE* | F) echo files ;;
	DIR) echo dirs ;;
	*'|'*) echo choices ;;
	esac
}

# _photovoice_complete_as NAME CUR: complete CUR as a value or word NAME
_photovoice_complete_as() {
	local name=$1 cur=$2 kind
	kind=$(_photovoice_kind "$name")
	case $kind in
	tags | participants) _photovoice_offer "$(_photovoice_ask "$kind")" "$cur" ;;
	scopes) _photovoice_offer $'none\ninternal\nposter\npublic' "$cur" ;;
	choices) _photovoice_offer "${name//|/$'\n'}" "$cur" ;;
	files | dirs)
		compopt -o filenames 2>/dev/null
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen "-${kind:0:1}" -- "$cur") ;;
	esac
}

# _photovoice_value_of OPT KEY: the value OPT takes in KEY's table ("" for a
# switch); fails when KEY has no such option
_photovoice_value_of() {
	local name value
	while read -r name value; do
		[ "$name" = "$1" ] && { printf '%s' "$value"; return 0; }
	done <<<"$(_photovoice_table opt "$2")"
	return 1
}

# _photovoice_word_name KEY N: the name of the Nth word (from 0) of KEY's
# synopsis (its first form, up to a '|' or '(' that starts another); the last
# named one repeats when it ends in "..."
_photovoice_word_name() {
	local w last="" n=0
	for w in $(_photovoice_table words "$1"); do
		case $w in '|' | '('*) break ;; -*) continue ;; esac
		[ "$n" -eq "$2" ] && { echo "$w"; return; }
		last=$w
		n=$((n + 1))
	done
	case $last in *...) echo "$last" ;; esac
}

_photovoice() {
	local cur=${COMP_WORDS[COMP_CWORD]} i=1 word cmd="" sub="" nwords=0 value
	_pv_archive=""
	COMPREPLY=()
	# what stands before the word being completed
	while [ "$i" -lt "$COMP_CWORD" ]; do
		word=${COMP_WORDS[i]}
		if [ -z "$cmd" ]; then
			case $word in
			--archive) i=$((i + 1)); _pv_archive=${COMP_WORDS[i]/#\~/$HOME} ;;
			--archive=*) _pv_archive=${word#--archive=}; _pv_archive=${_pv_archive/#\~/$HOME} ;;
			-*) ;;
			*) cmd=$word ;;
			esac
		elif [ "$word" = -- ]; then
			:
		elif [[ $word == --*=* ]]; then
			:
		elif [[ $word == -* ]] && value=$(_photovoice_value_of "$word" "$cmd $sub") && [ -n "$value" ]; then
			i=$((i + 1))   # the option's value
		elif [[ $word != -* ]] && [ -z "$sub" ] && [ "$nwords" -eq 0 ] &&
			_photovoice_table sub "$cmd " | grep -qx -- "$word"; then
			sub=$word
		elif [[ $word != -* ]]; then
			nwords=$((nwords + 1))
		fi
		i=$((i + 1))
	done
	local prev=${COMP_WORDS[COMP_CWORD - 1]}

	if [ -z "$cmd" ]; then
		case $prev in
		--archive) _photovoice_complete_as DIR "$cur" ;;
		*) case $cur in
		   -*) _photovoice_offer $'--archive\n--help\n--version' "$cur" ;;
		   *) _photovoice_offer "${_photovoice_commands// /$'\n'}" "$cur" ;;
		   esac ;;
		esac
		return 0
	fi
	[ "$cmd" = help ] && { _photovoice_offer "${_photovoice_commands// /$'\n'}" "$cur"; return 0; }

	# the value of an option: --opt VALUE or --opt=VALUE
	if [[ $cur == --*=* ]]; then
		value=$(_photovoice_value_of "${cur%%=*}" "$cmd $sub") || return 0
		local opt=${cur%%=*}
		_photovoice_complete_as "$([ "$opt" = --tag ] || [ "$opt" = --participant ] && echo "$opt" || echo "$value")" "${cur#*=}"
		return 0
	fi
	if [[ $prev == -* ]] && value=$(_photovoice_value_of "$prev" "$cmd $sub") && [ -n "$value" ]; then
		case $prev in
		--tag | --participant) _photovoice_complete_as "$prev" "$cur" ;;
		*) _photovoice_complete_as "$value" "$cur" ;;
		esac
		return 0
	fi

	case $cur in
	--* | -)
		local name rest
		while read -r name rest; do
			[ -n "$name" ] && _photovoice_offer "$name" "$cur"
		done <<<"$(_photovoice_table opt "$cmd $sub")"
		_photovoice_offer "--help" "$cur"
		# a tag to remove: -TAG
		if [ "$cur" = - ] && [[ $(_photovoice_table words "$cmd $sub") == *-TAG* ]]; then
			_photovoice_offer "$(_photovoice_ask tags | sed 's/^/-/')" "$cur"
		fi
		;;
	-*)
		if [[ $(_photovoice_table words "$cmd $sub") == *-TAG* ]]; then
			_photovoice_offer "$(_photovoice_ask tags | sed 's/^/-/')" "$cur"
		fi
		;;
	*)
		if [ -z "$sub" ] && [ "$nwords" -eq 0 ]; then
			_photovoice_offer "$(_photovoice_table sub "$cmd ")" "$cur"
		fi
		_photovoice_complete_as "$(_photovoice_word_name "$cmd $sub" "$nwords")" "$cur"
		;;
	esac
	return 0
}

complete -F _photovoice photovoice
