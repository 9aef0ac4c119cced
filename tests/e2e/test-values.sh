#!/bin/sh
# End-to-end: values are data (tests/e2e/cases/values/).  Environment
# values (inline and from an env_file), labels and command arguments
# holding ' " $(...) ` ; newlines % \ $$ and UTF-8 reach the container
# exactly as Compose delivers them, and nothing in them runs on the host.
# The case folder is copied into a directory whose own name holds a
# newline, quotes and $(...) (it ends up in the script's header and in
# Compose's working_dir label); the script must still be a clean one
# (dash -n, and shellcheck when installed).  Four ways to the same container:
#   c2sh     sh deploy.sh create                       project c2sh-e2e-values
#   compose  docker compose -p c2sh-e2e-values-ref create
#   dry-run  the commands `sh deploy.sh --dry-run up` prints, run by sh
#                                                      project c2sh-e2e-values-dry
#   literal  tests/e2e/cases/values/expected.*: the same values written out
#            as Go's %q prints them (env sorted, labels e2e.* only)
# compared on the container's environment, labels and command; then the
# c2sh container runs (`up`) and prints its arguments, compared with
# expected.output; and /tmp/c2sh-pwned, which every injected command would
# create, must not exist.
#
#   sh tests/e2e/test-values.sh       (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init values c2sh-test/busybox:latest
p=c2sh-e2e-values
ref=$p-ref
dry=$p-dry
e2e_project $p
e2e_project $ref
e2e_project $dry
pwned=/tmp/c2sh-pwned
if ! rm -f "$pwned" || [ -e "$pwned" ]; then
	fail "setup" "cannot remove $pwned"
	e2e_done
fi

# a directory name that is code in three ways; the line after the newline
# runs if the name reaches the script unquoted
dir="$tmp/it's \"q\" \$(touch $pwned) \`touch $pwned\`;
touch $pwned #"
mkdir -p "$dir" && cp "$cases/compose.yaml" "$cases/values.env" "$dir/" || exit 1

# dump NAME SECTION: a container's env (sorted), labels (all, or with
# `e2e` only ours) or cmd, one %q-quoted item per line
# shellcheck disable=SC2016 # Go templates
dump() {
	case $2 in
	env) field "$1" '{{range .Config.Env}}{{printf "%q" .}}{{"\n"}}{{end}}' | LC_ALL=C sort ;;
	labels) field "$1" '{{range $k, $v := .Config.Labels}}{{printf "%q=%q" $k $v}}{{"\n"}}{{end}}' |
		grep -v '^"com\.docker\.compose\.project"=' ;;
	e2e) dump "$1" labels | grep '^"e2e\.' ;;
	cmd) field "$1" '{{range .Config.Cmd}}{{printf "%q" .}}{{"\n"}}{{end}}' ;;
	esac | sed '/^$/d'
}

# same WHAT FILE-A FILE-B: pass when they are equal, else fail with a diff
same() {
	if diff -u "$2" "$3" >"$tmp/diff"; then
		pass "$1"
	else
		fail "$1" "$(sed 1,2d "$tmp/diff" | grep '^[-+]' | head -n 6 | tr '\n' ' ')"
	fi
}

# c2sh
compile "$tmp/deploy.sh" -p $p "$dir/compose.yaml"
# shellcheck disable=SC2016 # $1 and $? are for that sh
check "the script's header keeps the directory's name in comments" \
	sh -c 'sed -n "/^set -eu$/q;p" "$1" | grep -v "^#"; [ $? -eq 1 ]' sh "$tmp/deploy.sh"
check "the script passes dash -n" dash -n "$tmp/deploy.sh"
if command -v shellcheck >/dev/null 2>&1; then
	check "the script passes shellcheck" shellcheck "$tmp/deploy.sh"
fi
if sh "$tmp/deploy.sh" create >"$tmp/create.out" 2>&1; then
	pass "deploy.sh create"
else
	fail "deploy.sh create" "$(tail -n 3 "$tmp/create.out" | tr '\n' ' ')"
fi
for s in env labels cmd; do
	dump $p-v-1 $s >"$tmp/c2sh.$s"
done

# compose, from the same file
if docker compose -p $ref -f "$dir/compose.yaml" create >"$tmp/ref.out" 2>&1; then
	for s in env labels cmd; do
		dump $ref-v-1 $s >"$tmp/ref.$s"
	done
	same "environment as docker compose create delivers it" "$tmp/ref.env" "$tmp/c2sh.env"
	same "labels as docker compose create delivers them" "$tmp/ref.labels" "$tmp/c2sh.labels"
	same "command as docker compose create delivers it" "$tmp/ref.cmd" "$tmp/c2sh.cmd"
else
	fail "docker compose create" "$(tail -n 3 "$tmp/ref.out" | tr '\n' ' ')"
fi

# the literal values
same "environment as written" "$cases/expected.env" "$tmp/c2sh.env"
dump $p-v-1 e2e >"$tmp/c2sh.e2e"
same "labels as written" "$cases/expected.labels" "$tmp/c2sh.e2e"
same "command as written" "$cases/expected.cmd" "$tmp/c2sh.cmd"

# what --dry-run prints is what runs
compile "$tmp/dry.sh" -p $dry "$dir/compose.yaml"
if sh "$tmp/dry.sh" --dry-run up >"$tmp/dry.cmds" 2>"$tmp/dry.err" &&
	sh -eu "$tmp/dry.cmds" >"$tmp/dry.out" 2>&1; then
	pass "the commands --dry-run up prints run"
else
	fail "the commands --dry-run up prints run" \
		"$(cat "$tmp/dry.err" "$tmp/dry.out" | tail -n 3 | tr '\n' ' ')"
fi
for s in env e2e cmd; do
	dump $dry-v-1 $s >"$tmp/dry.$s"
done
same "--dry-run prints the environment as written" "$cases/expected.env" "$tmp/dry.env"
same "--dry-run prints the labels as written" "$cases/expected.labels" "$tmp/dry.e2e"
same "--dry-run prints the command as written" "$cases/expected.cmd" "$tmp/dry.cmd"

# the service prints what it got
if sh "$tmp/deploy.sh" up >"$tmp/up.out" 2>&1; then
	pass "deploy.sh up"
else
	fail "deploy.sh up" "$(tail -n 3 "$tmp/up.out" | tr '\n' ' ')"
fi
n=0
while [ "$(field $p-v-1 '{{.State.Status}}')" = running ] && [ $n -lt 20 ]; do
	sleep 0.25
	n=$((n + 1))
done
check "the service exited 0" [ "$(field $p-v-1 '{{.State.Status}} {{.State.ExitCode}}')" = "exited 0" ]
docker logs $p-v-1 >"$tmp/output" 2>&1
same "the service prints its arguments as written" "$cases/expected.output" "$tmp/output"

# and the other subcommands that handle names and values
for c in plan ps logs stop down; do
	sh "$tmp/deploy.sh" "$c" >"$tmp/$c.out" 2>&1 || fail "deploy.sh $c" "exit $?: $(tail -n 3 "$tmp/$c.out" | tr '\n' ' ')"
done
check "nothing ran on the host ($pwned does not exist)" [ ! -e "$pwned" ]

e2e_done
