# docs/man/roff.awk - plain text from photovoice's tables to man(7) roff.
# Used by mkman.sh with -v mode=...:
#   text      each line a paragraph ("" between paragraphs); no markup
#   synopsis  one synopsis form a line: options bold, metavariables italic
#   options   the lines of `photovoice help --options`: NAME TAB VALUE TAB HELP,
#             a letter's line right after its long name's; one .TP each
#   commands  NAME TAB SUMMARY: a .TP per command, naming its page

# roff-safe text: a backslash printed as itself, minus signs as \-, and a
# line that would start with a control character escaped
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}

# one word of a synopsis or an option's value: what is typed as it stands
# (--opt, -o, command names, choices such as yes|no) bold, UPPER-CASE
# metavariables italic, brackets and bars as they are
function word(w,    out) {
	out = ""
	while (w != "") {
		if (match(w, /^--?[a-z0-9][a-z0-9-]*/) || match(w, /^-[a-zA-Z]/)) {
			out = out "\\fB" esc(substr(w, 1, RLENGTH)) "\\fR"
		} else if (match(w, /^[A-Z][A-Z0-9_]*/)) {
			out = out "\\fI" esc(substr(w, 1, RLENGTH)) "\\fR"
		} else if (match(w, /^[a-z0-9][a-z0-9.]*/)) {
			out = out "\\fB" esc(substr(w, 1, RLENGTH)) "\\fR"
		} else {
			RLENGTH = 1
			out = out esc(substr(w, 1, 1))
		}
		w = substr(w, RLENGTH + 1)
	}
	return out
}

function capital(s) {
	return toupper(substr(s, 1, 1)) substr(s, 2)
}

function full_stop(s) {
	return s ~ /[.!?]$/ ? s : s "."
}

mode == "text" {
	if ($0 == "") print ".PP"; else print esc($0)
	next
}

mode == "synopsis" {
	n = split($0, ws, " ")
	line = ""
	for (i = 1; i <= n; i++) {
		# an option and its value are not parted at the end of a line
		sep = (ws[i - 1] ~ /^\[?--?[a-z]/ && ws[i - 1] !~ /\]/) ? "\\ " : " "
		line = line (i > 1 ? sep : "") word(ws[i])
	}
	print ".ti -4n"
	print line
	print ".br"
	next
}

mode == "options" {
	split($0, f, "\t")
	if (f[1] ~ /^-[^-]$/ && f[3] == last_help && f[2] == last_value && pending != "") {
		pending = word(f[1]) ", " pending   # "-o, --output FILE"
		next
	}
	flush()
	pending = word(f[1]) (f[2] != "" ? " " word(f[2]) : "")
	pending_help = f[3]; last_help = f[3]; last_value = f[2]
	next
}

mode == "commands" {
	split($0, f, "\t")
	print ".TP"
	print "\\%\\fBphotovoice\\-" esc(f[1]) "\\fR(1)"
	print esc(full_stop(capital(f[2])))
	next
}

function flush() {
	if (pending == "")
		return
	print ".TP"
	print pending
	print esc(full_stop(capital(pending_help)))
	pending = ""
}

END {
	if (mode == "options")
		flush()
}
