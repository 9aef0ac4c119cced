# shellcheck shell=sh
# a container that is not the project's holds the name of web's container
# shellcheck disable=SC2034 # read by test-lifecycle.sh
foreign_containers=$P-web-1
before_step() {
	[ "$1" -ne 1 ] ||
		docker run -d --name "$P-web-1" c2sh-test/busybox:latest sleep 600
}
