#!/bin/sh
# Compare c2sh's com.docker.compose.config-hash of every service with the one
# the reference Docker Compose (2.26.1, see tests/install-compose.sh) prints:
#   sh tests/conformance-hash.sh [-a] DIR...
# Takes every compose.yaml, compose.yml, docker-compose.yaml and
# docker-compose.yml under the folders (with -a: every *.yaml and *.yml).
# For each file runs, in an environment of only PATH and HOME,
#   docker compose -f FILE -p PROJ config --hash '*'
#   c2sh -t json -p PROJ FILE
# and compares the hash per service. No engine is needed.
# [PASS] all hashes equal, [FAIL] a hash differs, a service is missing on one
# side, or c2sh rejects a file Compose accepts, [SKIP] Compose rejects the file.
# Services with env_file are not compared: Compose 2.26.1's `config --hash`
# hashes them without the env_file variables, while the container label (what
# c2sh computes) has them merged into environment.
# Prints one line per file and a summary; exits 1 if any file failed.
C2SH=${C2SH:-build/c2sh}
PROJ=${PROJ:-conformance}
all=
[ "${1:-}" = -a ] && { all=1; shift; }
[ $# -gt 0 ] || { echo "usage: sh tests/conformance-hash.sh [-a] DIR..." >&2; exit 2; }
docker compose version 2>/dev/null | grep -q 2.26.1 || {
	echo "conformance-hash: needs docker compose 2.26.1 (sh tests/install-compose.sh)" >&2
	exit 2
}
command -v jq >/dev/null 2>&1 || {
	echo "conformance-hash: needs jq (apt-get install jq)" >&2
	exit 2
}
case $C2SH in /*) ;; *) C2SH=$(pwd)/$C2SH ;; esac
t=$(mktemp -d) || exit 2
trap 'rm -rf "$t"' EXIT
pass=0 fail=0 skip=0 known=0
if [ -n "$all" ]; then
	find "$@" -type f \( -name '*.yaml' -o -name '*.yml' \)
else
	find "$@" -type f \( -name compose.yaml -o -name compose.yml \
	    -o -name docker-compose.yaml -o -name docker-compose.yml \)
fi | LC_ALL=C sort >"$t/list"

run() { env -i PATH="$PATH" HOME="$HOME" timeout 20 "$@"; }

while IFS= read -r f; do
	# `config --hash` alone skips some checks (a missing env_file): the
	# full `config` decides whether Compose accepts the file
	if ! run docker compose -f "$f" -p "$PROJ" config -q 2>"$t/referr" ||
	    ! run docker compose -f "$f" -p "$PROJ" config --hash '*' \
	    >"$t/ref" 2>"$t/referr"; then
		skip=$((skip + 1))
		echo "[SKIP] $f: compose rejects it: $(grep -v level=warning "$t/referr" |
			head -1 | cut -c1-160)"
		continue
	fi
	# services whose hash `config --hash` cannot give (see above)
	run docker compose -f "$f" -p "$PROJ" config --no-interpolate \
	    --format json 2>/dev/null |
		jq -r '.services // {} | to_entries[] | select(.value.env_file) | .key' \
		    >"$t/envfile" 2>/dev/null || : >"$t/envfile"
	if ! run "$C2SH" -q -t json -p "$PROJ" "$f" >"$t/json" 2>"$t/err"; then
		fail=$((fail + 1))
		echo "[FAIL] $f: c2sh rejects it"
		sed 's/^/    /' "$t/err" | head -10
		continue
	fi
	jq -r '.resources[] | select(.kind == "container") |
	    "\(.key) \(.config_hash)"' "$t/json" | LC_ALL=C sort -u >"$t/mine"
	LC_ALL=C sort -u "$t/ref" >"$t/ref.s"
	bad="" notes=""
	# join on service name: both files are "service hash"
	while read -r svc href; do
		if grep -qx "$svc" "$t/envfile"; then
			known=$((known + 1))
			notes="$notes $svc(env_file: not compared)"
			continue
		fi
		hmine=$(awk -v s="$svc" '$1 == s { print $2; exit }' "$t/mine")
		if [ -z "$hmine" ]; then
			bad="$bad
    $svc: missing from c2sh"
		elif [ "$hmine" != "$href" ]; then
			bad="$bad
    $svc: compose $href c2sh $hmine"
		fi
	done <"$t/ref.s"
	while read -r svc _; do
		awk -v s="$svc" '$1 == s { f = 1 } END { exit !f }' "$t/ref.s" ||
			bad="$bad
    $svc: not in compose's output"
	done <"$t/mine"
	if [ -n "$bad" ]; then
		fail=$((fail + 1))
		echo "[FAIL] $f$bad"
	else
		pass=$((pass + 1))
		echo "[PASS] $f${notes:+ -- known:$notes}"
	fi
done <"$t/list"
echo "conformance-hash: $skip skipped (compose rejects), $known services not compared (env_file)"
echo "conformance-hash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
