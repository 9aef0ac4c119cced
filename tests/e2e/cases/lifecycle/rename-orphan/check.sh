# shellcheck shell=sh disable=SC2154 # $out is the harness's
# whether the tool warned about orphan containers
check_step() {
	if grep -qi 'orphan container' "$out"; then
		echo "warns about orphan containers"
	else
		echo "no orphan warning"
	fi
}
