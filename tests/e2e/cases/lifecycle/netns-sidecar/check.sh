# shellcheck shell=sh
# the sidecar shares main's network namespace, and reaches main's httpd on
# 127.0.0.1 (which answers "main VERSION")
check_step() {
	lc_netns "$P-main-1" "$P-side-1"
	ck_n=0
	until ck_a=$(docker exec "$P-side-1" wget -q -O- http://127.0.0.1:8080/ 2>/dev/null) ||
		[ $ck_n -ge 20 ]; do
		sleep 0.2
		ck_n=$((ck_n + 1))
	done
	echo "side gets from 127.0.0.1:8080: ${ck_a:-nothing}"
	lc_restarted "$P-side-1"
	check_compose
}
# and Compose finds what the tool made up to date: the sidecar's config
# hash holds main's container ID, as Compose computes it
# shellcheck disable=SC2154 # up_file: the step's compose file (the harness)
check_compose() {
	if docker compose -p "$P" -f "$up_file" up -d --dry-run 2>&1 |
	    grep -q 'Recreate\|Creating'; then
		echo "compose up would change something"
	else
		echo "compose up finds everything up to date"
	fi
}
