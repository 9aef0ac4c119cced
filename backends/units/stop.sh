# shellcheck shell=sh
# ExecStop of a container unit: c2sh NAME.  systemd runs it also after the
# container exited on its own (then MAINPID is unset): such a container
# stays, with its exit status and logs, as after `docker compose stop` (a
# dependent may be waiting for it to complete), until the unit starts
# again.
[ -n "$MAINPID" ] || exit 0
docker stop "$1" >/dev/null
docker rm -f "$1" >/dev/null
