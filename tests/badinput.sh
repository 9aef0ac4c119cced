#!/bin/sh
# The bad-input suite, generated half: inputs too big, too random or too
# odd to keep in git (tests/errors/ holds the other half, with exact
# diagnostics).  Every case must end with exit status 1, nothing on
# stdout, and a diagnostic that names the input -- with line:column
# wherever the input has a position -- within BADINPUT_TIMEOUT seconds,
# and, for a build without sanitizers or valgrind (BADINPUT_MEM set, in
# KiB), within that much address space.
#
#   sh tests/badinput.sh            C2SH names the compiler (build/c2sh);
#                                   BADINPUT_BIG the size of the big files
#                                   in MB (50; the sanitizer tiers use less)
# A failing case's input is kept in build/badinput-failed/ to reproduce it.
repo=$(cd "$(dirname "$0")/.." && pwd)
C2SH=${C2SH:-build/c2sh}
case $C2SH in /*) ;; *) C2SH=$repo/$C2SH ;; esac
BIG=${BADINPUT_BIG:-50}
TIMEOUT=${BADINPUT_TIMEOUT:-30}
MEM=${BADINPUT_MEM:-}
tmp=$(mktemp -d) && chmod 755 "$tmp" || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# expect NAME PATTERN [ARGS...]: run c2sh with ARGS in $tmp/NAME (which
# the case has filled); stderr must match the extended regex PATTERN.
# A leading "as-nobody" argument runs c2sh without root's rights.
expect() {
	name=$1 pattern=$2
	shift 2
	drop=
	if [ "${1:-}" = as-nobody ]; then
		shift
		[ "$(id -u)" -ne 0 ] || drop="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
	dir=$tmp/$name
	start=$(date +%s)
	# shellcheck disable=SC2086,SC3045 # $drop: a command prefix, or
	# nothing; ulimit -v: dash and bash have it, Debian's sh is dash
	(cd "$dir" && { [ -z "$MEM" ] || ulimit -v "$MEM"; } &&
	    exec env -i PATH="$PATH" LC_ALL=C HOME=/nonexistent \
	    timeout "$TIMEOUT" $drop "$C2SH" -p badinput "$@") \
	    >"$tmp/out" 2>"$tmp/err"
	rc=$?
	took=$(($(date +%s) - start))
	why=
	if [ "$rc" -eq 124 ]; then
		why="no answer within $TIMEOUT s"
	elif [ "$rc" -ne 1 ]; then
		why="exit $rc"
	elif [ -s "$tmp/out" ]; then
		why="$(wc -c <"$tmp/out") bytes on stdout"
	elif ! grep -Eq -- "$pattern" "$tmp/err"; then
		why="no diagnostic matching /$pattern/"
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "[PASS] $name (${took} s): $(head -n 1 "$tmp/err")"
	else
		fail=$((fail + 1))
		echo "[FAIL] $name: $why"
		sed 's/^/    /' "$tmp/err" | head -n 8
		mkdir -p "$repo/build/badinput-failed" &&
		    cp -R "$dir" "$repo/build/badinput-failed/" &&
		    echo "    input kept in build/badinput-failed/$name"
	fi
	rm -rf "$dir"
}

# new NAME: the case's empty folder
new() {
	mkdir -p "$tmp/$1" && cd "$tmp/$1" || exit 2
}

# service NAME: a valid service's lines
service() {
	printf '  %s:\n    image: busybox\n' "$1"
}

# bigfile MB SHAPE: about MB megabytes of a valid compose file of one shape,
# on stdout
bigfile() {
	awk -v mb="$1" -v shape="$2" 'BEGIN {
		n = mb * 1000000
		print "services:"; print "  app:"; print "    image: busybox"
		if (shape == "environment") {
			print "    environment:"
			for (i = 0; size < n; i++) {
				line = sprintf("      KEY_%d: value %d", i, i)
				print line; size += length(line) + 1
			}
		} else if (shape == "comment") {
			for (size = 0; size < n; size += 101) {
				s = "#"; for (j = 0; j < 99; j++) s = s "x"
				print s
			}
		} else if (shape == "scalar") {
			s = "0123456789"
			while (length(s) < 1000000) s = s s
			printf "    command: \""
			for (size = 0; size < n; size += length(s)) printf "%s", s
			print "\""
		} else if (shape == "services") {
			for (i = 0; size < n; i++) {
				line = sprintf("  s%d:\n    image: busybox\n    labels: [a=%d]", i, i)
				print line; size += length(line) + 1
			}
		}
	}'
}

# ---- binary garbage ----------------------------------------------------------
new garbage-with-nul
head -c 65536 /dev/urandom >compose.yaml
expect garbage-with-nul '^compose\.yaml: error: '

new garbage-without-nul
head -c 65536 /dev/urandom | tr -d '\000' >compose.yaml
expect garbage-without-nul '^compose\.yaml:[0-9]+:[0-9]+: error: '

new garbage-after-valid-start
{ echo services:; service app; head -c 4096 /dev/urandom | tr -d '\000'; } >compose.yaml
expect garbage-after-valid-start '^compose\.yaml:[0-9]+:[0-9]+: error: '

new invalid-utf8
printf 'services:\n  app:\n    image: "busy\377\376box"\n' >compose.yaml
expect invalid-utf8 '^compose\.yaml:[0-9]+:[0-9]+: error: '

new garbage-on-stdin
head -c 65536 /dev/urandom | tr -d '\000' >garbage
# shellcheck disable=SC2016 # the argument is c2sh's, not the shell's
expect garbage-on-stdin '^(-|stdin|<stdin>):[0-9]+:[0-9]+: error: ' -f - <"$tmp/garbage-on-stdin/garbage"

new endless-input
expect endless-input "cannot read '/dev/zero': File too large" -f /dev/zero

# ---- big files: an error at the very end must still be found and placed -----
new big-environment
{ bigfile "$BIG" environment; echo '  broken: ['; } >compose.yaml
expect big-environment '^compose\.yaml:[0-9]+:[0-9]+: error: '

new big-comment
{ bigfile "$BIG" comment; echo '    ports: ["99999:80"]'; } >compose.yaml
expect big-comment '^compose\.yaml:[0-9]+:[0-9]+: error: .*port'

new big-scalar
{ bigfile "$BIG" scalar; echo '    bogus: 1'; } >compose.yaml
expect big-scalar '^compose\.yaml:[0-9]+:[0-9]+: error: .*bogus'

new big-many-services
{ bigfile "$((BIG / 5))" services; echo '    depends_on: [nowhere]'; } >compose.yaml
expect big-many-services '^compose\.yaml:[0-9]+:[0-9]+: error: .*nowhere'

new too-big
{ bigfile 70 comment; } >compose.yaml
expect too-big "cannot read 'compose\.yaml': File too large"

# ---- deep nesting ----------------------------------------------------------------
new deep-flow-sequences
awk 'BEGIN { s = "services: {app: {image: busybox, command: "
	for (i = 0; i < 100000; i++) s = s "["
	for (i = 0; i < 100000; i++) s = s "]"
	print s "}}" }' >compose.yaml
expect deep-flow-sequences '^compose\.yaml:1:[0-9]+: error: .*nested'

new deep-flow-mappings
awk 'BEGIN { s = "x-deep: "
	for (i = 0; i < 100000; i++) s = s "{a: "
	s = s "1"
	for (i = 0; i < 100000; i++) s = s "}"
	print s; print "services: {app: {image: busybox}}" }' >compose.yaml
expect deep-flow-mappings '^compose\.yaml:1:[0-9]+: error: .*nested'

new deep-block-mappings
awk 'BEGIN { print "x-deep:"; ind = "  "
	for (i = 0; i < 2000; i++) { print ind "k:"; ind = ind " " }
	print ind "v" }' >compose.yaml
expect deep-block-mappings '^compose\.yaml:[0-9]+:[0-9]+: error: .*nested'

new deep-block-sequences
awk 'BEGIN { print "x-deep:"; ind = "  "
	for (i = 0; i < 2000; i++) { print ind "-"; ind = ind "  " }
	print ind "v" }' >compose.yaml
expect deep-block-sequences '^compose\.yaml:[0-9]+:[0-9]+: error: .*nested'

new deep-extends-chain
{ echo services:
	i=0
	while [ $i -lt 300 ]; do
		printf '  s%d:\n    extends: s%d\n' $i $((i + 1))
		i=$((i + 1))
	done
	printf '  s300:\n    extends: s0\n'; } >compose.yaml
expect deep-extends-chain '^compose\.yaml:[0-9]+:[0-9]+: error: .*(cycle|circular|extends)'

new long-depends-cycle
{ echo services:
	i=0
	while [ $i -lt 2000 ]; do
		printf '  s%d:\n    image: busybox\n    depends_on: [s%d]\n' $i $(((i + 1) % 2000))
		i=$((i + 1))
	done; } >compose.yaml
expect long-depends-cycle '^compose\.yaml:[0-9]+:[0-9]+: error: .*cycle'

# ---- alias bombs -----------------------------------------------------------------
new alias-bomb-sequences
awk 'BEGIN { print "x-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
	for (i = 1; i < 12; i++) {
		s = sprintf("x-%d: &a%d [", i, i)
		for (j = 0; j < 10; j++) s = s sprintf("%s*a%d", j ? ", " : "", i - 1)
		print s "]"
	}
	print "services: {app: {image: busybox, command: *a11}}" }' >compose.yaml
expect alias-bomb-sequences '^compose\.yaml:[0-9]+:[0-9]+: error: .*alias'

new alias-bomb-merge-keys
awk 'BEGIN { print "x-0: &a0 {k0: lol, k1: lol, k2: lol, k3: lol}"
	for (i = 1; i < 12; i++) {
		s = sprintf("x-%d: &a%d {", i, i)
		for (j = 0; j < 8; j++) s = s sprintf("%sm%d: *a%d", j ? ", " : "", j, i - 1)
		print s "}"
	}
	print "services: {app: {image: busybox, labels: {<<: *a11}}}" }' >compose.yaml
expect alias-bomb-merge-keys '^compose\.yaml:[0-9]+:[0-9]+: error: .*alias'

new alias-wide-fanout
awk 'BEGIN { s = "x-big: &big ["
	for (i = 0; i < 20000; i++) s = s sprintf("%sv%d", i ? ", " : "", i)
	print s "]"
	s = "x-use: ["
	for (i = 0; i < 200; i++) s = s sprintf("%s*big", i ? ", " : "")
	print s "]"
	print "services: {app: {image: busybox}}" }' >compose.yaml
expect alias-wide-fanout '^compose\.yaml:[0-9]+:[0-9]+: error: .*alias'

new extends-fan-out
awk 'BEGIN { print "services:"; print "  base:"; print "    image: busybox"
	print "    labels:"
	for (i = 0; i < 100000; i++) print "      l" i ": v"
	for (j = 0; j < 1000; j++) { print "  s" j ":"; print "    extends: base" } }' >compose.yaml
expect extends-fan-out '^compose\.yaml:[0-9]+:[0-9]+: error: .*extend.*more than'

# ---- interpolation bombs -------------------------------------------------------------
new interpolation-bomb-dotenv
{ echo 'A0=lollollollollol'
	i=1
	while [ $i -le 40 ]; do
		echo "A$i=\${A$((i - 1))}\${A$((i - 1))}"
		i=$((i + 1))
	done; } >.env
# shellcheck disable=SC2016 # $A40 is for c2sh to expand
{ echo services:; service app; echo '    environment: [X=$A40]'; } >compose.yaml
expect interpolation-bomb-dotenv '^\.env:[0-9]+:1: error: .*longer than'

new interpolation-fan-out
printf 'A=%s\n' "$(awk 'BEGIN { while (length(s) < 100000) s = s "0123456789"; print s }')" >.env
awk 'BEGIN { print "services:"; print "  app:"; print "    image: busybox"
	print "    labels:"
	for (i = 0; i < 1000; i++) print "      l" i ": ${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}" }' >compose.yaml
expect interpolation-fan-out '^compose\.yaml:[0-9]+:[0-9]+: error: .*longer than'

# ---- files that are not files ----------------------------------------------------
new compose-file-is-directory
mkdir compose.yaml
expect compose-file-is-directory "cannot read 'compose\.yaml': Is a directory"

new env-file-is-directory
{ echo services:; service app; echo '    env_file: conf'; } >compose.yaml
mkdir conf
expect env-file-is-directory "^compose\.yaml:[0-9]+:[0-9]+: error: .*Is a directory"

# (a .env that is a directory is skipped, as Compose does: not a case)
new env-file-option-is-directory
{ echo services:; service app; } >compose.yaml
mkdir vars
expect env-file-option-is-directory "vars is a directory" --env-file vars

new extends-file-is-directory
{ echo services:; echo '  app:'; echo '    extends: {file: base, service: app}'; } >compose.yaml
mkdir base
expect extends-file-is-directory "^compose\.yaml:[0-9]+:[0-9]+: error: .*Is a directory"

new include-is-directory
{ echo 'include: [other]'; echo services:; service app; } >compose.yaml
mkdir other
expect include-is-directory "^compose\.yaml:[0-9]+:[0-9]+: error: .*(Is a directory|other)"

new compose-file-dangling-symlink
ln -s nowhere.yaml compose.yaml
expect compose-file-dangling-symlink "cannot read 'compose\.yaml': No such file" -f compose.yaml

# ---- files c2sh may not read -------------------------------------------------------
new compose-file-unreadable
{ echo services:; service app; } >compose.yaml
chmod 000 compose.yaml
expect compose-file-unreadable "cannot read 'compose\.yaml': Permission denied" as-nobody

new env-file-unreadable
{ echo services:; service app; echo '    env_file: app.env'; } >compose.yaml
echo A=1 >app.env
chmod 000 app.env
expect env-file-unreadable "^compose\.yaml:[0-9]+:[0-9]+: error: .*Permission denied" as-nobody

new extends-file-unreadable
{ echo services:; echo '  app:'; echo '    extends: {file: base.yaml, service: app}'; } >compose.yaml
{ echo services:; service app; } >base.yaml
chmod 000 base.yaml
expect extends-file-unreadable "^compose\.yaml:[0-9]+:[0-9]+: error: .*Permission denied" as-nobody

new directory-unreadable
{ echo services:; service app; } >compose.yaml
chmod 000 .
expect directory-unreadable "cannot read 'compose\.yaml': Permission denied" as-nobody -f compose.yaml
chmod 755 "$tmp/directory-unreadable" 2>/dev/null

echo "badinput: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
