#!/bin/sh
# Generate a Compose project for the benchmarks, deterministically (the same
# arguments always print the same bytes).
#
#   sh bench/gen.sh [-d] [-c K] [-w WIDTH] N > compose.yaml
#
#   N         number of services, s0 .. s(N-1)
#   -w WIDTH  services per dependency level (default 10): s(i) depends on
#             s(i-WIDTH) (service_healthy), so the services form WIDTH
#             chains N/WIDTH deep. One edge per service on purpose: with two
#             (s(i-WIDTH) and s(i-WIDTH-1)) the number of paths grows
#             exponentially and `docker compose config` ran over 10 minutes
#             on 1,000 services (its graph walks are not memoized)
#   -d        deployable: every service runs c2sh-test/busybox:latest, a
#             process that exits at once on SIGTERM, and a fast healthcheck
#             (1 s interval); no long lists (the engine, not the compiler,
#             is being measured)
#   -c K      service s(K) changed: one more environment variable (for the
#             "up after one change" measurement)
#
# Without -d every service also has 24 environment variables (some with
# ${VAR:-default} interpolation), labels, a named volume on every third
# service, one of N/50 project networks plus a shared one, ulimits, a
# restart policy and a healthcheck.
set -eu
deploy=0
change=-1
width=10
while getopts dc:w: o; do
	case $o in
	d) deploy=1 ;;
	c) change=$OPTARG ;;
	w) width=$OPTARG ;;
	*) echo "usage: sh bench/gen.sh [-d] [-c K] [-w WIDTH] N" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: sh bench/gen.sh [-d] [-c K] [-w WIDTH] N" >&2; exit 2; }

awk -v n="$1" -v deploy="$deploy" -v change="$change" -v width="$width" '
BEGIN {
	nets = int(n / 50); if (nets < 1) nets = 1
	print "name: " (deploy ? "c2sh-bench-deploy" : "c2sh-bench-" n)
	print "services:"
	for (i = 0; i < n; i++) {
		print "  s" i ":"
		if (deploy) {
			print "    image: c2sh-test/busybox:latest"
			print "    command: [\"sh\", \"-c\", \"trap \x27exit 0\x27 TERM; sleep 86400 & wait\"]"
			print "    healthcheck:"
			print "      test: [\"CMD-SHELL\", \"true\"]"
			print "      interval: 1s"
			print "      timeout: 2s"
			print "      retries: 30"
		} else {
			print "    image: registry.example.com/bench/app" (i % 7) ":1." (i % 13)
			print "    command: [\"serve\", \"--port\", \"" (8000 + i % 100) "\", \"--id\", \"s" i "\"]"
			print "    restart: unless-stopped"
			print "    healthcheck:"
			print "      test: [\"CMD\", \"wget\", \"-q\", \"-O\", \"-\", \"http://localhost:" (8000 + i % 100) "/health\"]"
			print "      interval: 10s"
			print "      timeout: 3s"
			print "      retries: 5"
			print "      start_period: 5s"
			print "    labels:"
			print "      bench.tier: \"" (i % 3 == 0 ? "front" : i % 3 == 1 ? "logic" : "data") "\""
			print "      bench.index: \"" i "\""
			print "    ulimits:"
			print "      nofile: {soft: 4096, hard: 8192}"
		}
		print "    environment:"
		print "      SERVICE_NAME: s" i
		if (!deploy) {
			for (k = 0; k < 20; k++)
				printf "      VAR_%02d: \"value-%d-%d-%s\"\n", k, i, k, substr("abcdefghijklmnopqrstuvwxyz0123456789", 1 + (i + k) % 30, 6)
			print "      DB_HOST: ${BENCH_DB_HOST:-db" (i % 5) ".internal}"
			print "      LOG_LEVEL: ${BENCH_LOG_LEVEL:-info}"
			print "      PEER: s" (i + 1) % n
		}
		if (i == change)
			print "      CHANGED: \"1\""
		if (i >= width) {
			print "    depends_on:"
			print "      s" (i - width) ":"
			print "        condition: service_healthy"
		}
		print "    networks:"
		print "      - net" (i % nets)
		if (!deploy)
			print "      - shared"
		if (!deploy && i % 3 == 0) {
			print "    volumes:"
			print "      - data" i ":/var/lib/app"
			print "      - type: tmpfs"
			print "        target: /tmp"
		}
	}
	print "networks:"
	for (k = 0; k < nets; k++) {
		print "  net" k ":"
		print "    driver: bridge"
	}
	if (!deploy) {
		print "  shared:"
		print "    driver: bridge"
		print "    labels:"
		print "      bench.shared: \"yes\""
		print "volumes:"
		for (i = 0; i < n; i += 3)
			print "  data" i ":"
	}
}'
