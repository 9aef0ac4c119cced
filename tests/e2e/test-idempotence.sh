#!/bin/sh
# End-to-end: `up` is declarative and idempotent
# (tests/e2e/cases/idempotence/, compiled from a copy in a temporary
# directory).  A second `up` says "Everything is up to date" and changes no
# container ID and restarts nothing; after worker's environment changes in
# the compose file and the script is recompiled, `up` recreates worker only
# (web keeps its ID and keeps running), and a further `up` is a no-op
# again; a container stopped behind the script's back is started again,
# not recreated.
#
#   sh tests/e2e/test-idempotence.sh  (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init idempotence c2sh-test/busybox:latest
p=c2sh-e2e-idempotence
web=$p-web-1
worker=$p-worker-1
e2e_project $p
cp "$cases/compose.yaml" "$tmp/compose.yaml"

# up: run deploy.sh up; output in $tmp/up.out, fail the step when it fails
up() {
	if ! sh "$tmp/deploy.sh" up >"$tmp/up.out" 2>&1; then
		fail "$1" "up exited $?: $(tr '\n' ' ' <"$tmp/up.out")"
		return 1
	fi
}

# snapshot: the ID and start time of each container
snapshot() {
	printf '%s %s\n' "$(cid $web)" "$(field $web '{{.State.StartedAt}}')" \
		"$(cid $worker)" "$(field $worker '{{.State.StartedAt}}')"
}

# running NAME...: are they all running?
running() {
	for r in "$@"; do
		[ "$(field "$r" '{{.State.Status}}')" = running ] || return 1
	done
}

compile "$tmp/deploy.sh" -p $p "$tmp/compose.yaml"
if up "first up"; then
	pass "first up"
fi
check "web and worker are running" running $web $worker
before=$(snapshot)

if up "second up"; then
	if grep -q 'Everything is up to date' "$tmp/up.out" &&
		! grep -q 'Creat\|Recreat\|Start\|Remov' "$tmp/up.out"; then
		pass "a second up says Everything is up to date, and nothing else"
	else
		fail "a second up says Everything is up to date, and nothing else" \
			"$(tr '\n' ' ' <"$tmp/up.out")"
	fi
fi
after=$(snapshot)
if [ "$after" = "$before" ]; then
	pass "a second up keeps every container ID and start time"
else
	fail "a second up keeps every container ID and start time" \
		"$(echo "$before" "->" "$after" | tr '\n' ' ')"
fi

# change worker's environment only
sed 's/GREETING: hello/GREETING: changed/' "$cases/compose.yaml" >"$tmp/compose.yaml"
compile "$tmp/deploy.sh" -p $p "$tmp/compose.yaml"
web_before=$(snapshot | sed -n 1p)
worker_before=$(cid $worker)
if up "up after a change"; then
	if grep -q "Container $worker  Recreate" "$tmp/up.out" &&
		! grep -q "Container $web " "$tmp/up.out"; then
		pass "up after worker's environment changed reports recreating worker only"
	else
		fail "up after worker's environment changed reports recreating worker only" \
			"$(tr '\n' ' ' <"$tmp/up.out")"
	fi
fi
web_after=$(snapshot | sed -n 1p)
worker_after=$(cid $worker)
if [ -n "$worker_after" ] && [ "$worker_after" != "$worker_before" ]; then
	pass "worker was recreated"
else
	fail "worker was recreated" "ID $worker_before -> $worker_after"
fi
field $worker '{{range .Config.Env}}{{println .}}{{end}}' >"$tmp/env"
check "worker has the new environment" grep -qx 'GREETING=changed' "$tmp/env"
check "worker is running" running $worker
if [ "$web_after" = "$web_before" ] && running $web; then
	pass "web kept its ID and kept running"
else
	fail "web kept its ID and kept running" "$web_before -> $web_after"
fi

before=$(snapshot)
if up "up after the recreation"; then
	check "up after the recreation is up to date" \
		grep -q 'Everything is up to date' "$tmp/up.out"
fi
check "and changes nothing" [ "$(snapshot)" = "$before" ]

# stopped behind the script's back: started again, same container
docker stop $worker >/dev/null
if up "up after docker stop"; then
	if running $worker && [ "$(cid $worker)" = "$worker_after" ] &&
		! grep -q 'Recreat\|Creat' "$tmp/up.out"; then
		pass "up starts a stopped container again without recreating it"
	else
		fail "up starts a stopped container again without recreating it" \
			"$(tr '\n' ' ' <"$tmp/up.out")"
	fi
fi

e2e_done
