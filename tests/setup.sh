#!/bin/sh
# Install what c2sh needs on Debian 12, only the packages that are missing.
#   sh tests/setup.sh build   compiler, bison, re2c, libyaml
#   sh tests/setup.sh test    the above, plus Criterion and the sanitizer
#                             runtime for the test tiers
set -eu

build="gcc make bison re2c libyaml-dev pkg-config"
test="$build libcriterion-dev clang libclang-rt-14-dev"

case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
*) echo "usage: sh tests/setup.sh build|test" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
