# shellcheck shell=sh
# ExecStart of an external volume's unit: c2sh NAME: it must exist
docker volume inspect "$1" >/dev/null 2>&1 || {
	echo "c2sh: external volume \"$1\" not found" >&2
	exit 1
}
