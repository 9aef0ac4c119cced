# shellcheck shell=sh
# ExecStart of a network unit: c2sh NAME ARG...: create it unless it exists
n=$1
shift
docker network inspect "$n" >/dev/null 2>&1 || {
	echo "c2sh: creating network $n" >&2
	exec docker network create "$@" >/dev/null
}
