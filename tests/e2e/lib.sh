#!/bin/sh
# What every end-to-end test (tests/e2e/test-*.sh) shares; sourced, never
# run.  A test calls
#   e2e_init NAME [IMAGE...]   start the engine when none answers (see
#                              engine.sh), build the local images the test
#                              names when one is missing (images.sh), make a
#                              temporary directory $tmp, and set the exit
#                              trap that removes every registered project's
#                              containers, networks and volumes, $tmp, and
#                              the engine if this test started it
#   e2e_project NAME           register a project for that clean-up (and
#                              remove what an earlier, interrupted run left)
#   pass WHAT / fail WHAT DETAILS   one result line: [PASS] / [FAIL]
#   check WHAT CMD...          pass when CMD succeeds, fail with its output
#   e2e_systemd NAME           run systemd in container NAME (image
#                              c2sh-test/systemd), driving the host's engine
#                              through its socket; removed on exit
#   sd CMD...                  run CMD in that container
# and ends with e2e_done, which exits 1 when any check failed.
#
# $C2SH is the compiler (default build/c2sh of this checkout); $root the
# checkout; $cases the test's own folder tests/e2e/cases/NAME.

# the makes a test runs are a user's own, not sub-makes of `make check`
# (which would print make[N] and pass on its flags and job server)
unset MAKELEVEL MAKEFLAGS MFLAGS
e2e_here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$e2e_here/../.." && pwd)
C2SH=${C2SH:-$root/build/c2sh}
case $C2SH in /*) ;; *) C2SH=$root/$C2SH ;; esac
# shellcheck source=tests/e2e/engine.sh disable=SC1091 # followed with -x
. "$e2e_here/engine.sh"

e2e_name=
e2e_sysd=
e2e_projects=
e2e_failed=0
e2e_passed=0
tmp=
cases=

pass() {
	e2e_passed=$((e2e_passed + 1))
	printf '[PASS] %s: %s\n' "$e2e_name" "$1"
}

fail() {
	e2e_failed=$((e2e_failed + 1))
	printf '[FAIL] %s: %s (%s)\n' "$e2e_name" "$1" "$2"
}

# check WHAT CMD...: run CMD; pass, or fail showing the end of its output.
check() {
	chk_what=$1
	shift
	if chk_out=$("$@" 2>&1); then
		pass "$chk_what"
	else
		fail "$chk_what" "$(printf '%s' "$chk_out" | tail -n 5 | tr '\n' ' ')"
	fi
}

# e2e_clean PROJECT: remove everything of the project Docker knows about.
e2e_clean() {
	cl_ids=$(docker ps -aq --filter "label=com.docker.compose.project=$1")
	# shellcheck disable=SC2086 # one word per ID
	[ -z "$cl_ids" ] || docker rm -f -v $cl_ids >/dev/null 2>&1 || :
	cl_ids=$(docker network ls -q --filter "label=com.docker.compose.project=$1")
	# shellcheck disable=SC2086
	[ -z "$cl_ids" ] || docker network rm $cl_ids >/dev/null 2>&1 || :
	cl_ids=$(docker volume ls -q --filter "label=com.docker.compose.project=$1")
	# shellcheck disable=SC2086
	[ -z "$cl_ids" ] || docker volume rm -f $cl_ids >/dev/null 2>&1 || :
}

e2e_project() {
	e2e_projects="$e2e_projects $1"
	e2e_clean "$1"
}

e2e_exit() {
	e2e_rc=$?
	trap - EXIT
	[ -z "$e2e_sysd" ] || docker rm -f "$e2e_sysd" >/dev/null 2>&1
	for e2e_p in $e2e_projects; do
		e2e_clean "$e2e_p"
	done
	[ -z "$tmp" ] || [ -n "${E2E_KEEP:-}" ] || rm -rf "$tmp"
	engine_down || :
	exit "$e2e_rc"
}

e2e_init() {
	e2e_name=$1
	shift
	# shellcheck disable=SC2034 # for the tests
	cases=$e2e_here/cases/$e2e_name
	e2e_t0=$(date +%s)
	trap e2e_exit EXIT
	trap 'exit 130' INT TERM
	if [ ! -x "$C2SH" ]; then
		fail "setup" "no compiler at $C2SH (run make)"
		exit 1
	fi
	if ! engine_up; then
		fail "setup" "the Docker engine does not answer"
		exit 1
	fi
	for e2e_i in "$@"; do
		docker image inspect "$e2e_i" >/dev/null 2>&1 && continue
		if ! sh "$e2e_here/images.sh" all >&2; then
			fail "setup" "cannot build the test images (tests/e2e/images.sh)"
			exit 1
		fi
		break
	done
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/c2sh-e2e-$e2e_name.XXXXXX")
}

e2e_done() {
	printf '%s: %d passed, %d failed in %d s\n' "$e2e_name" "$e2e_passed" \
		"$e2e_failed" "$(($(date +%s) - e2e_t0))"
	[ "$e2e_failed" -eq 0 ] || exit 1
	exit 0
}

# compile OUT C2SH-ARG...: compile to OUT (warnings are not the test's
# business); fail the test at once when that does not work.
compile() {
	cp_out=$1
	shift
	if ! "$C2SH" -q "$@" >"$cp_out" 2>"$tmp/c2sh.err"; then
		fail "compile $*" "$(tr '\n' ' ' <"$tmp/c2sh.err")"
		e2e_done
	fi
}

# cid NAME: a container's ID, empty when it is absent.
cid() {
	docker inspect -f '{{.Id}}' "$1" 2>/dev/null || :
}

# field NAME TEMPLATE: docker inspect -f TEMPLATE, empty when absent.
field() {
	docker inspect -f "$2" "$1" 2>/dev/null || :
}

# ns TIME: an RFC 3339 time as nanoseconds since the epoch.
ns() {
	date -d "$1" +%s%N
}

# count KIND PROJECT: how many containers/networks/volumes the project has.
count() {
	case $1 in
	containers) docker ps -aq --filter "label=com.docker.compose.project=$2" ;;
	networks) docker network ls -q --filter "label=com.docker.compose.project=$2" ;;
	volumes) docker volume ls -q --filter "label=com.docker.compose.project=$2" ;;
	esac | wc -l | tr -d ' '
}

# e2e_systemd NAME: start systemd in container NAME (the recipe of
# shared/ENVIRONMENT.md: no --privileged, the host's cgroups and engine
# socket) and wait up to 30 s until it runs; fail the test when it does not.
e2e_systemd() {
	e2e_sysd=$1
	docker rm -f "$e2e_sysd" >/dev/null 2>&1
	if ! docker run -d --name "$e2e_sysd" --cap-add SYS_ADMIN \
		--security-opt seccomp=unconfined --security-opt apparmor=unconfined \
		--cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw \
		-v /var/run/docker.sock:/var/run/docker.sock --tmpfs /run \
		--tmpfs /run/lock c2sh-test/systemd >"$tmp/sysd.out" 2>&1; then
		fail "setup" "cannot run systemd: $(tr '\n' ' ' <"$tmp/sysd.out")"
		e2e_done
	fi
	sd_n=0
	until sd_st=$(sd systemctl is-system-running 2>/dev/null) &&
		{ [ "$sd_st" = running ] || [ "$sd_st" = degraded ]; }; do
		sd_n=$((sd_n + 1))
		if [ $sd_n -gt 60 ]; then
			fail "setup" "systemd in $e2e_sysd is not running: $sd_st"
			e2e_done
		fi
		sleep 0.5
	done
}

sd() {
	docker exec "$e2e_sysd" "$@"
}
