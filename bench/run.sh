#!/bin/sh
# c2sh against Docker Compose, side by side on this machine (issue 8).
#
#   sh bench/run.sh [compile|deploy|all]      (make bench runs all)
#
# Compile: c2sh -t sh and -t plan against `docker compose config` (v2, the
# reference), `docker-compose config` (v1) and `podman-compose --dry-run up`
# when installed, on the seed sample and on generated projects of 10, 100,
# 1,000 and 5,000 services (bench/gen.sh). Whole-process wall time with
# hyperfine -N, in ROUNDS rounds whose tool order rotates (the tools
# alternate, so a burst of load from elsewhere hits all of them); the
# median of every run, and the spread (min-max) as the noise. Peak memory:
# /usr/bin/time's maximum resident set, the median of 3 runs (for `docker
# compose` the largest of the CLI and its plugin process, not the sum).
#
# Deploy (on the running engine, local images only): `sh deploy.sh up`
# against `docker compose up -d` on the seed sample and on a generated
# 30-service project (5 dependency levels, service_healthy, 1 s
# healthchecks): a cold up, a second up with nothing changed, an up after
# one service changed, and down. DEPLOY_RUNS runs, the tools alternating
# which goes first, everything removed between runs. Also the engine's own
# floor: the same containers started one level after the other by plain
# `docker start`, waiting for healthy as the dependency requires.
#
# Environment: C2SH (default build/c2sh), ROUNDS (3), DEPLOY_RUNS (3),
# BENCH_SIZES ("10 100 1000 5000"), BENCH_SLOW_MAX (largest size given to
# v1 and podman-compose, default 1000), BENCH_DIR (work folder, default
# build/bench-work). Writes bench/results.md and prints it; `report`
# only rewrites it from the measurements kept in BENCH_DIR.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
C2SH=${C2SH:-build/c2sh}
ROUNDS=${ROUNDS:-3}
DEPLOY_RUNS=${DEPLOY_RUNS:-3}
SIZES=${BENCH_SIZES:-10 100 1000 5000}
SLOW_MAX=${BENCH_SLOW_MAX:-1000}
W=${BENCH_DIR:-build/bench-work}
what=${1:-all}
seed=samples/flask-redis/docker-compose.yaml

mkdir -p "$W"
say() { echo "bench: $*" >&2; }

median() {	# numbers on stdin -> median
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) { print "-"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
spread() {	# milliseconds on stdin -> "min-max"
	sort -g | awk 'function f(v) {
		if (v >= 1000) return sprintf("%.2f s", v / 1000)
		if (v >= 100) return sprintf("%.0f", v)
		if (v >= 10) return sprintf("%.1f", v)
		return sprintf("%.2f", v) }
	NR == 1 {lo = $1} {hi = $1} END { if (NR) print f(lo) "-" f(hi); else print "-" }'
}
fmt() {	# milliseconds -> a short number
	awk -v v="$1" 'BEGIN {
		if (v == "-") print "-"
		else if (v >= 1000) printf "%.2f s", v / 1000
		else if (v >= 100) printf "%.0f ms", v
		else if (v >= 10) printf "%.1f ms", v
		else printf "%.2f ms", v }'
}
ratio() {	# a b -> a/b
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.3g", a / b }'
}
now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }

machine() {
	cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
	mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
	engine=$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo none)
	echo "Machine: $(nproc) cores, $cpu, $mem RAM; Docker engine $engine;" \
	    "$(docker compose version 2>/dev/null | head -1 || echo 'no Compose v2');" \
	    "$($C2SH --version 2>/dev/null | head -1);" \
	    "load average at start $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')."
}

# ---- compile ------------------------------------------------------------

# the command of tool $1 on project file $2 (v1 gets its own copy, below)
cmd_of() {
	case $1 in
	c2sh-sh) echo "$C2SH -q $2" ;;
	c2sh-plan) echo "$C2SH -q -t plan $2" ;;
	compose-v2) echo "docker compose -f $2 config" ;;
	compose-v1) echo "docker-compose -f $3 -p bench config" ;;
	podman-compose) echo "podman-compose -f $3 -p bench --dry-run up" ;;
	esac
}

compile_tools() {
	echo c2sh-sh c2sh-plan compose-v2
	if command -v docker-compose >/dev/null 2>&1; then echo compose-v1; fi
	if command -v podman-compose >/dev/null 2>&1 && command -v podman >/dev/null 2>&1; then
		echo podman-compose
	fi
}

# runs per round: the slow tools get fewer on big projects
runs_for() {	# tool size
	case $1 in
	c2sh-*)
		if [ "$2" -ge 5000 ]; then echo 3
		elif [ "$2" -ge 1000 ]; then echo 5
		else echo 10; fi ;;
	*)
		if [ "$2" -ge 1000 ]; then echo 1
		elif [ "$2" -ge 100 ]; then echo 3
		else echo 5; fi ;;
	esac
}

compile_one() {	# label size file
	label=$1 n=$2 f=$3
	# v1 and podman-compose do not know the top-level name: a copy without it
	f1=$W/$label.noname.yaml
	grep -v '^name:' "$f" > "$f1"
	tools=$(compile_tools)
	r=0
	while [ "$r" -lt "$ROUNDS" ]; do
		# rotate the order of the tools each round
		order=$(echo "$tools" | tr ' ' '\n' | awk -v r="$r" '{t[NR-1] = $0} END {for (i = 0; i < NR; i++) print t[(i + r) % NR]}')
		for t in $order; do
			case $t in compose-v1|podman-compose) [ "$n" -le "$SLOW_MAX" ] || continue ;; esac
			c=$(cmd_of "$t" "$f" "$f1")
			hyperfine -N -w 1 -r "$(runs_for "$t" "$n")" -i --style none \
			    --export-json "$W/h.json" "$c" >/dev/null 2>&1 || {
				say "failed: $c"; continue; }
			jq -r '.results[0].times[] * 1000' "$W/h.json" >> "$W/$label.$t.times"
			[ "$(jq '.results[0].exit_codes | map(select(. != 0)) | length' "$W/h.json")" = 0 ] ||
				echo failed > "$W/$label.$t.failed"
		done
		r=$((r + 1))
	done
	for t in $tools; do
		case $t in compose-v1|podman-compose) [ "$n" -le "$SLOW_MAX" ] || continue ;; esac
		c=$(cmd_of "$t" "$f" "$f1")
		for k in 1 2 3; do
			# shellcheck disable=SC2086 # the command's words
			/usr/bin/time -f %M -o "$W/rss1" $c >/dev/null 2>&1 || :
			tail -1 "$W/rss1" >> "$W/$label.$t.rss"
		done
	done
	say "compiled $label ($n services)"
}

compile_table() {
	echo "| project | services | tool | median wall | min-max | runs | peak RSS | speed-up vs Compose v2 |"
	echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
	for p in seed $SIZES; do
		[ "$p" = seed ] && n=2 || n=$p
		ref=$(median < "$W/$p.compose-v2.times" 2>/dev/null || echo -)
		for t in $(compile_tools); do
			if [ ! -s "$W/$p.$t.times" ]; then
				echo "| $p | $n | $t | not run | | | | |"
				continue
			fi
			m=$(median < "$W/$p.$t.times")
			s=$(spread < "$W/$p.$t.times")
			k=$(wc -l < "$W/$p.$t.times")
			rss=$(median < "$W/$p.$t.rss" | awk '{printf "%.1f MB", $1 / 1024}')
			fail=
			[ ! -e "$W/$p.$t.failed" ] || fail=" (exit status not 0)"
			echo "| $p | $n | $t$fail | $(fmt "$m") | $s | $k | $rss | $(ratio "$ref" "$m")x |"
		done
	done
	echo
	for t in c2sh-sh c2sh-plan; do
		a=$(median < "$W/1000.$t.times" 2>/dev/null || echo -)
		b=$(median < "$W/5000.$t.times" 2>/dev/null || echo -)
		echo "Growth of $t from 1,000 to 5,000 services: $(ratio "$b" "$a")x (linear would be 5x; the target is at most 6x)."
	done
}

compile() {
	command -v hyperfine >/dev/null || { say "hyperfine missing: sh bench/setup.sh"; exit 1; }
	rm -f "$W"/*.c2sh-sh.* "$W"/*.c2sh-plan.* "$W"/*.compose-v1.* \
	    "$W"/*.compose-v2.* "$W"/*.podman-compose.*
	compile_one seed 2 "$seed"
	for n in $SIZES; do
		sh "$here/gen.sh" "$n" > "$W/gen$n.yaml"
		compile_one "$n" "$n" "$W/gen$n.yaml"
	done
}

# ---- deploy -------------------------------------------------------------

DP=c2sh-bench-deploy	# the generated project's name (gen.sh -d)
SP=c2sh-bench-seed

clean() {	# project
	docker compose -p "$1" down -v --remove-orphans -t 2 >/dev/null 2>&1 || :
	ids=$(docker ps -aq --filter "label=com.docker.compose.project=$1")
	# shellcheck disable=SC2086 # one word per id
	[ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || :
}

port80_free() {
	! docker ps --format '{{.Ports}}' | grep -q ':80->'
}

# one run of tool $1 on project $2: cold up, no-op up, changed up, down
deploy_run() {	# tool project-label project-name file changed-file
	t=$1 l=$2 pn=$3 f=$4 fc=$5
	clean "$pn"
	if [ "$t" = c2sh ]; then
		$C2SH -q -p "$pn" -o "$W/$l.deploy.sh" "$f"
		$C2SH -q -p "$pn" -o "$W/$l.changed.sh" "$fc"
		up="sh $W/$l.deploy.sh up" up2="sh $W/$l.changed.sh up" down="sh $W/$l.changed.sh down"
	else
		up="docker compose -p $pn -f $f up -d" up2="docker compose -p $pn -f $fc up -d"
		down="docker compose -p $pn -f $fc down"
	fi
	for step in cold noop changed down; do
		case $step in
		cold|noop) c=$up ;; changed) c=$up2 ;; down) c=$down ;;
		esac
		t0=$(now)
		$c >"$W/deploy.log" 2>&1 || { say "failed: $c"; sed 's/^/  /' "$W/deploy.log" | tail -5 >&2; echo failed > "$W/$l.$t.$step.failed"; }
		ms_since "$t0" >> "$W/$l.$t.$step.times"
	done
	clean "$pn"
}

# the engine's floor on the 30-service project's critical path: one
# container per level, each started by plain `docker start` once the one
# before is healthy (what any tool must wait for), and a single start
engine_floor() {
	levels=$1
	# shellcheck disable=SC2046 # one word per id
	docker rm -f $(docker ps -aq --filter label=c2sh.bench=floor) >/dev/null 2>&1 || :
	k=0
	while [ "$k" -lt "$levels" ]; do
		docker create --label c2sh.bench=floor --name "c2sh-bench-floor-$k" \
		    --health-cmd true --health-interval 1s --health-timeout 2s --health-retries 30 \
		    c2sh-test/busybox:latest sh -c "trap 'exit 0' TERM; sleep 86400 & wait" >/dev/null
		k=$((k + 1))
	done
	t0=$(now)
	docker start c2sh-bench-floor-0 >/dev/null
	ms_since "$t0" >> "$W/floor.start1.times"
	docker rm -f c2sh-bench-floor-0 >/dev/null
	docker create --label c2sh.bench=floor --name c2sh-bench-floor-0 \
	    --health-cmd true --health-interval 1s --health-timeout 2s --health-retries 30 \
	    c2sh-test/busybox:latest sh -c "trap 'exit 0' TERM; sleep 86400 & wait" >/dev/null
	t0=$(now)
	k=0
	while [ "$k" -lt "$levels" ]; do
		docker start "c2sh-bench-floor-$k" >/dev/null
		if [ $((k + 1)) -lt "$levels" ]; then
			until [ "$(docker inspect -f '{{.State.Health.Status}}' "c2sh-bench-floor-$k")" = healthy ]; do
				sleep 0.05
			done
		fi
		k=$((k + 1))
	done
	ms_since "$t0" >> "$W/floor.chain.times"
	t0=$(now)
	# shellcheck disable=SC2046 # one word per id
	docker rm -f $(docker ps -aq --filter label=c2sh.bench=floor) >/dev/null
	ms_since "$t0" >> "$W/floor.rm.times"
}

deploy() {
	sh tests/e2e/engine.sh status >/dev/null 2>&1 || { say "no engine answers: sh tests/e2e/engine.sh start"; exit 1; }
	rm -f "$W"/d30.c2sh.* "$W"/d30.compose.* "$W"/seed.c2sh.* "$W"/seed.compose.* "$W"/floor.*
	sh tests/e2e/images.sh busybox seed >&2
	# the 30-service project: 5 levels of 6, and s15 changed
	sh "$here/gen.sh" -d -w 6 30 > "$W/d30.yaml"
	sh "$here/gen.sh" -d -w 6 -c 15 30 > "$W/d30.changed.yaml"
	# the seed with flask changed
	awk '{print} /^  flask:$/ {print "    environment:"; print "      BENCH_CHANGED: \"1\""}' \
	    "$seed" > "$W/seed.changed.yaml"
	cp "$seed" "$W/seed.yaml"
	r=0
	while [ "$r" -lt "$DEPLOY_RUNS" ]; do
		[ $((r % 2)) = 0 ] && order="c2sh compose" || order="compose c2sh"
		for t in $order; do
			deploy_run "$t" d30 "$DP" "$W/d30.yaml" "$W/d30.changed.yaml"
			say "deploy run $((r + 1)): $t on 30 services"
		done
		engine_floor 5
		k=0
		until port80_free || [ "$k" -ge 30 ]; do
			[ "$k" -gt 0 ] || say "port 80 is busy (another test?): waiting"
			sleep 10; k=$((k + 1))
		done
		if port80_free; then
			for t in $order; do
				deploy_run "$t" seed "$SP" "$W/seed.yaml" "$W/seed.changed.yaml"
				say "deploy run $((r + 1)): $t on the seed"
			done
		else
			say "port 80 stayed busy: seed run $((r + 1)) skipped"
		fi
		r=$((r + 1))
	done
}

deploy_table() {
	echo "| project | step | c2sh (deploy.sh) | docker compose | ratio c2sh/Compose | runs (c2sh, compose) |"
	echo "| --- | --- | ---: | ---: | ---: | ---: |"
	for l in d30 seed; do
		[ "$l" = d30 ] && name="generated, 30 services" || name="seed (flask-redis)"
		for step in cold noop changed down; do
			a=$(median < "$W/$l.c2sh.$step.times" 2>/dev/null || echo -)
			b=$(median < "$W/$l.compose.$step.times" 2>/dev/null || echo -)
			na=$(wc -l < "$W/$l.c2sh.$step.times" 2>/dev/null || echo 0)
			nb=$(wc -l < "$W/$l.compose.$step.times" 2>/dev/null || echo 0)
			sa=$(spread < "$W/$l.c2sh.$step.times" 2>/dev/null || echo -)
			sb=$(spread < "$W/$l.compose.$step.times" 2>/dev/null || echo -)
			fa='' fb=''
			[ ! -e "$W/$l.c2sh.$step.failed" ] || fa=" (failed)"
			[ ! -e "$W/$l.compose.$step.failed" ] || fb=" (failed)"
			case $step in
			cold) s="cold \`up\`" ;; noop) s="\`up\`, nothing changed" ;;
			changed) s="\`up\`, one service changed" ;; down) s="\`down\`" ;;
			esac
			echo "| $name | $s | $(fmt "$a") ($sa)$fa | $(fmt "$b") ($sb)$fb | $(ratio "$a" "$b") | $na, $nb |"
		done
	done
	echo
	echo "Engine floor (plain docker, same image and healthcheck), medians:" \
	    "one \`docker start\` $(fmt "$(median < "$W/floor.start1.times")");" \
	    "the critical path of the 30-service project, 5 containers started one after the other, each once the previous is healthy:" \
	    "$(fmt "$(median < "$W/floor.chain.times")");" \
	    "\`docker rm -f\` of those 5: $(fmt "$(median < "$W/floor.rm.times")")."
}

# ---- report -------------------------------------------------------------

report() {
	{
		echo "# c2sh benchmarks"
		echo
		cat "$W/machine.txt" 2>/dev/null || machine
		echo
		if [ -s "$W/seed.c2sh-sh.times" ]; then
			echo "## Compile (whole process, median of all runs over $ROUNDS rounds in rotating order)"
			echo
			compile_table
			echo
		fi
		if [ -s "$W/d30.c2sh.cold.times" ] || [ -s "$W/seed.c2sh.cold.times" ]; then
			echo "## Deploy (wall time, median over $DEPLOY_RUNS runs alternating which tool goes first; min-max in parentheses, ms)"
			echo
			deploy_table
		fi
	} > "$here/results.md"
	cat "$here/results.md"
}

[ -x "$C2SH" ] || { say "$C2SH missing: make"; exit 1; }
# the machine as the measurements start (report alone keeps the last one)
[ "$what" = report ] || machine > "$W/machine.txt"
cat "$W/machine.txt" >&2 2>/dev/null || :
case $what in
compile) compile ;;
deploy) deploy ;;
all) compile; deploy ;;
report) ;;
*) echo "usage: sh bench/run.sh [compile|deploy|all|report]" >&2; exit 2 ;;
esac
report
