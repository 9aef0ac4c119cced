#!/bin/sh
# End-to-end: depends_on conditions on the real engine
# (tests/e2e/cases/conditions/).
#   compose.yaml        a (healthy about 2 s after it starts) <- b
#                       (service_healthy); job (exits 0 after 1 s) <- c
#                       (service_completed_successfully): `up` succeeds, b
#                       starts only once a is healthy, c only once job has
#                       exited, as the containers' start and finish times
#                       show
#   job-fails.yaml      job exits 3: `up` fails, names job, c never starts
#   never-healthy.yaml  a stays "starting": with C2SH_WAIT_TIMEOUT=5, `up`
#                       fails after about 5 s and names a
#   unhealthy.yaml      a turns unhealthy: `up` fails at once and names a
#
#   sh tests/e2e/test-conditions.sh   (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init conditions c2sh-test/busybox:latest

# up FILE PROJECT: compile and `up`; exit status in $rc, output in
# $tmp/PROJECT.out, seconds taken in $took
up() {
	compile "$tmp/$2.sh" -p "$2" "$cases/$1"
	t0=$(date +%s)
	sh "$tmp/$2.sh" up >"$tmp/$2.out" 2>&1
	rc=$?
	took=$(($(date +%s) - t0))
}

out() {
	tr '\n' ' ' <"$tmp/$1.out"
}

# The order.
p=c2sh-e2e-conditions
e2e_project $p
up compose.yaml $p
if [ "$rc" -eq 0 ]; then
	pass "up with service_healthy and service_completed_successfully"
else
	fail "up with service_healthy and service_completed_successfully" \
		"exit $rc: $(out $p)"
fi
a_start=$(ns "$(field $p-a-1 '{{.State.StartedAt}}')")
b_start=$(ns "$(field $p-b-1 '{{.State.StartedAt}}')")
job_end=$(field $p-job-1 '{{.State.FinishedAt}}')
case $job_end in
0001-*) job_end= ;; # not finished
*) job_end=$(ns "$job_end") ;;
esac
c_start=$(ns "$(field $p-c-1 '{{.State.StartedAt}}')")
check "a is healthy" [ "$(field $p-a-1 '{{.State.Health.Status}}')" = healthy ]
check "b and c are running" \
	[ "$(field $p-b-1 '{{.State.Status}}') $(field $p-c-1 '{{.State.Status}}')" = "running running" ]
check "job exited 0" \
	[ "$(field $p-job-1 '{{.State.Status}} {{.State.ExitCode}}')" = "exited 0" ]
# a touches its ready file 2 s after it starts, the probe sees it after that
if [ "$((b_start - a_start))" -ge 2000000000 ]; then
	pass "b started after a was healthy ($(((b_start - a_start) / 1000000)) ms after a)"
else
	fail "b started after a was healthy" \
		"b started $(((b_start - a_start) / 1000000)) ms after a"
fi
if [ -z "$job_end" ]; then
	fail "c started after job had exited" "job has not exited yet"
elif [ "$c_start" -ge "$job_end" ]; then
	pass "c started after job had exited ($(((c_start - job_end) / 1000000)) ms after)"
else
	fail "c started after job had exited" \
		"c started $(((job_end - c_start) / 1000000)) ms before job exited"
fi

# A dependency that exits 3.
p=c2sh-e2e-conditions-fail
e2e_project $p
C2SH_WAIT_TIMEOUT=30
export C2SH_WAIT_TIMEOUT
up job-fails.yaml $p
if [ "$rc" -ne 0 ] && grep -q '"job"' "$tmp/$p.out"; then
	pass "up fails when job exits 3, naming it"
else
	fail "up fails when job exits 3, naming it" "exit $rc: $(out $p)"
fi
check "c was not started" [ "$(field $p-c-1 '{{.State.StartedAt}}')" = 0001-01-01T00:00:00Z ]

# A healthcheck that never passes.
p=c2sh-e2e-conditions-timeout
e2e_project $p
C2SH_WAIT_TIMEOUT=5
up never-healthy.yaml $p
if [ "$rc" -ne 0 ] && grep -q 'service a\>' "$tmp/$p.out"; then
	pass "up gives up on a after C2SH_WAIT_TIMEOUT=5, naming it ($took s)"
else
	fail "up gives up on a after C2SH_WAIT_TIMEOUT=5, naming it" \
		"exit $rc after $took s: $(out $p)"
fi
if [ "$took" -ge 4 ] && [ "$took" -le 15 ]; then
	pass "it took about 5 s"
else
	fail "it took about 5 s" "$took s"
fi
check "b was not started" [ "$(field $p-b-1 '{{.State.StartedAt}}')" = 0001-01-01T00:00:00Z ]

# A dependency that turns unhealthy.
p=c2sh-e2e-conditions-unhealthy
e2e_project $p
C2SH_WAIT_TIMEOUT=60
up unhealthy.yaml $p
if [ "$rc" -ne 0 ] && grep -q "$p-a-1 is unhealthy" "$tmp/$p.out"; then
	pass "up fails when a turns unhealthy, naming it ($took s)"
else
	fail "up fails when a turns unhealthy, naming it" \
		"exit $rc after $took s: $(out $p)"
fi
check "it did not wait for the timeout" [ "$took" -le 20 ]
check "b was not started" [ "$(field $p-b-1 '{{.State.StartedAt}}')" = 0001-01-01T00:00:00Z ]

e2e_done
