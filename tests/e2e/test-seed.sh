#!/bin/sh
# End-to-end: the seed sample, samples/flask-redis, deployed by its
# compiled deploy.sh on the real engine.  The visit counter on port 80
# answers "never", then the time of the visit before; the time survives
# `down` + `up` in the volume; `down -v` removes the volume.  Interop with
# Docker Compose v2 on the same file (project flask-redis, from the
# directory's name, as Compose names it): `docker compose ps` lists the
# c2sh deployment, `docker compose up -d` finds it Running and recreates
# nothing, `docker compose down` removes it; and the other way round,
# deploy.sh finds a `docker compose up` deployment up to date and its
# `down -v` removes it.  Needs port 80 free; removes any flask-redis
# deployment already there.
#
#   sh tests/e2e/test-seed.sh      (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init seed redis:alpine bharamicrosystems/python-flask-redis:latest
project='flask-redis'
file=$root/samples/flask-redis/docker-compose.yaml
url=http://127.0.0.1:80/
flask='flask-redis-flask-1'
redis='flask-redis-redis-1'
e2e_project "$project"

# get: the first answer of the counter, retrying for up to 15 s while
# flask starts; empty when it never answers.
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

# dc ARG...: docker compose on the seed file, its output in $tmp/dc.out
dc() {
	docker compose -f "$file" "$@" >"$tmp/dc.out" 2>&1
}

# digits TIME: 2024-01-02 03:04:05 as 20240102030405, to compare
digits() {
	printf '%s\n' "$1" | tr -cd '0-9'
}

timepat='[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'

cd "$root" || exit 1
compile "$tmp/deploy.sh" samples/flask-redis/docker-compose.yaml
deploy() {
	sh "$tmp/deploy.sh" "$@" >"$tmp/deploy.out" 2>&1
}

if deploy up; then
	pass "up"
else
	fail "up" "exit $?: $(tail -n 3 "$tmp/deploy.out" | tr '\n' ' ')"
fi
first=$(get)
if [ "$first" = "Last visit: never" ]; then
	pass "the first visit answers never"
else
	fail "the first visit answers never" "got '$first'"
fi
second=$(get)
# shellcheck disable=SC2254 # $timepat is a pattern
case $second in
"Last visit: "$timepat) pass "the second visit answers the time of the first" ;;
*) fail "the second visit answers the time of the first" "got '$second'" ;;
esac
seen=${second#Last visit: }

if deploy down; then
	pass "down"
else
	fail "down" "exit $?: $(tail -n 3 "$tmp/deploy.out" | tr '\n' ' ')"
fi
check "down removes the containers" [ "$(count containers "$project")" = 0 ]
check "down removes the network" [ "$(count networks "$project")" = 0 ]
check "down keeps the volume" docker volume inspect flask-redis_redis-data

deploy up || fail "up after down" "exit $?: $(tail -n 3 "$tmp/deploy.out" | tr '\n' ' ')"
third=$(get)
# shellcheck disable=SC2254
case $third in
"Last visit: "$timepat)
	last=${third#Last visit: }
	# the time the second visit stored: not earlier than the one it showed
	if [ "$(digits "$last")" -ge "$(digits "$seen")" ]; then
		pass "the last visit survived down and up in the volume"
	else
		fail "the last visit survived down and up in the volume" \
			"showed '$seen' before, '$last' after"
	fi
	;;
*) fail "the last visit survived down and up in the volume" "got '$third'" ;;
esac

# Interop: Compose manages what deploy.sh made.  (Every stop of the flask
# container takes Docker's 10 s grace period: python as PID 1 ignores
# SIGTERM.  So this goes on from the deployment above.)
ids=$(cid $flask)$(cid $redis)
if dc ps && grep -q "^$flask " "$tmp/dc.out" && grep -q "^$redis " "$tmp/dc.out"; then
	pass "docker compose ps lists the c2sh deployment"
else
	fail "docker compose ps lists the c2sh deployment" "$(tr '\n' ' ' <"$tmp/dc.out")"
fi
if dc up -d && grep -q "Container $flask  Running" "$tmp/dc.out" &&
	grep -q "Container $redis  Running" "$tmp/dc.out" &&
	[ "$(cid $flask)$(cid $redis)" = "$ids" ]; then
	pass "docker compose up -d finds it Running and recreates nothing"
else
	fail "docker compose up -d finds it Running and recreates nothing" \
		"$(grep Container "$tmp/dc.out" | tr '\n' ' ')"
fi
if dc down && [ "$(count containers "$project")$(count networks "$project")" = 00 ]; then
	pass "docker compose down removes it"
else
	fail "docker compose down removes it" "$(tr '\n' ' ' <"$tmp/dc.out")"
fi

# ... and deploy.sh manages what Compose made.
if dc up -d; then
	ids=$(cid $flask)$(cid $redis)
	if deploy up && grep -q 'Everything is up to date' "$tmp/deploy.out" &&
		[ "$(cid $flask)$(cid $redis)" = "$ids" ]; then
		pass "deploy.sh up finds a docker compose deployment up to date"
	else
		fail "deploy.sh up finds a docker compose deployment up to date" \
			"$(tr '\n' ' ' <"$tmp/deploy.out")"
	fi
else
	fail "docker compose up -d" "$(tail -n 3 "$tmp/dc.out" | tr '\n' ' ')"
fi
if deploy down -v; then
	pass "down -v"
else
	fail "down -v" "exit $?: $(tail -n 3 "$tmp/deploy.out" | tr '\n' ' ')"
fi
check "down -v removes the volume" [ "$(count volumes "$project")" = 0 ]
check "down -v removes the containers and the network" \
	[ "$(count containers "$project")$(count networks "$project")" = 00 ]

e2e_done
