# shellcheck shell=sh
# the data in web's anonymous volume (written at step 1) and web's cpuset
# (the engine refuses a container on CPU 99 when it is created)
check_step() {
	[ "$1" -ne 1 ] || docker exec "$P-web-1" sh -c 'echo written at step 1 >/data/x'
	lc_in "$P-web-1" cat /data/x
	echo "web cpuset: '$(field "$P-web-1" '{{.HostConfig.CpusetCpus}}')'"
}
