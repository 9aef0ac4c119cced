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
# Services with env_file: Compose 2.26.1's `config --hash` hashes them
# without the env_file variables, while the container label, what c2sh
# computes, has them merged into environment; their expected hash is computed
# here from `config --format json` instead (see labelhash), and they are
# named on the file's line. Not compared, and named on the file's line:
# services with env_file and deploy, and services that use another service's
# container
# (network_mode/ipc/pid: service:X, volumes_from), whose label hashes X's
# container ID, known only at run time (c2sh prints null). Services scaled to
# 0 have no container and no hash.
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

# labelhash SVC: the container label's hash of a service with env_file, from
# Compose's resolved model ($t/resolved: `config --format json`, where
# env_file is merged into environment): the service's JSON without the
# fields ServiceHash blanks, Go's escaping of <, > and &, and the `$$` that
# `config` writes for `$` undone. Empty when the service has deploy (its
# replicas would need re-inserting in Go's field order).
labelhash() {
	jq -c --arg s "$1" '.services[$s] | select(.deploy == null) |
	    del(.build, .pull_policy, .scale)' "$t/resolved" 2>/dev/null |
		sed 's/</\\u003c/g; s/>/\\u003e/g; s/&/\\u0026/g; s/\$\$/$/g' |
		{ j=$(cat) && [ -n "$j" ] &&
		    printf '%s' "$j" | sha256sum | cut -d' ' -f1; }
}

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
	# services whose hash `config --hash` cannot give (see above), and
	# services with no container (scale 0)
	run docker compose -f "$f" -p "$PROJ" config --no-interpolate \
	    --format json >"$t/model" 2>/dev/null || : >"$t/model"
	jq -r '.services // {} | to_entries[] | select(.value.env_file) |
	    .key' "$t/model" >"$t/envfile" 2>/dev/null || : >"$t/envfile"
	if [ -s "$t/envfile" ]; then
		run docker compose -f "$f" -p "$PROJ" config --format json \
		    >"$t/resolved" 2>/dev/null || : >"$t/resolved"
	fi
	jq -r '.services // {} | to_entries[] |
	    select((.value.scale // .value.deploy.replicas // 1) | tostring ==
	    "0") | .key' "$t/model" >"$t/noctr" 2>/dev/null || : >"$t/noctr"
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
			href=$(labelhash "$svc")
			if [ -z "$href" ]; then
				known=$((known + 1))
				notes="$notes $svc(env_file: not compared)"
				continue
			fi
			notes="$notes $svc(env_file: compared with the label hash)"
		fi
		hmine=$(awk -v s="$svc" '$1 == s { print $2; exit }' "$t/mine")
		if [ -z "$hmine" ] && grep -qx "$svc" "$t/noctr"; then
			continue
		elif [ "$hmine" = null ]; then
			# network_mode/ipc/pid: service:X, volumes_from: the
			# hash has X's container ID, known only at run time
			known=$((known + 1))
			notes="$notes $svc(refers to another container: hashed at run time)"
		elif [ -z "$hmine" ]; then
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
		echo "[PASS] $f${notes:+ --$notes}"
	fi
done <"$t/list"
echo "conformance-hash: $skip files skipped (compose rejects them), $known services not comparable"
echo "conformance-hash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
