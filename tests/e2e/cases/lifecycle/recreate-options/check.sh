# shellcheck shell=sh disable=SC2016 # expanded in the container
# web's data, written at step 1 into its anonymous volume (/data) and its
# named volume (/named), and its environment
check_step() {
	[ "$1" -ne 1 ] || docker exec "$P-web-1" sh -c 'echo anonymous >/data/x; echo named >/named/x'
	lc_in "$P-web-1" sh -c 'cat /data/x /named/x 2>&1; echo "VERSION=$VERSION"'
}
