# shellcheck shell=sh
# each replica writes its number into its anonymous volume at step 1; the
# replica that stays through each scale-down (and the recreate of step 4)
# keeps its own volume, so its data
check_step() {
	if [ "$1" = 1 ]; then
		for ck_i in 1 2 3; do
			docker exec "$P-web-$ck_i" sh -c "echo $ck_i >/data/n"
		done
	fi
	for ck_i in 1 2 3; do
		if docker inspect "$P-web-$ck_i" >/dev/null 2>&1; then
			echo "web-$ck_i holds: $(lc_in "$P-web-$ck_i" cat /data/n 2>&1 || :)"
		fi
	done
}
