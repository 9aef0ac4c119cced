# shellcheck shell=sh
# ExecStart of a build unit: c2sh IMAGE inline|- DOCKERFILE-TEXT ARG...:
# build the image unless it exists (a Dockerfile given inline goes to
# docker build's stdin)
img=$1 how=$2 text=$3
shift 3
docker image inspect "$img" >/dev/null 2>&1 && exit 0
echo "c2sh: building $img" >&2
if [ "$how" = inline ]; then
	printf '%s' "$text" | docker build "$@"
else
	exec docker build "$@"
fi
