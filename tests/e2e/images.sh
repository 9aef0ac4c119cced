#!/bin/sh
# Build the local images the end-to-end tests and the seed sample need (no
# registry is reachable, so nothing is pulled):
#   c2sh-test/busybox:latest     busybox-static in a 1 MB rootfs, CMD ["sh"]
#   c2sh-test/debian-py:latest   Debian bookworm (mmdebstrap) with
#                                python3-flask, python3-redis, redis-server
#   bharamicrosystems/python-flask-redis:latest
#                                the seed's app, samples/flask-redis/Dockerfile
#   redis:alpine                 a stand-in for the seed's redis, made from
#                                tests/e2e/images/redis/ (see its Dockerfile)
#   c2sh-test/systemd:latest     Debian bookworm (mmdebstrap) with systemd,
#                                dbus and the docker client, its own
#                                docker.service and docker.socket masked: a
#                                systemd to run in a container that drives
#                                the host's engine (test-systemd.sh)
#
#   sh tests/e2e/images.sh [-f] [busybox|debian-py|flask|redis|seed|systemd|all]...
#
# No name means all; seed means flask and redis; an image's base is built
# first when needed. Idempotent: each image carries a hash of its inputs in
# the label c2sh.test.inputs, and one whose tag exists with the same hash is
# left as it is; -f rebuilds the images named (not their bases) anyway. Installs busybox-static and mmdebstrap
# when missing. Needs the engine: starts it when it does not answer (and
# then stops it again at the end, see engine.sh). Prints what it builds and
# how long each took.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/e2e/engine.sh disable=SC1091 # followed with -x
. "$here/engine.sh"

label=c2sh.test.inputs
# bump one of these when its recipe below changes in a way the hashed
# inputs do not show
busybox_recipe=1
debian_recipe=1
# the applets linked in the busybox image's /bin
applets="sh sleep httpd wget nc cat echo ls true false env id touch date
printf test [ grep sed mkdir rm kill ps head tail wc cut tr sort uniq tee
expr seq basename dirname chmod cp mv ln hostname uname whoami find xargs
timeout nslookup ping netstat"
debian_suite=bookworm
debian_include=python3-flask,python3-redis,redis-server
systemd_recipe=1
systemd_include=systemd,systemd-sysv,docker.io,dbus

# no buildx plugin here: the classic builder of engine 20.10
DOCKER_BUILDKIT=0
export DOCKER_BUILDKIT

force=
built=
work=

say() {
	echo "images: $*"
}

cleanup() {
	[ -z "$work" ] || rm -rf "$work"
	engine_down
}

# The hash of standard input.
hash() {
	sha256sum | cut -d' ' -f1
}

# The inputs label of image $1, empty when the image is absent.
image_label() {
	docker image inspect --format "{{index .Config.Labels \"$label\"}}" \
		"$1" 2>/dev/null || true
}

image_id() {
	docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true
}

# up_to_date NAME TAG HASH: true when TAG exists with that inputs hash and
# NAME is not to be rebuilt by -f; says so.
up_to_date() {
	case "$force " in
	*" $1 "*) return 1 ;;
	esac
	[ "$(image_label "$2")" = "$3" ] || return 1
	say "$2 up to date"
}

# finish TAG OLDID T0: report the build and drop the image TAG replaced,
# unless something still uses it.
finish() {
	say "$1 built in $(($(date +%s) - $3)) s"
	new=$(image_id "$1")
	if [ -n "$2" ] && [ "$2" != "$new" ]; then
		docker rmi "$2" >/dev/null 2>&1 || true
	fi
}

# run_logged CMD...: run quietly; on failure show the end of its output.
run_logged() {
	if ! "$@" >"$work/log" 2>&1; then
		tail -n 30 "$work/log" >&2
		say "failed: $*" >&2
		return 1
	fi
}

build_busybox() {
	tag=c2sh-test/busybox:latest
	engine_apt_install busybox-static
	bb=$(dpkg -L busybox-static | grep -m1 '/bin/busybox$')
	passwd='root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false'
	group='root:x:0:
nogroup:x:65534:'
	h=$({
		sha256sum <"$bb"
		echo "$applets"
		echo "$passwd"
		echo "$group"
		echo "recipe $busybox_recipe"
	} | hash)
	up_to_date busybox "$tag" "$h" && return 0
	say "building $tag"
	t0=$(date +%s)
	old=$(image_id "$tag")
	r=$work/busybox
	mkdir -p "$r/bin" "$r/etc" "$r/root" "$r/tmp" "$r/proc" "$r/sys" \
		"$r/dev" "$r/var/www"
	chmod 1777 "$r/tmp"
	cp "$bb" "$r/bin/busybox"
	for a in $applets; do
		ln -s busybox "$r/bin/$a"
	done
	echo "$passwd" >"$r/etc/passwd"
	echo "$group" >"$r/etc/group"
	tar -C "$r" --numeric-owner --owner=0 --group=0 -cf "$work/busybox.tar" .
	run_logged docker import --change 'CMD ["sh"]' \
		--change "LABEL $label=$h" "$work/busybox.tar" "$tag"
	rm -rf "$r" "$work/busybox.tar"
	finish "$tag" "$old" "$t0"
}

build_debian_py() {
	tag=c2sh-test/debian-py:latest
	h=$(printf 'mmdebstrap --variant=apt --include=%s %s\nrecipe %s\n' \
		"$debian_include" "$debian_suite" "$debian_recipe" | hash)
	up_to_date debian-py "$tag" "$h" && return 0
	engine_apt_install mmdebstrap
	say "building $tag (mmdebstrap $debian_suite)"
	t0=$(date +%s)
	old=$(image_id "$tag")
	s=$(engine_sudo)
	# shellcheck disable=SC2086 # $s is empty or sudo
	run_logged $s mmdebstrap --variant=apt --include="$debian_include" \
		"$debian_suite" "$work/debian.tar"
	run_logged docker import --change 'CMD ["bash"]' \
		--change "LABEL $label=$h" "$work/debian.tar" "$tag"
	$s rm -f "$work/debian.tar"
	finish "$tag" "$old" "$t0"
}

build_systemd() {
	tag=c2sh-test/systemd:latest
	h=$(printf 'mmdebstrap --variant=apt --include=%s %s\nrecipe %s\n' \
		"$systemd_include" "$debian_suite" "$systemd_recipe" | hash)
	up_to_date systemd "$tag" "$h" && return 0
	engine_apt_install mmdebstrap
	say "building $tag (mmdebstrap $debian_suite)"
	t0=$(date +%s)
	old=$(image_id "$tag")
	s=$(engine_sudo)
	# the image's own engine is not wanted: the host's is used through
	# its socket; masked as systemctl mask does it (links to /dev/null)
	# shellcheck disable=SC2086,SC2016 # $s is empty or sudo; $1 is the hook's
	run_logged $s mmdebstrap --variant=apt --include="$systemd_include" \
		--customize-hook='for u in docker.service docker.socket containerd.service; do ln -sf /dev/null "$1/etc/systemd/system/$u"; done' \
		"$debian_suite" "$work/systemd.tar"
	run_logged docker import --change 'CMD ["/lib/systemd/systemd"]' \
		--change "LABEL $label=$h" "$work/systemd.tar" "$tag"
	$s rm -f "$work/systemd.tar"
	finish "$tag" "$old" "$t0"
}

# build_from NAME TAG CONTEXT DOCKERFILE FILE...: docker build, when the
# listed files or the base image changed.
build_from() {
	name=$1 tag=$2 ctx=$3 df=$4
	shift 4
	h=$({
		for f in "$df" "$@"; do
			sha256sum <"$f"
		done
		image_id c2sh-test/debian-py:latest
	} | hash)
	up_to_date "$name" "$tag" "$h" && return 0
	say "building $tag"
	t0=$(date +%s)
	old=$(image_id "$tag")
	run_logged docker build --label "$label=$h" -t "$tag" -f "$df" "$ctx"
	finish "$tag" "$old" "$t0"
}

build_flask() {
	d=$root/samples/flask-redis
	build_from flask bharamicrosystems/python-flask-redis:latest "$d" \
		"$d/Dockerfile" "$d/app.py"
}

build_redis() {
	d=$here/images/redis
	build_from redis redis:alpine "$d" "$d/Dockerfile" "$d/redis-server"
}

# want NAME: build NAME (after its base), once.
want() {
	case " $built " in
	*" $1 "*) return 0 ;;
	esac
	case $1 in
	busybox) build_busybox ;;
	debian-py) build_debian_py ;;
	flask | redis)
		want debian-py
		"build_$1"
		;;
	seed)
		want flask
		want redis
		;;
	systemd) build_systemd ;;
	all)
		want busybox
		want seed
		want systemd
		;;
	*)
		echo "usage: sh tests/e2e/images.sh [-f] [busybox|debian-py|flask|redis|seed|systemd|all]..." >&2
		exit 2
		;;
	esac
	built="$built $1"
}

main() {
	if [ "${1:-}" = -f ]; then
		shift
		for n in "${@:-all}"; do
			case $n in
			seed) force="$force flask redis" ;;
			all) force="$force busybox debian-py flask redis systemd" ;;
			*) force="$force $n" ;;
			esac
		done
	fi
	[ $# -gt 0 ] || set -- all
	work=$(mktemp -d)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	engine_up
	start=$(date +%s)
	for n in "$@"; do
		want "$n"
	done
	say "done in $(($(date +%s) - start)) s"
}

main "$@"
