# shellcheck shell=sh
# ExecStartPre of a container unit: c2sh NAME PROJECT IMAGE keepcmd|- ARG...
# Remove a leftover container of the same name, by its ID and only when
# it is the project's (one of that name that is not makes the create
# fail, and is left alone); pull the image when missing; create the
# container with the image's ID as label com.docker.compose.image, as
# Compose does.  With keepcmd, the image's CMD is appended word by word
# (entrypoint: [] with no command keeps it in Compose).
n=$1 p=$2 img=$3 keep=$4
shift 4
if o=$(docker inspect -f '{{.Id}} {{index .Config.Labels "com.docker.compose.project"}}' "$n" 2>/dev/null) &&
    [ "${o#* }" = "$p" ]; then
	docker rm -f "${o%% *}" >/dev/null 2>&1 || :
fi
id=$(docker image inspect -f '{{.Id}}' "$img" 2>/dev/null) || {
	echo "c2sh: pulling $img" >&2
	docker pull "$img" >&2 && id=$(docker image inspect -f '{{.Id}}' "$img")
} || exit 1
if [ "$keep" = keepcmd ]; then
	k=$(docker image inspect -f '{{len .Config.Cmd}}' "$img") || k=0
	i=0
	while [ "$i" -lt "$k" ]; do
		a=$(docker image inspect -f "{{index .Config.Cmd $i}}" "$img"; echo x)
		a=${a%x}
		a=${a%?}
		set -- "$@" "$a"
		i=$((i + 1))
	done
fi
exec docker create --label "com.docker.compose.image=$id" "$@" >/dev/null
