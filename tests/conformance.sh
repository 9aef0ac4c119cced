#!/bin/sh
# Loader conformance: c2sh -t config against docker compose config (2.26.1):
#   sh tests/conformance.sh DIR...
# For every *.yaml and *.yml under the folders (every one is taken as a
# compose file), from the file's folder, in an environment of only PATH
# and HOME, runs
#   docker compose -f FILE -p conformance config --format json
#   c2sh -f FILE -p conformance -t config --format json
# and compares the two, keys sorted (jq -S), then, when they agree, the
# JSON byte for byte (when no field is excused) and the YAML of both
# (config without --format) byte for byte:
#   [PASS] both accept the file and print the same JSON and YAML, or both
#          reject it and c2sh's error has a position (file:line:col);
#   [FAIL] otherwise, with the first lines of the diff or the errors;
#   [EXCUSED] the file is listed in tests/conformance/EXCUSED.
# Fields listed there (del) are removed from both sides before comparing.
# That file is the only place an intended difference may be recorded,
# each with its reason; nothing else is excused.
# Prints one line per file and a summary; exits 1 if any file failed.
# VERBOSE=1 prints the whole diff.
# REFCACHE=DIR keeps Compose's answers there and reuses them, so that a
# second run (the sanitizer tier after the plain one) runs only c2sh;
# REFCACHE_WRITE=1 asks Compose again and rewrites them.  The key is the
# file's path and contents and the arguments.
C2SH=${C2SH:-build/c2sh}
PROJ=${PROJ:-conformance}
here=$(cd "$(dirname "$0")" && pwd)
EXCUSED=${EXCUSED:-$here/conformance/EXCUSED}
[ $# -gt 0 ] || { echo "usage: sh tests/conformance.sh DIR..." >&2; exit 2; }
docker compose version 2>/dev/null | grep -q 2.26.1 || {
	echo "conformance: needs docker compose 2.26.1 (sh tests/install-compose.sh)" >&2
	exit 2
}
command -v jq >/dev/null 2>&1 || {
	echo "conformance: needs jq (sh tests/setup.sh test)" >&2
	exit 2
}
case $C2SH in /*) ;; *) C2SH=$(pwd)/$C2SH ;; esac
t=$(mktemp -d) || exit 2
trap 'rm -rf "$t"' EXIT
[ -z "${REFCACHE:-}" ] || mkdir -p "$REFCACHE" || exit 2

# EXCUSED: "file PATH -- reason" (PATH: the end of the file's path) and
# "del JQPATH -- reason" (a field removed from both outputs); # comments
filter='.'
: >"$t/files"
if [ -f "$EXCUSED" ]; then
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$EXCUSED" |
	    while read -r kind what _; do
		case $kind in
		file) echo "$what" >>"$t/files" ;;
		del) echo "$what" >>"$t/dels" ;;
		*) echo "conformance: $EXCUSED: unknown kind '$kind'" >&2 ;;
		esac
	done
	[ -f "$t/dels" ] && while read -r p; do
		filter="$filter | del($p)"
	done <"$t/dels" && echo "$filter" >"$t/filter"
fi
[ -f "$t/filter" ] && filter=$(cat "$t/filter")

find "$@" -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort \
    >"$t/list"
run() { env -i PATH="$PATH" HOME="$HOME" timeout 20 "$@"; }

# compose ARGS...: docker compose -f FILE ARGS in the file's folder, its
# output and exit status, from REFCACHE when it has them
compose() {
	key=
	if [ -n "${REFCACHE:-}" ]; then
		key=$REFCACHE/$({ printf '%s\n' "$f" "$*"; cat "$f"; } |
		    sha256sum | cut -c1-40)
		if [ -z "${REFCACHE_WRITE:-}" ] && [ -f "$key.rc" ]; then
			cat "$key.out" && cat "$key.err" >&2
			return "$(cat "$key.rc")"
		fi
	fi
	(cd "$dir" && run docker compose -f "$base" -p "$PROJ" "$@") \
	    >"$t/c.out" 2>"$t/c.err"
	c_rc=$?
	if [ -n "$key" ]; then
		cp "$t/c.out" "$key.out" && cp "$t/c.err" "$key.err" &&
		    echo "$c_rc" >"$key.rc"
	fi
	cat "$t/c.out" && cat "$t/c.err" >&2
	return "$c_rc"
}
excused() {
	while read -r e; do
		case $1 in *"$e") return 0 ;; esac
	done <"$t/files"
	return 1
}

pass=0 fail=0 exc=0 rej=0
while IFS= read -r f; do
	dir=$(dirname "$f") base=$(basename "$f")
	if excused "$f"; then
		exc=$((exc + 1))
		echo "[EXCUSED] $f"
		continue
	fi
	compose config --format json >"$t/ref" 2>"$t/referr"
	rs=$?
	(cd "$dir" && run "$C2SH" -q -f "$base" -p "$PROJ" -t config \
	    --format json) >"$t/mine" 2>"$t/err"
	ms=$?
	why=
	if [ $rs -ne 0 ] && [ $ms -ne 0 ]; then
		grep -q ':[0-9][0-9]*:[0-9][0-9]*' "$t/err" ||
		    why="both reject, but c2sh's error has no position"
	elif [ $rs -ne 0 ]; then
		why="compose rejects it, c2sh accepts it"
	elif [ $ms -ne 0 ]; then
		why="c2sh rejects it, compose accepts it"
	elif ! jq -S "$filter" "$t/ref" >"$t/ref.s" 2>/dev/null; then
		why="compose's output is not JSON"
	elif ! jq -S "$filter" "$t/mine" >"$t/mine.s" 2>"$t/jqerr"; then
		why="c2sh's output is not JSON: $(head -1 "$t/jqerr")"
	elif ! diff -u "$t/ref.s" "$t/mine.s" >"$t/diff"; then
		why="outputs differ (- compose, + c2sh)"
	elif [ "$filter" = . ] && ! cmp -s "$t/ref" "$t/mine"; then
		diff -u "$t/ref" "$t/mine" >"$t/diff"
		why="JSON bytes differ (- compose, + c2sh)"
	else
		# the YAML, byte for byte
		compose config >"$t/ref.s" 2>/dev/null
		(cd "$dir" && run "$C2SH" -q -f "$base" -p "$PROJ" -t config) \
		    >"$t/mine.s" 2>/dev/null
		diff -u "$t/ref.s" "$t/mine.s" >"$t/diff" ||
		    why="YAML outputs differ (- compose, + c2sh)"
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		if [ $rs -ne 0 ]; then
			rej=$((rej + 1))
			echo "[PASS] $f: both reject it"
		else
			echo "[PASS] $f"
		fi
		continue
	fi
	fail=$((fail + 1))
	echo "[FAIL] $f: $why"
	case $why in
	*"outputs differ"*)
		if [ -n "${VERBOSE:-}" ]; then
			tail -n +3 "$t/diff"
		else
			grep '^[-+] ' "$t/diff" | head -8
		fi | sed 's/^/    /'
		;;
	"compose rejects"*)
		grep -v level=warning "$t/referr" | head -2 | cut -c1-200 |
		    sed 's/^/    compose: /'
		;;
	*)
		head -3 "$t/err" | cut -c1-200 | sed 's/^/    c2sh: /'
		[ $rs -ne 0 ] && grep -v level=warning "$t/referr" | head -2 |
		    cut -c1-200 | sed 's/^/    compose: /'
		;;
	esac
done <"$t/list"
echo "conformance: $pass passed ($rej of them rejected by both), $fail failed, $exc excused"
[ "$fail" -eq 0 ]
