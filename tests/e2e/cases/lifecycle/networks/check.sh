# shellcheck shell=sh
# web still reaches other by its service name
check_step() {
	if docker exec "$P-web-1" ping -c 1 -W 2 other >/dev/null 2>&1; then
		echo "web reaches other"
	else
		echo "web does not reach other"
	fi
}
