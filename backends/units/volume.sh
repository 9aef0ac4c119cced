# shellcheck shell=sh
# ExecStart of a volume unit: c2sh NAME ARG...: create it unless it exists
n=$1
shift
docker volume inspect "$n" >/dev/null 2>&1 || {
	echo "c2sh: creating volume $n" >&2
	exec docker volume create "$@" >/dev/null
}
