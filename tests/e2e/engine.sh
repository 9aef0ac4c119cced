#!/bin/sh
# The Docker engine for the end-to-end tests.
#
# Sourced by an e2e test (`. tests/e2e/engine.sh`), it provides:
#   engine_up     install docker.io when dockerd is missing (apt-get, as root
#                 or through sudo), start dockerd in the background when
#                 `docker info` does not answer (its log goes to
#                 ${TMPDIR:-/tmp}/c2sh-e2e/dockerd.log), wait up to 30 s for
#                 it to answer. A daemon that already answers (the machine's,
#                 or one an earlier test started) is reused and left alone.
#   engine_down   stop the daemon only if engine_up in this shell started it:
#                 SIGTERM, then wait up to 20 s for it to exit.
#   engine_apt_install PKG...   install the Debian packages that are missing.
# A test calls engine_up first and engine_down in its exit trap.
#
# Run as a command, for the Makefile to start the engine once around all the
# e2e tests:
#   sh tests/e2e/engine.sh start    like engine_up; the pid of a daemon it
#                                   started is kept in
#                                   ${TMPDIR:-/tmp}/c2sh-e2e/dockerd.pid
#   sh tests/e2e/engine.sh stop     stop the daemon named in that pid file,
#                                   if any (one c2sh started, never another)
#   sh tests/e2e/engine.sh status   print whether the engine answers and who
#                                   started it; exit 0 when it answers
#
# Needs root or sudo only to install packages or start dockerd.

engine_dir=${TMPDIR:-/tmp}/c2sh-e2e
engine_log=$engine_dir/dockerd.log
engine_pidfile=$engine_dir/dockerd.pid
# the pid of the daemon engine_up started in this shell, empty otherwise
engine_started_pid=

engine_msg() {
	echo "engine: $*" >&2
}

# The prefix that runs a command as root: nothing, or sudo.
engine_sudo() {
	if [ "$(id -u)" -eq 0 ]; then
		echo ""
	elif command -v sudo >/dev/null 2>&1; then
		echo sudo
	else
		engine_msg "needs root or sudo"
		return 1
	fi
}

# True when the engine answers.
engine_answers() {
	eng_v=$(docker info --format '{{.ServerVersion}}' 2>/dev/null) &&
		[ -n "$eng_v" ] && [ "$eng_v" != "<no value>" ]
}

# True while process $1 exists and is not a zombie (reads /proc, so it also
# works for a root-owned daemon seen by another user).
engine_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	eng_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$eng_st" ] && [ "$eng_st" != Z ]
}

# True when process $1 is a dockerd (directly or through sudo).
engine_is_dockerd() {
	[ -r "/proc/$1/cmdline" ] &&
		tr '\0' ' ' <"/proc/$1/cmdline" | grep -q dockerd
}

# engine_apt_install PKG...: install those of the packages that are missing.
engine_apt_install() {
	eng_missing=
	for eng_p in "$@"; do
		dpkg-query -W -f='${Status}' "$eng_p" 2>/dev/null | grep -q 'ok installed' ||
			eng_missing="$eng_missing $eng_p"
	done
	[ -z "$eng_missing" ] && return 0
	eng_s=$(engine_sudo) || return 1
	engine_msg "installing:$eng_missing"
	$eng_s apt-get update -qq || return 1
	# shellcheck disable=SC2086 # one word per package
	DEBIAN_FRONTEND=noninteractive $eng_s apt-get install -y -qq $eng_missing >/dev/null
}

# A lock (a directory) so that tests run in parallel start one daemon.
engine_lock() {
	mkdir -p "$engine_dir" || return 1
	eng_n=0
	until mkdir "$engine_dir/lock" 2>/dev/null; do
		eng_holder=$(cat "$engine_dir/lock/pid" 2>/dev/null || true)
		if [ -n "$eng_holder" ] && ! engine_alive "$eng_holder"; then
			rm -rf "$engine_dir/lock" # left by a process that died
			continue
		fi
		eng_n=$((eng_n + 1))
		if [ "$eng_n" -gt 120 ]; then
			engine_msg "$engine_dir/lock held for 60 s; remove it if stale"
			return 1
		fi
		sleep 0.5
	done
	echo $$ >"$engine_dir/lock/pid"
}

engine_unlock() {
	rm -rf "$engine_dir/lock"
}

engine_up() {
	if engine_answers; then
		return 0
	fi
	engine_lock || return 1
	# in a list, so that a caller's set -e cannot skip the unlock
	engine_up_locked && eng_rc=0 || eng_rc=$?
	engine_unlock
	return "$eng_rc"
}

engine_up_locked() {
	# another test may have started it while this one waited for the lock
	engine_answers && return 0
	if ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; then
		engine_apt_install docker.io || return 1
	fi
	command -v docker >/dev/null 2>&1 || engine_apt_install docker.io || return 1
	eng_dockerd=$(command -v dockerd 2>/dev/null || echo /usr/sbin/dockerd)
	eng_s=$(engine_sudo) || return 1
	eng_t0=$(date +%s)
	$eng_s "$eng_dockerd" </dev/null >"$engine_log" 2>&1 &
	eng_pid=$!
	echo "$eng_pid" >"$engine_pidfile"
	engine_started_pid=$eng_pid
	eng_n=0
	while ! engine_answers; do
		if ! engine_alive "$eng_pid"; then
			engine_msg "dockerd exited; the end of $engine_log:"
			tail -n 20 "$engine_log" >&2
			rm -f "$engine_pidfile"
			engine_started_pid=
			return 1
		fi
		eng_n=$((eng_n + 1))
		if [ "$eng_n" -gt 60 ]; then
			engine_msg "dockerd did not answer within 30 s; see $engine_log"
			engine_stop_pid "$eng_pid"
			rm -f "$engine_pidfile"
			engine_started_pid=
			return 1
		fi
		sleep 0.5
	done
	engine_msg "started dockerd (pid $eng_pid) in $(($(date +%s) - eng_t0)) s; log: $engine_log"
}

# engine_stop_pid PID: SIGTERM, then wait up to 20 s for it to exit.
engine_stop_pid() {
	eng_pid=$1
	engine_alive "$eng_pid" || return 0
	eng_s=$(engine_sudo) || return 1
	$eng_s kill -TERM "$eng_pid" 2>/dev/null || true
	eng_n=0
	while engine_alive "$eng_pid"; do
		eng_n=$((eng_n + 1))
		if [ "$eng_n" -gt 40 ]; then
			engine_msg "dockerd (pid $eng_pid) still running after 20 s"
			return 1
		fi
		sleep 0.5
	done
	# reap it when it is this shell's child
	wait "$eng_pid" 2>/dev/null || true
	engine_msg "stopped dockerd (pid $eng_pid)"
}

engine_down() {
	[ -n "$engine_started_pid" ] || return 0
	eng_pid=$engine_started_pid
	engine_stop_pid "$eng_pid" || return 1
	engine_started_pid=
	if [ "$(cat "$engine_pidfile" 2>/dev/null || true)" = "$eng_pid" ]; then
		rm -f "$engine_pidfile"
	fi
}

# The command mode, only when this file is run rather than sourced.
engine_main() {
	case "${1:-}" in
	start)
		engine_up
		;;
	stop)
		eng_pid=$(cat "$engine_pidfile" 2>/dev/null || true)
		if [ -z "$eng_pid" ]; then
			engine_msg "no daemon started by c2sh; nothing to stop"
			return 0
		fi
		if engine_alive "$eng_pid" && engine_is_dockerd "$eng_pid"; then
			engine_stop_pid "$eng_pid" || return 1
		fi
		rm -f "$engine_pidfile"
		;;
	status)
		eng_pid=$(cat "$engine_pidfile" 2>/dev/null || true)
		if engine_answers; then
			if [ -n "$eng_pid" ] && engine_alive "$eng_pid"; then
				echo "engine: up, started by c2sh (pid $eng_pid)"
			else
				echo "engine: up, not started by c2sh"
			fi
		else
			echo "engine: down"
			return 1
		fi
		;;
	*)
		echo "usage: sh tests/e2e/engine.sh start|stop|status" >&2
		return 2
		;;
	esac
}

case "$0" in
*engine.sh) engine_main "$@" ;;
esac
