# shellcheck shell=sh
# ExecStart of an external network's unit: c2sh NAME: it must exist
docker network inspect "$1" >/dev/null 2>&1 || {
	echo "c2sh: network $1 declared as external, but could not be found" >&2
	exit 1
}
