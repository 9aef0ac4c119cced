# shellcheck shell=sh
# was each service's container recreated, or restarted, since the previous
# step?
check_step() {
	lc_restarted "$P-db-1" "$P-web-1" "$P-other-1"
}
