#!/bin/sh
# Install what c2sh needs on Debian 12, only the packages that are missing.
#   sh tests/setup.sh build   compiler, bison, re2c, libyaml
#   sh tests/setup.sh demo    the above, plus the Docker engine and what the
#                             local images are built from
#   sh tests/setup.sh test    all of it, plus Criterion, the sanitizer
#                             runtime, valgrind, shellcheck, and Compose v2 (the
#                             reference the tests compare against)
set -eu

build="gcc make bison re2c libyaml-dev pkg-config"
demo="$build docker.io busybox-static mmdebstrap curl"
test="$demo libcriterion-dev clang libclang-rt-14-dev valgrind shellcheck dash python3 jq"

case "${1:-build}" in
build) want=$build ;;
demo) want=$demo ;;
test) want=$test ;;
*) echo "usage: sh tests/setup.sh build|demo|test" >&2; exit 2 ;;
esac
here=$(dirname "$0")

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing \
	    >/dev/null
fi
if [ "${1:-build}" = test ]; then
	sh "$here/install-compose.sh"
fi
