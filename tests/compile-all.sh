#!/bin/sh
# Compile every compose file under the given folders to a plan:
#   sh tests/compile-all.sh DIR...
# A file passes when c2sh exits 0 with a plan on stdout, and compiling it
# a second time gives the same bytes (the output is deterministic).
# Prints one line per file and a summary; exits 1 if any file failed.
C2SH=${C2SH:-build/c2sh}
[ $# -gt 0 ] || { echo "usage: sh tests/compile-all.sh DIR..." >&2; exit 2; }
a=$(mktemp) && b=$(mktemp) && e=$(mktemp) || exit 2
trap 'rm -f "$a" "$b" "$e" "$a.list"' EXIT
pass=0 fail=0
find "$@" -type f \( -name compose.yaml -o -name compose.yml \
    -o -name docker-compose.yaml -o -name docker-compose.yml \) |
    LC_ALL=C sort >"$a.list"
while IFS= read -r f; do
	if timeout 20 "$C2SH" -q -t plan "$f" >"$a" 2>"$e" && [ -s "$a" ] &&
	    timeout 20 "$C2SH" -q -t plan "$f" >"$b" 2>/dev/null &&
	    cmp -s "$a" "$b"; then
		pass=$((pass + 1))
		echo "[PASS] $f"
	else
		fail=$((fail + 1))
		echo "[FAIL] $f"
		sed 's/^/    /' "$e" | head -20
	fi
done <"$a.list"
echo "compile-all: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
