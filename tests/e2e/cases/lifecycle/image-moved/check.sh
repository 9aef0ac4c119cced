# shellcheck shell=sh
# which of the two images web runs
check_step() {
	echo "web runs variant $(field "$P-web-1" '{{index .Config.Labels "c2sh.e2e.variant"}}')"
}
