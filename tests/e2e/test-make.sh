#!/bin/sh
# End-to-end: the make backend (`c2sh -t make`) on the real engine.
#   seed         samples/flask-redis with `make -j up` answers on port 80,
#                "never" then the time of the visit before; `make down`
#                removes the containers and the network and keeps the volume
#   parallel     tests/e2e/cases/make/ (two independent branches, one
#                with a service_healthy wait of about 3 s): a plain `make
#                up` starts after-fast only after after-slow's wait (the
#                control); `make -j up` starts it while after-slow still
#                waits, and after-slow only once slow is healthy; a second
#                `make -j up` changes no container ID or start time; after a
#                change to slow, `make -j up` recreates slow and
#                after-slow, which depends on it (Compose 2.26.1 recreates
#                every dependent of a recreated service), and nothing else;
#                `make up-after-fast` brings up fast and after-fast only
#   conditions   tests/e2e/cases/conditions/never-healthy.yaml with
#                C2SH_WAIT_TIMEOUT=3: `make -j up` fails, names service a,
#                and b never starts
#   values       tests/e2e/cases/values/, from a directory whose name is
#                code (as test-values.sh does it): `make create` gives the
#                environment, labels and command as written, byte for byte;
#                `make up` runs the service, which prints its arguments as
#                written; nothing runs on the host
#   differential test-differential.sh -t make: `make create` against
#                `docker compose create`, nothing beyond EXCUSED
# Needs port 80 free.
#
#   sh tests/e2e/test-make.sh         (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init make c2sh-test/busybox:latest redis:alpine \
	bharamicrosystems/python-flask-redis:latest
unset MAKEFLAGS MAKELEVEL

# mk WHAT MAKEFILE ARG...: run make; output in $tmp/make.out; fail WHAT
# when make fails
mk() {
	mk_what=$1 mk_file=$2
	shift 2
	if ! make -f "$mk_file" "$@" >"$tmp/make.out" 2>&1; then
		fail "$mk_what" "make $* exited $?: $(tail -n 3 "$tmp/make.out" | tr '\n' ' ')"
		return 1
	fi
}

# started NAME: a container's start time in nanoseconds (0 when absent)
started() {
	st_t=$(field "$1" '{{.State.StartedAt}}')
	case $st_t in
	'' | 0001-*) echo 0 ;;
	*) ns "$st_t" ;;
	esac
}

running() {
	for r in "$@"; do
		[ "$(field "$r" '{{.State.Status}}')" = running ] || return 1
	done
}

# ---- the seed sample ------------------------------------------------------
seed=c2sh-e2e-make-seed
e2e_project $seed
url=http://127.0.0.1:80/
timepat='[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'

# get: the first answer of the counter, retrying for up to 15 s
get() {
	n=0
	while [ "$n" -lt 60 ]; do
		if answer=$(curl -fsS --max-time 2 "$url" 2>/dev/null); then
			printf '%s\n' "$answer"
			return 0
		fi
		n=$((n + 1))
		sleep 0.25
	done
	return 1
}

compile "$tmp/seed.mk" -t make -p $seed "$root/samples/flask-redis/docker-compose.yaml"
mk "seed: make -j up" "$tmp/seed.mk" -j up && pass "seed: make -j up"
first=$(get)
check "seed: the first visit answers never" [ "$first" = "Last visit: never" ]
second=$(get)
# shellcheck disable=SC2254 # $timepat is a pattern
case $second in
"Last visit: "$timepat) pass "seed: the second visit answers the time of the first" ;;
*) fail "seed: the second visit answers the time of the first" "got '$second'" ;;
esac
mk "seed: make down" "$tmp/seed.mk" down && pass "seed: make down"
check "seed: down removes the containers and the network" \
	[ "$(count containers $seed)$(count networks $seed)" = 00 ]
check "seed: down keeps the volume" docker volume inspect ${seed}_redis-data
mk "seed: make down-volumes" "$tmp/seed.mk" down-volumes &&
	check "seed: down-volumes removes the volume" [ "$(count volumes $seed)" = 0 ]

# ---- parallel branches, idempotence, up-SERVICE -----------------------------
p=c2sh-e2e-make
e2e_project $p
slow=$p-slow-1 after_slow=$p-after-slow-1 fast=$p-fast-1 after_fast=$p-after-fast-1
cp "$cases/compose.yaml" "$tmp/compose.yaml"
compile "$tmp/par.mk" -t make -p $p "$tmp/compose.yaml"

# the control: one recipe at a time
if mk "parallel: make up (no -j)" "$tmp/par.mk" up; then
	if [ "$(started $after_fast)" -gt "$(started $after_slow)" ]; then
		pass "parallel: without -j, after-fast starts after after-slow's wait"
	else
		fail "parallel: without -j, after-fast starts after after-slow's wait" \
			"after-fast $(started $after_fast), after-slow $(started $after_slow)"
	fi
fi
mk "parallel: make down" "$tmp/par.mk" down

if mk "parallel: make -j up" "$tmp/par.mk" -j up; then
	pass "parallel: make -j up"
fi
check "parallel: all four are running" running $slow $after_slow $fast $after_fast
t_slow=$(started $slow) t_after_slow=$(started $after_slow)
t_fast=$(started $fast) t_after_fast=$(started $after_fast)
if [ "$t_after_fast" -gt 0 ] && [ "$t_after_fast" -lt "$t_after_slow" ]; then
	pass "parallel: with -j, after-fast starts while after-slow still waits"
else
	fail "parallel: with -j, after-fast starts while after-slow still waits" \
		"after-fast $t_after_fast, after-slow $t_after_slow"
fi
check "parallel: after-fast starts after fast" [ "$t_after_fast" -gt "$t_fast" ]
# slow turns healthy 3 s after it starts at the earliest
check "parallel: after-slow starts only once slow is healthy" \
	[ "$((t_after_slow - t_slow))" -ge 2500000000 ]

# snapshot: every container's ID and start time
snapshot() {
	for sn in $slow $after_slow $fast $after_fast; do
		printf '%s %s\n' "$(cid "$sn")" "$(field "$sn" '{{.State.StartedAt}}')"
	done
}
before=$(snapshot)
if mk "parallel: a second make -j up" "$tmp/par.mk" -j up; then
	if grep -q 'Creat\|Recreat\|Start\|Remov' "$tmp/make.out"; then
		fail "parallel: a second make -j up only reports Running" \
			"$(tr '\n' ' ' <"$tmp/make.out")"
	else
		pass "parallel: a second make -j up only reports Running"
	fi
fi
check "parallel: a second make -j up changes no container ID or start time" \
	[ "$(snapshot)" = "$before" ]

# a change to slow recreates slow and its dependent after-slow only
ids=$(cid $fast)$(cid $after_fast)
slow_id=$(cid $slow) after_id=$(cid $after_slow)
sed 's/sleep 3; touch/sleep 1; touch/' "$cases/compose.yaml" >"$tmp/compose.yaml"
compile "$tmp/par.mk" -t make -p $p "$tmp/compose.yaml"
if mk "parallel: make -j up after a change" "$tmp/par.mk" -j up; then
	if [ -n "$(cid $slow)" ] && [ "$(cid $slow)" != "$slow_id" ] &&
		[ -n "$(cid $after_slow)" ] && [ "$(cid $after_slow)" != "$after_id" ] &&
		[ "$(cid $fast)$(cid $after_fast)" = "$ids" ]; then
		pass "parallel: after a change to slow, make -j up recreates slow and after-slow only"
	else
		fail "parallel: after a change to slow, make -j up recreates slow and after-slow only" \
			"$(tr '\n' ' ' <"$tmp/make.out")"
	fi
fi

mk "parallel: make down" "$tmp/par.mk" down &&
	check "parallel: down removes the containers and the network" \
		[ "$(count containers $p)$(count networks $p)" = 00 ]
if mk "parallel: make up-after-fast" "$tmp/par.mk" up-after-fast; then
	if running $fast $after_fast && [ -z "$(cid $slow)$(cid $after_slow)" ]; then
		pass "parallel: make up-after-fast brings up fast and after-fast only"
	else
		fail "parallel: make up-after-fast brings up fast and after-fast only" \
			"$(docker ps -a --filter label=com.docker.compose.project=$p --format '{{.Names}}' | tr '\n' ' ')"
	fi
fi
mk "parallel: make down" "$tmp/par.mk" down

# ---- a condition that never holds ------------------------------------------
c=c2sh-e2e-make-cond
e2e_project $c
compile "$tmp/cond.mk" -t make -p $c "$here/cases/conditions/never-healthy.yaml"
t0=$(date +%s)
if make -f "$tmp/cond.mk" -j up C2SH_WAIT_TIMEOUT=3 >"$tmp/make.out" 2>&1; then
	fail "conditions: make -j up fails when a never turns healthy" "it succeeded"
else
	took=$(($(date +%s) - t0))
	if grep -q 'timed out after 3s waiting for service a (service_healthy)' "$tmp/make.out" &&
		[ "$took" -lt 30 ]; then
		pass "conditions: make -j up fails after the timeout, naming service a"
	else
		fail "conditions: make -j up fails after the timeout, naming service a" \
			"${took}s: $(tr '\n' ' ' <"$tmp/make.out")"
	fi
fi
check "conditions: b never starts" [ "$(started $c-b-1)" = 0 ]
mk "conditions: make down" "$tmp/cond.mk" down

# ---- values are data ---------------------------------------------------------
v=c2sh-e2e-make-values
e2e_project $v
pwned=/tmp/c2sh-pwned
if ! rm -f "$pwned" || [ -e "$pwned" ]; then
	fail "values: setup" "cannot remove $pwned"
	e2e_done
fi
vcases=$here/cases/values
dir="$tmp/it's \"q\" \$(touch $pwned) \`touch $pwned\` # \$\$ %;
touch $pwned #"
mkdir -p "$dir" && cp "$vcases/compose.yaml" "$vcases/values.env" "$dir/" || exit 1

# dump NAME SECTION: a container's env (sorted), labels (e2e.* only) or
# cmd, one %q-quoted item per line (as test-values.sh does)
# shellcheck disable=SC2016 # Go templates
dump() {
	case $2 in
	env) field "$1" '{{range .Config.Env}}{{printf "%q" .}}{{"\n"}}{{end}}' | LC_ALL=C sort ;;
	e2e) field "$1" '{{range $k, $v := .Config.Labels}}{{printf "%q=%q" $k $v}}{{"\n"}}{{end}}' |
		grep '^"e2e\.' ;;
	cmd) field "$1" '{{range .Config.Cmd}}{{printf "%q" .}}{{"\n"}}{{end}}' ;;
	esac | sed '/^$/d'
}

# same WHAT FILE-A FILE-B: pass when they are equal, else fail with a diff
same() {
	if diff -u "$2" "$3" >"$tmp/diff"; then
		pass "$1"
	else
		fail "$1" "$(sed 1,2d "$tmp/diff" | grep '^[-+]' | head -n 6 | tr '\n' ' ')"
	fi
}

compile "$tmp/values.mk" -t make -p $v "$dir/compose.yaml"
check "values: make -n reads the Makefile" make -n -f "$tmp/values.mk" up down plan
if mk "values: make create" "$tmp/values.mk" create; then
	pass "values: make create"
fi
check "values: make create does not start" [ "$(started $v-v-1)" = 0 ]
dump $v-v-1 env >"$tmp/got.env"
dump $v-v-1 e2e >"$tmp/got.labels"
dump $v-v-1 cmd >"$tmp/got.cmd"
same "values: environment as written" "$vcases/expected.env" "$tmp/got.env"
same "values: labels as written" "$vcases/expected.labels" "$tmp/got.labels"
same "values: command as written" "$vcases/expected.cmd" "$tmp/got.cmd"
check "values: the working_dir label is the directory's name" \
	[ "$(field $v-v-1 '{{index .Config.Labels "com.docker.compose.project.working_dir"}}')" = "$dir" ]
if mk "values: make up" "$tmp/values.mk" up; then
	n=0
	while [ "$(field $v-v-1 '{{.State.Status}}')" = running ] && [ $n -lt 20 ]; do
		sleep 0.25
		n=$((n + 1))
	done
	docker logs $v-v-1 >"$tmp/output" 2>&1
	same "values: the service prints its arguments as written" \
		"$vcases/expected.output" "$tmp/output"
fi
for t in plan ps logs down; do
	mk "values: make $t" "$tmp/values.mk" $t
done
check "values: nothing ran on the host ($pwned does not exist)" [ ! -e "$pwned" ]

# ---- against docker compose create -----------------------------------------
if sh "$here/test-differential.sh" -t make >"$tmp/diff.out" 2>&1; then
	pass "differential: make create as docker compose create, beyond EXCUSED"
else
	fail "differential: make create as docker compose create, beyond EXCUSED" \
		"$(grep -c '^\[FAIL\]' "$tmp/diff.out") file(s) differ"
	sed 's/^/    /' "$tmp/diff.out"
fi

e2e_done
