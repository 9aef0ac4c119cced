#!/bin/sh
# Install what the benchmarks need, from Debian only (nothing here is a
# dependency of c2sh itself):
#   hyperfine, time, jq      the timing tools (jq reads hyperfine's JSON)
#   docker-compose           Compose v1 1.29, for comparison
#   podman-compose           1.0.3, for comparison (its --dry-run)
# plus Compose v2 (the reference) via tests/install-compose.sh, and the
# build and engine needs via tests/setup.sh demo.
# BENCH_OPTIONAL=0 skips docker-compose and podman-compose.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/../tests/setup.sh" demo
want="hyperfine time jq"
[ "${BENCH_OPTIONAL:-1}" = 0 ] || want="$want docker-compose podman-compose"
missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "bench: installing:$missing"
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	    --no-install-recommends $missing >/dev/null
fi
sh "$here/../tests/install-compose.sh"
