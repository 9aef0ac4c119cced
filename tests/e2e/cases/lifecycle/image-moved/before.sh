# shellcheck shell=sh
# two local images made from the test image, differing by a label; the tag
# c2sh-e2e-lifecycle/img:v names the first at step 1, the second from
# step 2 on (the compose file stays the same)
# shellcheck disable=SC2034 # read by test-lifecycle.sh
foreign_images='c2sh-e2e-lifecycle/img:v c2sh-e2e-lifecycle/img:a c2sh-e2e-lifecycle/img:b'
before_step() {
	for bs_v in a b; do
		docker image inspect "c2sh-e2e-lifecycle/img:$bs_v" >/dev/null 2>&1 ||
			printf 'FROM c2sh-test/busybox:latest\nLABEL c2sh.e2e.variant=%s\n' "$bs_v" |
			DOCKER_BUILDKIT=0 docker build -q -t "c2sh-e2e-lifecycle/img:$bs_v" - ||
			return 1
	done
	case $1 in
	1) docker tag c2sh-e2e-lifecycle/img:a c2sh-e2e-lifecycle/img:v ;;
	*) docker tag c2sh-e2e-lifecycle/img:b c2sh-e2e-lifecycle/img:v ;;
	esac
}
