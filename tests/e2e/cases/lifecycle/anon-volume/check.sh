# shellcheck shell=sh disable=SC2016 # expanded in the container
# step 1 writes into the anonymous volume; every step reads it back
check_step() {
	[ "$1" -ne 1 ] || docker exec "$P-web-1" sh -c 'echo written at step 1 >/data/x'
	lc_in "$P-web-1" sh -c 'cat /data/x; echo "VERSION=$VERSION"'
}
