#!/bin/sh
# Error tests.  Each tests/errors/NAME.yaml is a broken compose file and
# NAME.err the exact diagnostics c2sh must print for it: exit status 1,
# nothing on stdout.  Run from tests/errors/ with an empty environment
# (plus NAME.environ, KEY=VALUE lines, when it exists).
# UPDATE=1 rewrites the .err files instead of comparing: review the diff.
root=$(cd "$(dirname "$0")/.." && pwd)
C2SH=${C2SH:-build/c2sh}
case $C2SH in /*) ;; *) C2SH=$root/$C2SH ;; esac
cd "$root/tests/errors" || exit 2
out=$(mktemp) && err=$(mktemp) || exit 2
trap 'rm -f "$out" "$err"' EXIT
pass=0 fail=0

for yaml in *.yaml; do
	[ -f "$yaml" ] || continue
	name=${yaml%.yaml}
	environ=
	[ -f "$name.environ" ] && environ=$(cat "$name.environ")
	# shellcheck disable=SC2086 # one word per line
	env -i PATH="$PATH" LC_ALL=C HOME=/nonexistent $environ \
	    timeout 10 "$C2SH" -p errtest "$yaml" >"$out" 2>"$err"
	rc=$?
	if [ -n "${UPDATE:-}" ]; then
		cp "$err" "$name.err"
		continue
	fi
	if [ "$rc" -eq 1 ] && [ ! -s "$out" ] && [ -s "$err" ] &&
	    diff -u "$name.err" "$err"; then
		pass=$((pass + 1))
		echo "[PASS] $name"
	else
		fail=$((fail + 1))
		echo "[FAIL] $name (exit $rc, $(wc -c <"$out") bytes on stdout)"
	fi
done
echo "errors: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
