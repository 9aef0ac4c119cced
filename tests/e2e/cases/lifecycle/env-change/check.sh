# shellcheck shell=sh disable=SC2016 # expanded in the container
# the environment each container has; db's named volume keeps its data
check_step() {
	[ "$1" -ne 1 ] || docker exec "$P-db-1" sh -c 'echo db data >/data/x'
	lc_in "$P-db-1" cat /data/x
	lc_in "$P-worker-1" sh -c 'echo "worker GREETING=$GREETING"'
}
