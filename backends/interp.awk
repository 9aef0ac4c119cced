# interp.awk: the deploy-time evaluator of compose interpolation, the
# twin of grammar/interp.re and interp.y (which the compiler runs): the
# same ${NAME<op>ARG} forms, the same laziness (an unused default,
# alternate or message is never evaluated), the same extent of an
# argument (braces counted, the byte after each '{' skipped, else the
# last '}' of the line), the same nesting bound.  Variables are looked up
# in the environment awk is given.
#
#   printf '%s.' "$template" | awk -f interp.awk
#
# reads one template (the '.' keeps a trailing newline; it is dropped),
# and prints its value without a newline; exits 0.  A ${NAME:?msg} or
# ${NAME?msg} that fails prints "NAME<TAB>msg" on stderr and exits 3; a
# syntax error reached (in a branch the compiler did not take) prints
# "invalid interpolation format<TAB>TEMPLATE" and exits 4.  An unset $NAME
# or ${NAME} warns on stderr, as Compose does, and expands to nothing.
# POSIX awk only: mawk, gawk and busybox awk run it.

BEGIN {
	RS = "\n"
	depthmax = 64	# INTERP_MAX_DEPTH
}
{
	text = NR == 1 ? $0 : text "\n" $0
}
END {
	text = substr(text, 1, length(text) - 1)
	failed = 0
	v = expand(text, 1)
	if (failed == 3) {
		printf "%s\t%s\n", errname, errmsg > "/dev/stderr"
		exit 3
	}
	if (failed == 4) {
		printf "invalid interpolation format\t%s\n", errmsg > "/dev/stderr"
		exit 4
	}
	printf "%s", v
}

function syntax(tmpl) {
	if (!failed) {
		failed = 4
		errmsg = tmpl
	}
	return ""
}

function value(name) {
	if (name in ENVIRON)
		return ENVIRON[name]
	printf "warning: the \"%s\" variable is not set; it is an empty " \
	    "string\n", name > "/dev/stderr"
	return ""
}

# the last '}' from position i to the end of its line in s, or 0
function lastbrace(s, i,    j, last, c) {
	last = 0
	for (j = i; j <= length(s); j++) {
		c = substr(s, j, 1)
		if (c == "\n")
			break
		if (c == "}")
			last = j
	}
	return last
}

# where the argument that starts at i closes, or 0
function argclose(s, i,    last, j, depth, c) {
	last = lastbrace(s, i)
	if (!last)
		return 0
	depth = 1
	for (j = i; j <= last; j++) {
		c = substr(s, j, 1)
		if (c == "}" && --depth == 0)
			return j
		if (c == "{") {
			depth++
			j++
		}
	}
	return last
}

# the value of template s, nested depth deep; "" once failed is set
function expand(s, depth,    out, i, n, j, c, name, op, shut, arg, set, v) {
	out = ""
	n = length(s)
	i = 1
	while (i <= n && !failed) {
		j = index(substr(s, i), "$")
		if (j == 0) {
			out = out substr(s, i)
			break
		}
		out = out substr(s, i, j - 1)
		i += j - 1
		c = substr(s, i + 1, 1)
		if (c == "$") {
			out = out "$"
			i += 2
			continue
		}
		if (c != "{") {
			if (match(substr(s, i + 1), /^[A-Za-z_][A-Za-z0-9_]*/)) {
				out = out value(substr(s, i + 1, RLENGTH))
				i += 1 + RLENGTH
			} else {
				out = out "$"
				i++
			}
			continue
		}
		# ${
		if (!match(substr(s, i + 2), /^[A-Za-z_][A-Za-z0-9_]*/))
			return syntax(s)
		name = substr(s, i + 2, RLENGTH)
		j = i + 2 + RLENGTH
		c = substr(s, j, 1)
		if (c == "}") {
			out = out value(name)
			i = j + 1
			continue
		}
		op = substr(s, j, 2)
		if (op != ":-" && op != ":?" && op != ":+") {
			op = c
			if (op != "-" && op != "?" && op != "+")
				return syntax(s)
		}
		j += length(op)
		shut = argclose(s, j)
		if (!shut)
			return syntax(s)
		arg = substr(s, j, shut - j)
		i = shut + 1
		set = name in ENVIRON
		v = set ? ENVIRON[name] : ""
		if (op == ":-" || op == "-") {
			if (!set || (v == "" && op == ":-"))
				v = argument(arg, depth, s)
		} else if (op == ":+" || op == "+") {
			v = set && (v != "" || op == "+") ? argument(arg, depth, s) : ""
		} else if (!set || (v == "" && op == ":?")) {
			v = argument(arg, depth, s)
			if (!failed) {
				failed = 3
				errname = name
				errmsg = v
			}
			return ""
		}
		out = out v
	}
	return failed ? "" : out
}

function argument(arg, depth, tmpl) {
	if (depth >= depthmax)
		return syntax(tmpl)
	return expand(arg, depth + 1)
}
