# shellcheck shell=sh
# a network without Compose's labels holds the name of the project's
# default network
# shellcheck disable=SC2034 # read by test-lifecycle.sh
foreign_networks=${P}_default
before_step() {
	[ "$1" -ne 1 ] || docker network create "${P}_default"
}
