#!/bin/sh
# End-to-end: --dry-run and service selection
# (tests/e2e/cases/dry-run/: db <- api <- web, other apart, a network and a
# volume of their own).
#   --dry-run       `--dry-run up` (and `up --dry-run`) prints the docker
#                   commands, exits 0 and creates nothing: no container,
#                   network or volume carries the project's label after it;
#                   on a running deployment, `--dry-run` with up, stop,
#                   restart and down changes nothing
#   up SERVICE      brings up that service and what it depends on, nothing
#                   else; a later full `up` adds the rest and keeps those
#   stop SERVICE    stops that service only (not what it depends on), as
#                   `docker compose stop` does
#   start SERVICE   starts that service and what it depends on, nothing else
#   restart SERVICE restarts that service only
#   and a usage error for an unknown command (exit 2) or service.
#
#   sh tests/e2e/test-dry-run.sh      (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init dry-run c2sh-test/busybox:latest
p=c2sh-e2e-dry-run
e2e_project $p
compile "$tmp/deploy.sh" -p $p "$cases/compose.yaml"

# deploy ARG...: sh deploy.sh ARG..., stdout in $tmp/out, stderr in
# $tmp/err, exit status in $rc
deploy() {
	sh "$tmp/deploy.sh" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

err() {
	tail -n 3 "$tmp/err" | tr '\n' ' '
}

# states: "service:state ..." of the project's containers, sorted
states() {
	docker ps -a --filter "label=com.docker.compose.project=$p" \
		--format '{{.Label "com.docker.compose.service"}}:{{.State}}' |
		sort | tr '\n' ' ' | sed 's/ $//'
}

# nothing_created WHAT: the project has no container, network or volume
nothing_created() {
	n="$(count containers $p) $(count networks $p) $(count volumes $p)"
	if [ "$n" = "0 0 0" ]; then
		pass "$1 creates nothing"
	else
		fail "$1 creates nothing" "containers, networks, volumes: $n"
	fi
}

# expect WHAT STATES: the containers are in those states now
expect() {
	got=$(states)
	if [ "$got" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "expected '$2', got '$got'"
	fi
}

# snapshot: every container's ID, state and start time
snapshot() {
	docker ps -aq --filter "label=com.docker.compose.project=$p" |
		xargs -r docker inspect -f '{{.Name}} {{.Id}} {{.State.Status}} {{.State.StartedAt}}' |
		sort
}

# --dry-run on nothing
for args in "--dry-run up" "up --dry-run"; do
	# shellcheck disable=SC2086 # two words
	deploy $args
	if [ "$rc" -eq 0 ] &&
		grep -q "^'docker' 'network' 'create' .*'${p}_back'$" "$tmp/out" &&
		grep -q "^'docker' 'volume' 'create' .*'${p}_data'$" "$tmp/out" &&
		grep -q "^'docker' 'create' .*'--name' '$p-web-1'" "$tmp/out" &&
		grep -q "^'docker' 'start' '$p-db-1'$" "$tmp/out"; then
		pass "$args prints the docker commands"
	else
		fail "$args prints the docker commands" "exit $rc: $(err)"
	fi
	nothing_created "$args"
done
deploy --dry-run up api
if [ "$rc" -eq 0 ] && grep -q "'--name' '$p-db-1'" "$tmp/out" &&
	grep -q "'--name' '$p-api-1'" "$tmp/out" &&
	! grep -q "'--name' '$p-web-1'\|'--name' '$p-other-1'" "$tmp/out"; then
	pass "--dry-run up api prints the commands for db and api only"
else
	fail "--dry-run up api prints the commands for db and api only" "exit $rc: $(err)"
fi
nothing_created "--dry-run up api"
deploy --dry-run down -v
check "--dry-run down -v on nothing succeeds" [ "$rc" -eq 0 ]
nothing_created "--dry-run down -v"

# up SERVICE
deploy up api
if [ "$rc" -eq 0 ]; then
	pass "up api"
else
	fail "up api" "exit $rc: $(err)"
fi
expect "up api brings up api and db only" "api:running db:running"
check "up api creates the networks db and api use" \
	docker network inspect ${p}_back ${p}_default
check "up api creates db's volume" docker volume inspect ${p}_data

# --dry-run on a partial deployment: the rest is printed, not made
before=$(snapshot)
deploy --dry-run up
if [ "$rc" -eq 0 ] && grep -q "'--name' '$p-web-1'" "$tmp/out" &&
	grep -q "'--name' '$p-other-1'" "$tmp/out" &&
	! grep -q "'--name' '$p-api-1'\|'--name' '$p-db-1'\|'network' 'create'\|'volume' 'create'" "$tmp/out"; then
	pass "--dry-run up prints only what is missing"
else
	fail "--dry-run up prints only what is missing" "exit $rc: $(err)"
fi
for args in "--dry-run up" "--dry-run stop" "--dry-run restart api" "--dry-run down -v"; do
	# shellcheck disable=SC2086 # words
	deploy $args
	after=$(snapshot)
	if [ "$rc" -eq 0 ] && [ "$after" = "$before" ] &&
		[ "$(count networks $p) $(count volumes $p)" = "2 1" ]; then
		pass "$args changes nothing"
	else
		fail "$args changes nothing" "exit $rc: $(err)"
	fi
done
# containers are stopped and removed by the ID their labels found
if grep -q "^'docker' 'stop' '$(cid $p-api-1)'$" "$tmp/out" &&
	grep -q "^'docker' 'rm' .*'$(cid $p-db-1)'$" "$tmp/out" &&
	grep -q "^'docker' 'volume' 'rm' .*'${p}_data'$" "$tmp/out"; then
	pass "--dry-run down -v prints the commands"
else
	fail "--dry-run down -v prints the commands" "$(head -n 3 "$tmp/out" | tr '\n' ' ')"
fi

# the rest
deploy up
check "up after up api succeeds" [ "$rc" -eq 0 ]
expect "up brings up the rest" "api:running db:running other:running web:running"
after=$(snapshot)
for c in api db; do
	if [ "$(echo "$before" | grep "^/$p-$c-1 ")" = "$(echo "$after" | grep "^/$p-$c-1 ")" ]; then
		pass "up keeps $c as up api made it"
	else
		fail "up keeps $c as up api made it" "$(echo "$after" | grep "^/$p-$c-1 ")"
	fi
done

# stop, start and restart SERVICE
deploy stop api
check "stop api succeeds" [ "$rc" -eq 0 ]
expect "stop api stops api only" "api:exited db:running other:running web:running"
deploy stop
expect "stop stops everything" "api:exited db:exited other:exited web:exited"
deploy start api
check "start api succeeds" [ "$rc" -eq 0 ]
expect "start api starts api and db only" "api:running db:running other:exited web:exited"
deploy stop
deploy restart api
check "restart api succeeds" [ "$rc" -eq 0 ]
expect "restart api restarts api only" "api:running db:exited other:exited web:exited"

# usage errors
deploy frobnicate
if [ "$rc" -eq 2 ] && grep -q usage "$tmp/err"; then
	pass "an unknown command prints the usage and exits 2"
else
	fail "an unknown command prints the usage and exits 2" "exit $rc: $(err)"
fi
deploy up nosuch
if [ "$rc" -ne 0 ] && grep -q 'no such service: nosuch' "$tmp/err"; then
	pass "up with an unknown service fails, naming it"
else
	fail "up with an unknown service fails, naming it" "exit $rc: $(err)"
fi

e2e_done
