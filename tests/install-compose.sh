#!/bin/sh
# Install the reference Docker Compose v2 (2.26.1) as a docker CLI plugin,
# to be used as a test oracle (tests/conformance-hash.sh):
#   sh tests/install-compose.sh
# Debian 12 ships only Compose v1; v2 comes from Debian's next release
# (trixie). A temporary apt source, used only to download the package, lives
# in a temporary folder: nothing from trixie is installed into the system and
# no trixie source stays configured. Only the plugin binary is extracted and
# copied to ~/.docker/cli-plugins/. Also installs the docker CLI (docker.io)
# when `docker` is missing. Needs root or sudo. Does nothing when
# `docker compose version` already prints 2.26.1.
set -eu

want=2.26.1

have_compose() {
	command -v docker >/dev/null 2>&1 &&
		docker compose version 2>/dev/null | grep -q "version v\{0,1\}$want"
}

if have_compose; then
	echo "install-compose: docker compose $want already installed"
	exit 0
fi

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "install-compose: needs root or sudo" >&2
		exit 1
	}
	sudo=sudo
fi

if ! command -v docker >/dev/null 2>&1; then
	echo "install-compose: installing the docker CLI (docker.io)"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker.io >/dev/null
fi

src=/etc/apt/sources.list.d/debian.sources
[ -r "$src" ] || {
	echo "install-compose: $src not found" >&2
	exit 1
}

d=$(mktemp -d)
trap '$sudo rm -rf "$d"' EXIT INT TERM
mkdir -p "$d/lists/partial" "$d/src"
# The first stanza of the system's Debian source (its mirror, its key), with
# the suite changed to trixie, in a private source folder.
awk 'BEGIN{RS="";ORS="\n\n"} NR==1' "$src" |
	sed 's/^Suites:.*/Suites: trixie/' >"$d/src/trixie.sources"
o="-oDir::Etc::SourceList=/dev/null -oDir::Etc::SourceParts=$d/src"
o="$o -oDir::State::Lists=$d/lists -oDir::Cache=$d/cache"
# the private folders are not writable by apt's sandbox user (_apt)
o="$o -oAPT::Sandbox::User=root"
mkdir -p "$d/cache/archives/partial"

echo "install-compose: downloading docker-compose from trixie"
# shellcheck disable=SC2086 # one word per option
$sudo apt-get $o -qq update
# shellcheck disable=SC2086
(cd "$d" && $sudo apt-get $o -qq download docker-compose)
set -- "$d"/docker-compose_*.deb
[ -f "$1" ] || {
	echo "install-compose: download failed" >&2
	exit 1
}
dpkg-deb --info "$1" | grep -q "Version: $want" || {
	echo "install-compose: $(basename "$1") is not $want" >&2
}
dpkg -x "$1" "$d/root"
mkdir -p "$HOME/.docker/cli-plugins"
cp "$d/root/usr/libexec/docker/cli-plugins/docker-compose" \
	"$HOME/.docker/cli-plugins/docker-compose"
chmod 755 "$HOME/.docker/cli-plugins/docker-compose"

docker compose version
have_compose || {
	echo "install-compose: docker compose $want not found after install" >&2
	exit 1
}
