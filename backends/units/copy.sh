# shellcheck shell=sh
# ExecStartPre of a container unit: c2sh CONTAINER TARGET MODE UID GID
# CONTENT: write a secret or config file into the created container,
# parent directories included
d=$(mktemp -d) || exit 1
mkdir -p "$d$(dirname "$2")" && printf '%s' "$6" >"$d$2" &&
    chmod "$3" "$d$2" || exit 1
if [ -n "$4$5" ]; then
	chown "${4:-0}:${5:-0}" "$d$2" && docker cp -a "$d/." "$1:/"
else
	docker cp "$d/." "$1:/"
fi
rc=$?
rm -rf "$d"
exit $rc
