#!/bin/sh
# End-to-end, differential: a project's lifecycle under deploy.sh and the
# Makefile against Docker Compose (the reference).
#
# Each scenario, tests/e2e/cases/lifecycle/NAME/, is a sequence of compose
# files applied one by one to the same project (c2sh-e2e-lc-NAME):
#   steps       one line per step: `FILE [UP-OPTION...]`, e.g.
#               `2.yaml --remove-orphans`; `parallel FILE [UP-OPTION...]`
#               runs two such `up`s of the project at once and waits for
#               both (their exit statuses are not recorded: they may
#               differ); the state must be that of one up, so Compose, the
#               reference, runs one (two Compose 2.26.1 ups at once race:
#               they make two networks of the same name, then fail with
#               "network ... is ambiguous", leaving containers created)
#   1.yaml ...  the compose files
#   before.sh   optional, sourced: defines `before_step N`, run before step
#               N for every tool alike (make a foreign object, write data,
#               re-tag an image), and may set, for the clean-up between
#               tools and at exit and for the trace:
#                 foreign_containers  names of containers made outside the
#                                     project (shown in the trace by name)
#                 foreign_networks    the same for networks
#                 foreign_images      images made by before_step (removed
#                                     at exit only)
#   check.sh    optional, sourced: defines `check_step N`, run after step N;
#               what it prints goes into the trace (so never IDs or times;
#               the helpers below print stable words)
# The scenario runs first with `docker compose -p P -f FILE up -d OPTS`,
# then, after the project (and its foreign objects) is removed entirely,
# with `c2sh -p P FILE > deploy.sh; sh deploy.sh up OPTS` and again with
# `c2sh -t make -p P FILE > Makefile; make -f Makefile up UP_OPTS='OPTS'`.
# After each step a trace is recorded: the step, the exit status (0 or
# nonzero), every container of the project (name, state, service and
# number labels, networks, mounts, and the container, image, network and
# anonymous volume IDs replaced by tokens c1, i1, n1, v1... in the order of
# first appearance in that run: a kept container keeps its token, a
# recreated one gets a new one), the project's networks and volumes, the
# foreign objects, whether each anonymous volume seen so far is still
# there, and the check's lines.  The trace of deploy.sh and of
# make must each equal Compose's: one [PASS] or [FAIL] (with the start of
# the diff, and the tool's output at the first step that differs) per
# scenario and tool.  In the traces the project's name is written P.
#
# The scenarios (what Compose 2.26.1 does, which the traces pin down):
#   anon-volume        environment changed: recreated, the anonymous
#                      volume (data written at step 1) inherited
#   env-change         one service's environment changed: it alone is
#                      recreated; a named volume keeps its data
#   scale-down         3 -> 1 -> 3 -> 1 with a change: the lowest numbers
#                      stay, each with its anonymous volume and data;
#                      numbers 2 and 3 come back as new containers
#   scale-up           1 -> 3: web-1 kept, 2 and 3 created
#   restart-dep        db changed, web depends on it (restart: true): db
#   dep-no-restart     and web are both recreated, with restart: true or
#                      false alike; an unrelated service is kept
#   netns-sidecar      network_mode service:main, main changed: the
#                      sidecar is recreated into main's new namespace, and
#                      compose up afterwards finds everything up to date
#   foreign-container  P-web-1 exists outside the project: up fails, the
#                      container is untouched
#   foreign-network    P_default exists without Compose's labels: up fails,
#                      the network is untouched, nothing is created
#   image-moved        the tag moves to another image, same file: recreated
#   networks           a network added, then removed from the file: web is
#                      recreated each time; up leaves the unused network
#   port-added         a published port added: recreated, and it answers
#   rename-orphan      a service renamed: the old container is kept with a
#                      warning, and removed by --remove-orphans
#   oneshot            an exited job is started again by each up (same
#                      container), its runs counted in a named volume
#   refused-replacement the engine refuses the changed container at create
#                      time: up fails, the old one keeps running, its data
#   recreate-options   --force-recreate (all services, anonymous data
#                      kept), --no-recreate (changes ignored), -V on an
#                      unchanged file (nothing), --force-recreate -V (new
#                      anonymous volume; the old one is left behind)
#   concurrent         two ups at once, then two more after a change: the
#                      state of one up
#
#   sh tests/e2e/test-lifecycle.sh [SCENARIO...]   (default: all)
#   LIFECYCLE_TOOLS='sh make'   the tools compared with Compose (default
#                               both); set and empty: Compose only, and
#                               each Compose trace is printed
#   LIFECYCLE_SHOW=1            print every trace
#   E2E_KEEP=1                  keep $tmp (traces, outputs) for a look
#   C2SH=path/to/c2sh           test another build
#
# Helpers for check.sh (each prints one line):
#   lc_in NAME CMD...       CMD's output in container NAME (docker exec),
#                           or "NAME: exec failed"
#   lc_vol VOLUME CMD...    CMD's output in a throwaway container with the
#                           volume at /v, or "VOLUME: no such volume"
#   lc_restarted NAME...    NAME's container against the previous step's:
#                           "NAME created" (none before), "NAME recreated"
#                           (another ID), "NAME restarted" (same ID, another
#                           start time), "NAME not restarted", "NAME absent"
#   lc_netns A B            whether A and B share a network namespace
#   lc_wait NAME            wait (up to 10 s) until NAME is not running
# and may read $P (the project), $step (the step number), $out (the
# step's output: the tool's stdout and stderr).
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init lifecycle c2sh-test/busybox:latest
# one build for the whole run, even when the compiler is rebuilt meanwhile
cp "$C2SH" "$tmp/c2sh"
C2SH=$tmp/c2sh
busybox=c2sh-test/busybox:latest
tools=${LIFECYCLE_TOOLS-sh make}
show=${LIFECYCLE_SHOW:-}
[ -n "$tools" ] || show=1
for t in $tools; do
	case $t in
	sh | make) ;;
	*)
		fail "setup" "LIFECYCLE_TOOLS: unknown tool $t (sh, make)"
		e2e_done
		;;
	esac
done
# every foreign object of the scenarios run, for the exit trap
lc_all_containers='' lc_all_networks='' lc_all_images=''

# shellcheck disable=SC2317 # the exit trap
lc_exit() {
	lc_rc=$?
	lc_clean_foreign "$lc_all_containers" "$lc_all_networks"
	for lc_t in "$tmp"/*/*/tokens; do
		[ ! -f "$lc_t" ] || lc_clean_anonymous "$lc_t"
	done
	# shellcheck disable=SC2086 # one word per image
	[ -z "$lc_all_images" ] || docker rmi -f $lc_all_images >/dev/null 2>&1
	(exit "$lc_rc")
	e2e_exit
}
trap lc_exit EXIT

# lc_clean_foreign CONTAINERS NETWORKS: remove them (after the project).
lc_clean_foreign() {
	# shellcheck disable=SC2086 # one word per name
	[ -z "$1" ] || docker rm -f -v $1 >/dev/null 2>&1
	for lcf_n in $2; do
		docker network rm "$lcf_n" >/dev/null 2>&1
	done
	:
}

# lc_clean_anonymous TOKENS: remove the anonymous volumes a run saw (an
# up -V leaves the one it renewed behind, with no label to find it by).
lc_clean_anonymous() {
	awk '$2 ~ /^v/ { print $1 }' "$1" | while read -r lca_v; do
		docker volume rm -f "$lca_v" >/dev/null 2>&1
	done
	:
}

# ---- helpers for the scenarios' check.sh --------------------------------
# (shellcheck: called from those files, which it does not follow)

# shellcheck disable=SC2317
lc_in() {
	lci_n=$1
	shift
	docker exec "$lci_n" "$@" 2>/dev/null || echo "$lci_n: exec failed"
}

# shellcheck disable=SC2317
lc_vol() {
	lcv_v=$1
	shift
	if docker volume inspect "$lcv_v" >/dev/null 2>&1; then
		docker run --rm -v "$lcv_v:/v" "$busybox" "$@" 2>&1
	else
		echo "$lcv_v: no such volume"
	fi
}

# shellcheck disable=SC2317
lc_restarted() {
	# one docker call for all of them
	lcr_all=$(docker inspect -f '{{.Name}} {{.Id}} {{.State.StartedAt}}' "$@" 2>/dev/null)
	for lcr_n in "$@"; do
		lcr_f=$run/started.$lcr_n
		lcr_now=$(printf '%s\n' "$lcr_all" | awk -v n="/$lcr_n" '$1 == n { print $2, $3 }')
		lcr_was=$(cat "$lcr_f" 2>/dev/null || :)
		printf '%s\n' "$lcr_now" >"$lcr_f"
		if [ -z "$lcr_now" ]; then
			echo "$lcr_n absent"
		elif [ -z "$lcr_was" ]; then
			echo "$lcr_n created"
		elif [ "${lcr_now%% *}" != "${lcr_was%% *}" ]; then
			echo "$lcr_n recreated"
		elif [ "$lcr_now" = "$lcr_was" ]; then
			echo "$lcr_n not restarted"
		else
			echo "$lcr_n restarted"
		fi
	done
}

# shellcheck disable=SC2317
lc_netns() {
	lcn_a=$(docker exec "$1" readlink /proc/1/ns/net 2>/dev/null || :)
	lcn_b=$(docker exec "$2" readlink /proc/1/ns/net 2>/dev/null || :)
	if [ -z "$lcn_a" ] || [ -z "$lcn_b" ]; then
		echo "$1 $2 network namespace: unknown"
	elif [ "$lcn_a" = "$lcn_b" ]; then
		echo "$1 $2 network namespace: same"
	else
		echo "$1 $2 network namespace: different"
	fi
}

# shellcheck disable=SC2317
lc_wait() {
	lcw_n=0
	while [ "$(field "$1" '{{.State.Status}}')" = running ] && [ "$lcw_n" -lt 40 ]; do
		sleep 0.25
		lcw_n=$((lcw_n + 1))
	done
}

# ---- the trace ------------------------------------------------------------

# token KIND ID: ID's stable token in this run (KIND1, KIND2, ... in the
# order of first appearance); the tokens live in $run/tokens.
token() {
	tk=$(awk -v id="$2" '$1 == id { print $2; exit }' "$run/tokens")
	if [ -z "$tk" ]; then
		tk=$1$(($(grep -c " $1[0-9]*\$" "$run/tokens") + 1))
		echo "$2 $tk" >>"$run/tokens"
	fi
	printf '%s\n' "$tk"
}

# describe PREFIX ID...: one line per container, IDs as tokens.
describe() {
	ds_prefix=$1
	shift
	docker inspect -f '{{.Name}}|{{.State.Status}}|{{index .Config.Labels "com.docker.compose.service"}}|{{index .Config.Labels "com.docker.compose.container-number"}}|{{.Id}}|{{.Image}}|{{.HostConfig.NetworkMode}}|{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}|{{range .Mounts}}{{.Destination}}={{if .Name}}{{.Name}}{{else}}{{.Source}}{{end}} {{end}}' \
		"$@" 2>/dev/null | sort | while IFS='|' read -r ds_name ds_state ds_svc ds_num ds_id ds_img ds_mode ds_nets ds_mounts; do
		ds_line="$ds_prefix ${ds_name#/} $ds_state service=$ds_svc number=$ds_num id=$(token c "$ds_id") image=$(token i "$ds_img")"
		case $ds_mode in
		container:*) ds_line="$ds_line netns=$(token c "${ds_mode#container:}")" ;;
		esac
		ds_n=
		for ds_x in $ds_nets; do
			ds_n="$ds_n${ds_n:+,}$ds_x"
		done
		ds_line="$ds_line networks=${ds_n:--}"
		ds_m=
		# shellcheck disable=SC2086 # one word per mount
		for ds_x in $(printf '%s\n' $ds_mounts | LC_ALL=C sort); do
			ds_v=${ds_x#*=}
			if [ ${#ds_v} -eq 64 ] && [ -z "$(printf '%s' "$ds_v" | tr -d 0-9a-f)" ]; then
				ds_v=anonymous:$(token v "$ds_v")
			fi
			ds_m="$ds_m${ds_m:+,}${ds_x%%=*}=$ds_v"
		done
		printf '%s mounts=%s\n' "$ds_line" "${ds_m:--}"
	done
}

# trace STEP STATUS: the state after a step, appended to $run/trace (a
# handful of docker calls: each costs 0.1 s or more).
trace() {
	{
		printf '%s up %s: exit %s\n' "$1" "$step_line" "$2"
		{
			lc_label=label=com.docker.compose.project=$P
			tr_ids=$(docker ps -aq --filter "$lc_label")
			# shellcheck disable=SC2086 # one word per ID
			[ -z "$tr_ids" ] || describe container $tr_ids
			for tr_c in $foreign_containers; do
				if docker container inspect "$tr_c" >/dev/null 2>&1; then
					describe "foreign container" "$tr_c"
				else
					echo "foreign container $tr_c absent"
				fi
			done
			docker network ls --no-trunc --filter "$lc_label" \
				--format '{{.Name}} {{.ID}}' | LC_ALL=C sort |
				while read -r tr_n tr_id; do
					echo "network $tr_n id=$(token n "$tr_id")"
				done
			for tr_n in $foreign_networks; do
				if tr_id=$(docker network inspect -f '{{.Id}}' "$tr_n" 2>/dev/null); then
					echo "foreign network $tr_n id=$(token n "$tr_id")"
				else
					echo "foreign network $tr_n absent"
				fi
			done
			# the project's volumes; and every anonymous volume seen in
			# this run: still there?
			docker volume ls --format '{{.Name}} {{.Label "com.docker.compose.project"}}' >"$run/volumes"
			awk -v p="$P" '$2 == p { print "volume " $1 }' "$run/volumes"
			awk '$2 ~ /^v/' "$run/tokens" | while read -r tr_id tr_tk; do
				if grep -q "^$tr_id " "$run/volumes"; then
					echo "anonymous volume $tr_tk present"
				else
					echo "anonymous volume $tr_tk gone"
				fi
			done
			if command -v check_step >/dev/null 2>&1; then
				check_step "$1" 2>&1 | sed 's/^/check: /'
			fi
		} | LC_ALL=C sort | sed "s/^/$1 /"
	} | sed "s/$P/P/g" >>"$run/trace"
}

# ---- the tools --------------------------------------------------------------

# build TOOL FILE: compile FILE for TOOL (deploy.sh or Makefile in $run);
# c2sh's complaints in $out.  Nothing to do for Compose.
build() {
	case $1 in
	sh) "$C2SH" -q -p "$P" "$dir/$2" >"$run/deploy.sh" 2>"$out" ;;
	make) "$C2SH" -q -t make -p "$P" "$dir/$2" >"$run/Makefile" 2>"$out" ;;
	esac
}

# up TOOL FILE OPT...: one `up` of the project by TOOL (already built);
# output in $out.
up() {
	up_tool=$1 up_file=$dir/$2
	shift 2
	case $up_tool in
	compose)
		docker compose -p "$P" -f "$up_file" up -d "$@" </dev/null >"$out" 2>&1
		;;
	sh)
		sh "$run/deploy.sh" up "$@" </dev/null >"$out" 2>&1
		;;
	make)
		if [ $# -gt 0 ]; then
			(cd "$run" && make -f Makefile up UP_OPTS="$*") </dev/null >"$out" 2>&1
		else
			(cd "$run" && make -f Makefile up) </dev/null >"$out" 2>&1
		fi
		;;
	esac
}

# run_tool TOOL: the scenario by TOOL, from nothing; the trace in
# $tmp/NAME/TOOL/trace.
run_tool() {
	run=$tmp/$name/$1
	rm -rf "$run"
	mkdir -p "$run"
	: >"$run/tokens"
	: >"$run/trace"
	step=0
	while IFS= read -r step_line <&3; do
		case $step_line in '' | '#'*) continue ;; esac
		step=$((step + 1))
		out=$run/out.$step
		if command -v before_step >/dev/null 2>&1; then
			before_step "$step" >"$run/before.$step" 2>&1 ||
				echo "$step before_step failed" >>"$run/trace"
		fi
		rt_t0=$(date +%s%N)
		# shellcheck disable=SC2086 # the options are words
		set -- $step_line
		rt_par=
		if [ "$1" = parallel ]; then
			rt_par=1
			shift
		fi
		if ! build "$tool" "$1"; then
			rt_st=nonzero
			[ -z "$rt_par" ] || rt_st=-
		elif [ -n "$rt_par" ] && [ "$tool" = compose ]; then
			# the reference is one up: Compose 2.26.1 is not safe
			# against itself (two at once make two networks of the
			# project's name, then fail "network ... is ambiguous")
			up "$tool" "$@" || :
			rt_st=-
		elif [ -n "$rt_par" ]; then
			(up "$tool" "$@") &
			rt_a=$!
			out=$run/out.$step.b
			(up "$tool" "$@") &
			rt_b=$!
			wait "$rt_a" "$rt_b"
			out=$run/out.$step
			rt_st=-
		elif up "$tool" "$@"; then
			rt_st=0
		else
			rt_st=nonzero
		fi
		rt_t1=$(date +%s%N)
		trace "$step" "$rt_st"
		# how long the up and the trace took, in ms (for a slow run)
		echo "$step $(((rt_t1 - rt_t0) / 1000000)) $((($(date +%s%N) - rt_t1) / 1000000))" >>"$run/times"
	done 3<"$dir/steps"
	e2e_clean "$P"
	lc_clean_foreign "$foreign_containers" "$foreign_networks"
	lc_clean_anonymous "$run/tokens"
}

# ---- the scenarios ----------------------------------------------------------

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046 # one word per scenario
	set -- $(cd "$cases" && ls)
fi
for name in "$@"; do
	if [ ! -f "$cases/$name/steps" ]; then
		fail "$name" "no such scenario: $cases/$name/steps"
		continue
	fi
	dir=$cases/$name
	P=c2sh-e2e-lc-$name
	e2e_project "$P"
	unset -f before_step check_step
	foreign_containers='' foreign_networks='' foreign_images=''
	# shellcheck source=/dev/null # a scenario's own
	[ ! -f "$dir/before.sh" ] || . "$dir/before.sh"
	# shellcheck source=/dev/null
	[ ! -f "$dir/check.sh" ] || . "$dir/check.sh"
	lc_all_containers="$lc_all_containers $foreign_containers"
	lc_all_networks="$lc_all_networks $foreign_networks"
	lc_all_images="$lc_all_images $foreign_images"
	# what an interrupted run may have left (the project went with
	# e2e_project; each run_tool removes what it made)
	lc_clean_foreign "$foreign_containers" "$foreign_networks"

	t0=$(date +%s)
	for tool in compose $tools; do
		run_tool "$tool"
		if [ -n "$show" ]; then
			printf '=== %s: %s\n' "$name" "$tool"
			cat "$run/trace"
		fi
		[ "$tool" = compose ] && continue
		ref=$tmp/$name/compose/trace
		if diff -u "$ref" "$run/trace" >"$run/diff" 2>&1; then
			pass "$name: $tool"
		else
			# the first step that differs, and what the tool said there
			first=$(sed '1,2d' "$run/diff" | sed -n 's/^[-+]\([0-9]*\) .*/\1/p' | head -n 1)
			fail "$name: $tool" "trace differs from Compose's (- Compose, + $tool, P is $P):
$(sed '1,2d' "$run/diff" | grep '^[-+]' | head -n 12)
$tool's output at step $first:
$(tail -n 4 "$run/out.$first" 2>/dev/null | sed 's/^/  /')"
		fi
	done
	[ -n "$tools" ] || pass "$name: compose ($(($(date +%s) - t0)) s)"
done

[ -z "${E2E_KEEP:-}" ] || echo "lifecycle: traces and outputs in $tmp" >&2
e2e_done
