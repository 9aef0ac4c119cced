#!/bin/sh
# End-to-end: the units of `c2sh -t systemd` under a real systemd.  systemd
# runs in a container (c2sh-test/systemd, built by images.sh) that drives
# the host's engine through its socket; the units are copied into its
# /etc/systemd/system, checked with systemd-analyze verify there, and run:
#   cases/systemd/compose.yaml    `systemctl start` of the target brings
#                      everything up, web only after init completed and db
#                      turned healthy; labels as Compose's (the image ID);
#                      no engine restart policy; a container killed from
#                      outside is restarted when its policy says so (worker)
#                      and not otherwise (idle); `systemctl stop` leaves no
#                      container running and no unit failed (db's PID 1
#                      ignores SIGTERM and is killed after its grace
#                      period), removes the network and keeps the volume and
#                      what was written in it; a second start works; a
#                      container that is not the project's holding a
#                      unit's container name makes the unit fail, untouched
#   cases/systemd/unhealthy.yaml  the dependent unit fails and the journal
#                      names the unhealthy container
#   cases/values/      (test-values.sh's) values with % $ quotes newlines
#                      backslashes and UTF-8 arrive byte for byte (docker
#                      inspect, the container's output); nothing runs
#   samples/flask-redis  the seed sample answers on port 80 with "never",
#                      then the time of the visit before, which survives a
#                      stop and start of the target (waits while another
#                      test holds port 80)
#   differential       test-differential.sh -t systemd: the containers,
#                      networks and volumes the units create match those of
#                      `docker compose create`, beyond differential/EXCUSED
#                      and EXCUSED.systemd
#
#   sh tests/e2e/test-systemd.sh   (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init systemd c2sh-test/busybox:latest c2sh-test/systemd:latest \
	redis:alpine bharamicrosystems/python-flask-redis:latest
sysd=c2sh-e2e-sysd
p=c2sh-e2e-systemd
sick=c2sh-e2e-systemd-sick
vals=c2sh-e2e-sdvalues
seed=c2sh-e2e-sdseed
for x in $p $sick $vals $seed; do
	e2e_project "$x"
done
bb=c2sh-test/busybox:latest

# The systemd.
e2e_systemd "$sysd"

# units PROJECT ARG...: compile with -t systemd -o into $tmp/PROJECT,
# check the units there with systemd-analyze verify (in the container,
# where docker is), install them and daemon-reload
units() {
	u_p=$1
	shift
	compile "$tmp/$u_p.stdout" -t systemd -p "$u_p" -o "$tmp/$u_p" "$@"
	check "$u_p: -t systemd writes nothing on stdout" [ ! -s "$tmp/$u_p.stdout" ]
	sd mkdir -p "/tmp/units/$u_p"
	docker cp "$tmp/$u_p/." "$sysd:/tmp/units/$u_p/" >/dev/null
	# shellcheck disable=SC2016 # $1 is for that sh
	check "$u_p: systemd-analyze verify finds nothing" \
		sd sh -c 'out=$(systemd-analyze verify "$1"/* 2>&1); printf "%s" "$out"; [ -z "$out" ]' sh "/tmp/units/$u_p"
	# shellcheck disable=SC2016
	sd sh -c 'cp "$1"/* /etc/systemd/system/ && systemctl daemon-reload' sh "/tmp/units/$u_p"
}

# settle: wait (30 s at most) until systemd has no job left
settle() {
	n=0
	while [ -n "$(sd systemctl list-jobs --no-legend 2>/dev/null)" ] && [ $n -lt 120 ]; do
		sleep 0.25
		n=$((n + 1))
	done
}

# state UNIT: its ActiveState
state() {
	sd systemctl show -P ActiveState "$1" 2>/dev/null
}

# failed PROJECT: the project's failed units, if any
failed() {
	sd systemctl list-units --failed --all --no-legend --plain "$1*" 2>/dev/null
}

running() {
	docker ps -q --filter "label=com.docker.compose.project=$1"
}

# ---- the project: order, waits, restarts, stop ----------------------------
units $p "$cases/compose.yaml"
if sd systemctl start $p.target >"$tmp/start.out" 2>&1; then
	pass "systemctl start $p.target"
else
	fail "systemctl start $p.target" "$(tr '\n' ' ' <"$tmp/start.out")"
fi
settle
n=0
while [ "$(running $p | wc -l)" -lt 4 ] && [ $n -lt 40 ]; do
	sleep 0.25
	n=$((n + 1))
done
for s in db web worker idle; do
	check "$s is running" [ "$(field $p-$s-1 '{{.State.Status}}')" = running ]
	check "$s's unit is active" [ "$(state $p-$s-1.service)" = active ]
done
check "init completed (exited 0)" [ "$(field $p-init-1 '{{.State.Status}} {{.State.ExitCode}}')" = "exited 0" ]
web_start=$(ns "$(field $p-web-1 '{{.State.StartedAt}}')")
db_start=$(ns "$(field $p-db-1 '{{.State.StartedAt}}')")
init_end=$(ns "$(field $p-init-1 '{{.State.FinishedAt}}')")
check "web started after init completed" [ "$web_start" -gt "$init_end" ]
check "web started after db turned healthy (3 s after its start)" \
	[ $((web_start - db_start)) -ge 3000000000 ]
check "db is healthy" [ "$(field $p-db-1 '{{.State.Health.Status}}')" = healthy ]
check "the label com.docker.compose.image is the image's ID" \
	[ "$(field $p-web-1 '{{index .Config.Labels "com.docker.compose.image"}}')" = "$(docker image inspect -f '{{.Id}}' $bb)" ]
check "the labels name the project and the service as Compose does" \
	[ "$(field $p-worker-1 '{{index .Config.Labels "com.docker.compose.project"}} {{index .Config.Labels "com.docker.compose.service"}}')" = "$p worker" ]
check "the engine has no restart policy (systemd restarts)" \
	[ "$(field $p-worker-1 '{{.HostConfig.RestartPolicy.Name}}')" = no ]
check "the journal has the container's output" \
	sd sh -c "journalctl -u $p-init-1.service --no-pager | grep -q 'init done'"
check "write into the volume" docker exec $p-db-1 sh -c 'echo kept >/data/kept'

# killed from outside
old=$(cid $p-worker-1)
docker kill $p-worker-1 >/dev/null 2>&1
n=0
while { [ "$(cid $p-worker-1)" = "$old" ] || [ "$(field $p-worker-1 '{{.State.Status}}')" != running ]; } && [ $n -lt 60 ]; do
	sleep 0.25
	n=$((n + 1))
done
check "worker (restart: always), killed, runs again" \
	[ "$(field $p-worker-1 '{{.State.Status}}')" = running ]
check "systemd restarted it" [ "$(sd systemctl show -P NRestarts $p-worker-1.service)" -ge 1 ]
old=$(cid $p-idle-1)
docker kill $p-idle-1 >/dev/null 2>&1
sleep 3
check "idle (restart: \"no\"), killed, stays down" \
	[ "$(cid $p-idle-1) $(field $p-idle-1 '{{.State.Status}}')" = "$old exited" ]
check "idle's unit failed (exit 137)" [ "$(state $p-idle-1.service)" = failed ]
sd systemctl reset-failed $p-idle-1.service

# stop
t0=$(date +%s)
if sd systemctl stop $p.target >"$tmp/stop.out" 2>&1; then
	pass "systemctl stop $p.target"
else
	fail "systemctl stop $p.target" "$(tr '\n' ' ' <"$tmp/stop.out")"
fi
settle
check "no container of the project is running" [ -z "$(running $p)" ]
check "no unit failed" [ -z "$(failed $p)" ]
for s in db web worker; do
	check "$s's unit is inactive" [ "$(state $p-$s-1.service)" = inactive ]
	check "$s's container is removed" [ -z "$(cid $p-$s-1)" ]
done
check "db (ignores SIGTERM) was stopped within its grace period" [ $(($(date +%s) - t0)) -lt 15 ]
check "the network is removed" [ "$(count networks $p)" -eq 0 ]
check "the volume is kept" [ "$(count volumes $p)" -eq 1 ]
check "what was written in the volume is kept" \
	[ "$(docker run --rm -v ${p}_data:/data $bb cat /data/kept 2>&1)" = kept ]
if sd systemctl start $p.target >"$tmp/start2.out" 2>&1; then
	pass "systemctl start $p.target again"
else
	fail "systemctl start $p.target again" "$(tr '\n' ' ' <"$tmp/start2.out")"
fi
settle
# (a unit counts as started once `docker start -a` runs: give it 10 s)
n=0
while :; do
	up=$(docker ps --filter "label=com.docker.compose.project=$p" --format '{{.Names}}' | sort | tr '\n' ' ')
	if [ "$up" = "$p-db-1 $p-idle-1 $p-web-1 $p-worker-1 " ] || [ $n -ge 40 ]; then
		break
	fi
	sleep 0.25
	n=$((n + 1))
done
check "all up again ($up)" [ "$up" = "$p-db-1 $p-idle-1 $p-web-1 $p-worker-1 " ]
sd systemctl stop $p.target
settle
check "all down again, no unit failed" [ -z "$(running $p)$(failed $p)" ]

# ---- a container that is not the project's holds a unit's name ------------
# the unit's create fails on the name, and the container is left alone
# (its ExecStartPre once removed any container of that name)
docker rm -f $p-idle-1 >/dev/null 2>&1
docker run -d --name $p-idle-1 c2sh-test/busybox:latest sleep 600 >/dev/null
foreign=$(cid $p-idle-1)
sd systemctl start $p-idle-1.service >/dev/null 2>&1
settle
check "a foreign container holding idle's name: idle's unit fails" \
	[ "$(state $p-idle-1.service)" = failed ]
check "the foreign container is left alone (same ID, still running)" \
	[ "$(cid $p-idle-1) $(field $p-idle-1 '{{.State.Status}}')" = "$foreign running" ]
docker rm -f $p-idle-1 >/dev/null 2>&1
sd systemctl reset-failed >/dev/null 2>&1
sd systemctl stop $p.target >/dev/null 2>&1
settle

# ---- an unhealthy dependency -----------------------------------------------
units $sick "$cases/unhealthy.yaml"
sd systemctl start $sick.target >/dev/null 2>&1
settle
check "b's unit fails when a turns unhealthy" [ "$(state $sick-b-1.service)" = failed ]
check "b never started" [ -z "$(cid $sick-b-1)" ]
check "the journal says why, naming a" sd sh -c \
	"journalctl -u $sick-b-1.service --no-pager | grep -q 'dependency failed to start: container $sick-a-1 is unhealthy'"
sd systemctl stop $sick.target
settle
sd systemctl reset-failed >/dev/null 2>&1

# ---- values ------------------------------------------------------------------
pwned=/tmp/c2sh-pwned
rm -f "$pwned"
sd rm -f "$pwned"
vcases=$here/cases/values
dir="$tmp/it's \"q\" \$(touch $pwned) \`touch $pwned\` 100% \$HOME;
touch $pwned #"
mkdir -p "$dir" && cp "$vcases/compose.yaml" "$vcases/values.env" "$dir/" || exit 1
units $vals "$dir/compose.yaml"
# shellcheck disable=SC2016
check "the header keeps the directory's name in comments" \
	sh -c '! grep -v -e "^#" -e "^\[" -e "^[A-Z][A-Za-z]*=" -e "^	" -e "^$" "$1"/*' sh "$tmp/$vals"
if sd systemctl start $vals-v-1.service >"$tmp/v.out" 2>&1; then
	pass "systemctl start $vals-v-1.service"
else
	fail "systemctl start $vals-v-1.service" "$(tr '\n' ' ' <"$tmp/v.out")"
fi
n=0
while [ "$(field $vals-v-1 '{{.State.Status}}')" != exited ] && [ $n -lt 40 ]; do
	sleep 0.25
	n=$((n + 1))
done
# dump NAME SECTION: env (sorted), e2e labels or cmd, one %q item per line
# shellcheck disable=SC2016 # Go templates
dump() {
	case $2 in
	env) field "$1" '{{range .Config.Env}}{{printf "%q" .}}{{"\n"}}{{end}}' | LC_ALL=C sort ;;
	e2e) field "$1" '{{range $k, $v := .Config.Labels}}{{printf "%q=%q" $k $v}}{{"\n"}}{{end}}' |
		grep '^"e2e\.' ;;
	cmd) field "$1" '{{range .Config.Cmd}}{{printf "%q" .}}{{"\n"}}{{end}}' ;;
	esac | sed '/^$/d'
}
for s in env e2e cmd; do
	dump $vals-v-1 $s >"$tmp/v.$s"
done
check "environment as written" diff -u "$vcases/expected.env" "$tmp/v.env"
check "labels as written" diff -u "$vcases/expected.labels" "$tmp/v.e2e"
check "command as written" diff -u "$vcases/expected.cmd" "$tmp/v.cmd"
docker logs $vals-v-1 >"$tmp/v.output" 2>&1
check "the service prints its arguments as written" diff -u "$vcases/expected.output" "$tmp/v.output"
check "the unit ended without failure" [ "$(state $vals-v-1.service)" = inactive ]
check "nothing ran ($pwned exists neither here nor under systemd)" \
	sh -c "[ ! -e $pwned ] && ! docker exec $sysd test -e $pwned"

# ---- the seed sample on port 80 --------------------------------------------
# another test may hold port 80: wait for it (5 minutes at most)
n=0
while [ -n "$(docker ps -q --filter publish=80)" ] && [ $n -lt 150 ]; do
	[ $n -eq 0 ] && echo "systemd: waiting for port 80" >&2
	sleep 2
	n=$((n + 1))
done
units $seed "$root/samples/flask-redis/docker-compose.yaml"
# get: the counter's answer, retrying for up to 15 s
get() {
	n=0
	while [ "$n" -lt 60 ]; do
		if answer=$(curl -fsS --max-time 2 http://127.0.0.1:80/ 2>/dev/null); then
			printf '%s\n' "$answer"
			return 0
		fi
		n=$((n + 1))
		sleep 0.25
	done
	return 1
}
timepat='[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
if sd systemctl start $seed.target >"$tmp/seed.out" 2>&1; then
	pass "systemctl start $seed.target"
else
	fail "systemctl start $seed.target" "$(tr '\n' ' ' <"$tmp/seed.out")"
fi
first=$(get)
check "the seed answers on port 80: never" [ "$first" = "Last visit: never" ]
second=$(get)
# shellcheck disable=SC2254 # $timepat is a pattern
case $second in
"Last visit: "$timepat) pass "the seed answers the time of the first visit" ;;
*) fail "the seed answers the time of the first visit" "got '$second'" ;;
esac
sd systemctl stop $seed.target
settle
check "the seed is down, no unit failed" [ -z "$(running $seed)$(failed $seed)" ]
sd systemctl start $seed.target >/dev/null 2>&1
third=$(get)
# shellcheck disable=SC2254
case $third in
"Last visit: "$timepat) pass "after stop and start the volume kept the visit time" ;;
*) fail "after stop and start the volume kept the visit time" "got '$third'" ;;
esac
sd systemctl stop $seed.target
settle
check "the seed is down again" [ -z "$(running $seed)$(failed $seed)" ]

# ---- against docker compose create -----------------------------------------
if sh "$here/test-differential.sh" -t systemd >"$tmp/diff.out" 2>&1; then
	pass "differential: the units' containers as docker compose create's, beyond EXCUSED(.systemd)"
else
	fail "differential: the units' containers as docker compose create's, beyond EXCUSED(.systemd)" \
		"$(grep -c '^\[FAIL\]' "$tmp/diff.out") file(s) differ"
	sed 's/^/    /' "$tmp/diff.out"
fi

e2e_done
