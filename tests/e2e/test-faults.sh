#!/bin/sh
# End-to-end: faults on the real engine (issue 7), with the compose files
# of tests/e2e/cases/faults/.  Each case asserts the exit status, the
# message (it must name what failed) and the engine's state afterwards,
# read with docker ps/network ls/volume ls filtered by the project label.
#   engine       DOCKER_HOST names a socket nobody listens on: up, down,
#                ps and logs of deploy.sh, and `make up` of the Makefile,
#                fail at once with one line naming the socket; nothing is
#                created on the real engine
#   image        an image that is not here and cannot be pulled (there is
#                no registry): up fails within seconds naming the service
#                and the image, before creating anything; again the same;
#                the Makefile names them too; down cleans up
#   port         a loopback port taken by another container's published
#                port, then by a host process: up fails naming the service
#                and the port, the others run, web is left created; once
#                the port is free, up starts web and a second up is a no-op
#   health       a dependency that turns unhealthy: up fails at once
#                naming it and service_healthy; one that stays "starting":
#                up gives up after C2SH_WAIT_TIMEOUT naming it; the
#                dependent never starts; down on what is left removes all
#   interrupt    up on three slow levels of two containers each,
#                interrupted by SIGINT (to the process group, as Ctrl-C
#                does) while a level waits, and by SIGTERM (to deploy.sh
#                alone); `make -j up` by SIGINT: exit 130/143, nothing goes
#                on starting behind its back; up again converges: exactly
#                one container per service, all running, app complete (both
#                networks, its config file), a further up a no-op
#   half-made    a container whose network connect fails after its create
#                (deploy.sh and make): up fails, and the container is
#                removed rather than left for the next up to keep as up to
#                date; the next up fails the same way
#   partial-down down after an interrupted up with a container removed by
#                hand: exit 0, all of the project gone, nothing else
#   volume       data in a named volume survives down, up, and a recreate
#                of its container (read back with a container); down -v
#                removes the volume
#   external     an external network and volume (made by the test) are
#                never removed by down or down -v; a missing one fails up
#                with a message naming it, before anything is created
#
#   sh tests/e2e/test-faults.sh   (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init faults c2sh-test/busybox:latest

P=c2sh-e2e-faults
busybox=c2sh-test/busybox:latest
sleeper='trap "exit 0" TERM; sleep 600 & wait'

# A container of another project that no fault or down may touch.
e2e_project $P-bystander
docker run -d --name $P-bystander-1 --label com.docker.compose.project=$P-bystander \
	$busybox sh -c "$sleeper" >/dev/null

# deploy PROJECT ARG...: sh deploy.sh ARG... of that project; status in
# $rc, stdout in $tmp/out, stderr in $tmp/err, seconds taken in $took
deploy() {
	dp_p=$1
	shift
	t0=$(date +%s)
	sh "$tmp/$dp_p.sh" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	took=$(($(date +%s) - t0))
}

# mk PROJECT TARGET...: make -f the project's Makefile, the same way
mk() {
	mk_p=$1
	shift
	t0=$(date +%s)
	make -s -f "$tmp/$mk_p.mk" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	took=$(($(date +%s) - t0))
}

err() {
	tr '\n' ' ' <"$tmp/err"
}

# expect WHAT RC STRING...: the last command exited RC (! for any
# failure, A|B for either) and its stderr has every STRING on one line
expect() {
	ex_what=$1 ex_rc=$2
	shift 2
	case $ex_rc in
	!) [ "$rc" -ne 0 ] ;;
	*\|*) case "|$ex_rc|" in *"|$rc|"*) ;; *) false ;; esac ;;
	*) [ "$rc" -eq "$ex_rc" ] ;;
	esac || {
		fail "$ex_what" "exit $rc, not $ex_rc: $(err)"
		return 0
	}
	ex_lines=$(cat "$tmp/err")
	for ex_s in "$@"; do
		ex_lines=$(printf '%s\n' "$ex_lines" | grep -F -e "$ex_s") || {
			fail "$ex_what" "no line of stderr says all of: $*: $(err)"
			return 0
		}
	done
	pass "$ex_what"
}

# state PROJECT: the project's containers, "name state" sorted, then its
# networks and volumes, one line each
state() {
	docker ps -a --filter "label=com.docker.compose.project=$1" \
		--format '{{.Names}} {{.State}}' | sort
	docker network ls --filter "label=com.docker.compose.project=$1" \
		--format 'network {{.Name}}' | sort
	docker volume ls --filter "label=com.docker.compose.project=$1" \
		--format 'volume {{.Name}}' | sort
}

# same WHAT GOT WANT: compare two texts (state, values)
same() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got [$(printf '%s' "$2" | tr '\n' ',')], want [$(printf '%s' "$3" | tr '\n' ',')]"
	fi
}

nl='
'

# --- engine: an engine that is not there
p=$P-engine
e2e_project $p
compile "$tmp/$p.sh" -p $p "$cases/engine.yaml"
compile "$tmp/$p.mk" -t make -p $p "$cases/engine.yaml"
sock=$tmp/no-such.sock
for cmd in up down ps logs; do
	DOCKER_HOST=unix://$sock
	export DOCKER_HOST
	deploy $p $cmd
	unset DOCKER_HOST
	expect "no engine: deploy.sh $cmd fails naming the socket" 1 \
		"deploy.sh: cannot reach the Docker engine" "$sock"
	check "no engine: deploy.sh $cmd says it in one line, nothing on stdout" \
		[ "$(wc -l <"$tmp/err") $(wc -c <"$tmp/out")" = "1 0" ]
	check "no engine: deploy.sh $cmd gives up at once ($took s)" [ "$took" -le 10 ]
done
DOCKER_HOST=unix://$sock
export DOCKER_HOST
mk $p up
unset DOCKER_HOST
expect "no engine: make up fails naming the socket" ! \
	"make: cannot reach the Docker engine" "$sock"
check "no engine: make up says it in one line (and make's own)" \
	[ "$(grep -vc '^make: \*\*\*' "$tmp/err")" = 1 ]
same "no engine: nothing created on the real engine" "$(state $p)" ""

# --- image: missing, and no registry to pull it from
p=$P-image
e2e_project $p
compile "$tmp/$p.sh" -p $p "$cases/image.yaml"
compile "$tmp/$p.mk" -t make -p $p "$cases/image.yaml"
for round in first again; do
	deploy $p up
	expect "missing image ($round): up fails naming ghost and its image ($took s)" 1 \
		"service ghost" "c2sh-test/no-such-image:404" "cannot be pulled"
	check "missing image ($round): within 30 s" [ "$took" -le 30 ]
	same "missing image ($round): nothing created (images are pulled first)" \
		"$(state $p)" ""
done
mk $p up
expect "missing image: make up fails naming ghost and its image" ! \
	"make: service ghost" "c2sh-test/no-such-image:404"
same "missing image: make created a (its own order), not ghost" \
	"$(state $p)" "$p-a-1 running${nl}network ${p}_default"
deploy $p down
expect "missing image: down after it exits 0" 0
same "missing image: down removed everything" "$(state $p)" ""

# --- port: a loopback port already taken
p=$P-port
e2e_project $p
e2e_project $P-squat
# a free port: one nothing on the engine publishes now
port=$((20000 + $$ % 20000))
while docker ps --format '{{.Ports}}' | grep -q ":$port->"; do
	port=$((port + 1))
done
FAULTS_PORT=$port
export FAULTS_PORT
compile "$tmp/$p.sh" -p $p "$cases/port.yaml"
unset FAULTS_PORT
squat_run() {
	if ! docker run -d --name $P-squat-1 \
		--label com.docker.compose.project=$P-squat "$@" >"$tmp/squat" 2>&1; then
		fail "setup: take port $port" "$(tr '\n' ' ' <"$tmp/squat")"
		e2e_done
	fi
}
for squat in published listener; do
	if [ $squat = published ]; then
		# another container publishes it (docker's port allocator)
		squat_run -p 127.0.0.1:$port:80 $busybox httpd -f -p 80
	else
		# a host process listens on it (docker-proxy cannot bind)
		squat_run --network host $busybox httpd -f -p 127.0.0.1:$port
		sleep 1
	fi
	deploy $p up
	expect "port taken ($squat): up fails naming web and 127.0.0.1:$port" 1 \
		"service web" "cannot start" "127.0.0.1:$port"
	same "port taken ($squat): a and other run, web is created, not started" \
		"$(state $p)" "$p-a-1 running$nl$p-other-1 running$nl$p-web-1 created${nl}network ${p}_default"
	check "port taken ($squat): the squatter still runs" \
		[ "$(field $P-squat-1 '{{.State.Status}}')" = running ]
	web=$(cid $p-web-1)
	docker rm -f $P-squat-1 >/dev/null
	deploy $p up
	expect "port free again ($squat): up exits 0" 0
	same "port free again ($squat): all three run" "$(state $p)" \
		"$p-a-1 running$nl$p-other-1 running$nl$p-web-1 running${nl}network ${p}_default"
	check "port free again ($squat): web kept (started, not recreated)" \
		[ "$(cid $p-web-1)" = "$web" ]
	check "port free again ($squat): web publishes 127.0.0.1:$port" \
		[ "$(docker port $p-web-1 80/tcp)" = "127.0.0.1:$port" ]
	deploy $p up
	expect "port free again ($squat): a second up is a no-op" 0 "Everything is up to date"
	deploy $p down
done

# --- health: a dependency never healthy
p=$P-health
e2e_project $p
compile "$tmp/$p.sh" -p $p "$cases/unhealthy.yaml"
C2SH_WAIT_TIMEOUT=120
export C2SH_WAIT_TIMEOUT
deploy $p up
expect "unhealthy: up fails naming sick and service_healthy ($took s)" 1 \
	"$p-sick-1 is unhealthy" "service sick" "service_healthy"
check "unhealthy: at once, not after the timeout" [ "$took" -le 30 ]
same "unhealthy: needs was created, never started" "$(state $p)" \
	"$p-needs-1 created$nl$p-sick-1 running${nl}network ${p}_default"
check "unhealthy: needs never ran" \
	[ "$(field $p-needs-1 '{{.State.StartedAt}}')" = 0001-01-01T00:00:00Z ]
deploy $p down
expect "down on a half-up project exits 0" 0
same "down on a half-up project removes all of it" "$(state $p)" ""

compile "$tmp/$p.sh" -p $p "$cases/starting.yaml"
C2SH_WAIT_TIMEOUT=3
deploy $p up
unset C2SH_WAIT_TIMEOUT
expect "never healthy: up gives up naming slow and service_healthy ($took s)" 1 \
	"timed out after 3s" "service slow" "service_healthy"
check "never healthy: after about C2SH_WAIT_TIMEOUT=3" \
	[ "$took" -ge 2 ] && check "never healthy: and not much later" [ "$took" -le 15 ]
same "never healthy: needs was created, never started" "$(state $p)" \
	"$p-needs-1 created$nl$p-slow-1 running${nl}network ${p}_default"
deploy $p down
expect "down after the timeout exits 0" 0
same "down after the timeout removes all of it" "$(state $p)" ""

# --- interrupt: up stopped part way, then up again
p=$P-interrupt
e2e_project $p
compile "$tmp/$p.sh" -p $p "$cases/levels.yaml"
declared="$p-api-1 running$nl$p-app-1 running$nl$p-cache-1 running$nl$p-db-1 running$nl$p-web-1 running$nl$p-worker-1 running${nl}network ${p}_back${nl}network ${p}_front"

# interrupt SIG WHEN NETS FILE CMD...: CMD in its own process group (so
# that SIGINT is not ignored, as it is for a background job of this
# script); once container WHEN exists on its NETS networks and holds FILE
# (- for none: the copy-in that comes last; then its level waits about
# two seconds for the one before to be healthy), SIGINT goes to the whole
# group as Ctrl-C sends it, SIGTERM to CMD alone
interrupt() {
	ir_sig=$1 ir_when=$2 ir_nets=$3 ir_file=$4
	shift 4
	env --default-signal=INT setsid "$@" >"$tmp/out" 2>"$tmp/err" &
	ir_pid=$!
	ir_n=0
	until { [ "$(field "$ir_when" '{{len .NetworkSettings.Networks}}')" = "$ir_nets" ] &&
		{ [ "$ir_file" = - ] ||
		docker cp "$ir_when:$ir_file" - >/dev/null 2>&1; }; } ||
		[ $ir_n -ge 300 ]; do
		sleep 0.1
		ir_n=$((ir_n + 1))
	done
	sleep 0.3
	if [ "$ir_sig" = TERM ]; then
		kill -TERM "$ir_pid"
	elif [ "$(ps -o pgid= -p "$ir_pid" | tr -d ' ')" = "$ir_pid" ]; then
		kill -s INT -- "-$ir_pid"
	else
		fail "setup: up in its own process group" "setsid forked"
		kill -INT "$ir_pid"
	fi
	t0=$(date +%s)
	wait "$ir_pid"
	rc=$?
	took=$(($(date +%s) - t0))
}

compile "$tmp/$p.mk" -t make -p $p "$cases/levels.yaml"
# ids: the project's containers' IDs, sorted
ids() {
	docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$p" | sort
}
for round in sh-INT sh-TERM make-INT; do
	case $round in
	sh-INT) interrupt INT $p-app-1 2 /etc/app.conf sh "$tmp/$p.sh" up ;;
	sh-TERM) interrupt TERM $p-web-1 1 - sh "$tmp/$p.sh" up ;;
	make-INT) interrupt INT $p-app-1 2 /etc/app.conf make -j -f "$tmp/$p.mk" up ;;
	esac
	sig=${round#*-} when=$ir_when
	if [ "$sig" = INT ]; then want=130; else want=143; fi
	# GNU make's own status after SIGINT is 130, or 2 when its wait for
	# the children it had already reaped fails ("wait: No child
	# processes.  Stop."), a race inside make
	[ "$round" != make-INT ] || want='130|2'

	expect "$round: up stops with $want, saying so" $want "Interrupted by SIG$sig"
	check "$round: at once ($took s)" [ "$took" -le 5 ]
	before=$(state $p)
	sleep 3
	same "$round: nothing goes on starting behind its back" "$(state $p)" "$before"
	case $before in
	*"${when} created"*) pass "$round: it stopped while $when waited" ;;
	*) fail "$round: it stopped while $when waited" "$(printf '%s' "$before" | tr '\n' ,)" ;;
	esac
	if [ "$sig" = INT ]; then
		if [ $round = sh-INT ]; then deploy $p up; else mk $p -j up; fi
		expect "$round: up again exits 0" 0
		same "$round: up again gives exactly the declared containers, running" \
			"$(state $p)" "$declared"
		check "$round: app is complete: both networks" \
			[ "$(field $p-app-1 '{{len .NetworkSettings.Networks}}')" = 2 ]
		check "$round: app is complete: its config" \
			[ "$(docker exec $p-app-1 cat /etc/app.conf)" = app-config ]
		check "$round: no temporary or extra container" \
			[ "$(count containers $p)" = 6 ]
		before=$(ids)
		if [ $round = sh-INT ]; then
			deploy $p up
			expect "$round: a further up is a no-op" 0 "Everything is up to date"
		else
			mk $p -j up
			expect "$round: a further make up exits 0" 0
			check "$round: and creates, recreates, starts nothing" \
				[ -z "$(grep -e Creating -e Recreate -e Starting "$tmp/err")" ]
		fi
		same "$round: the same containers as before it" "$(ids)" "$before"
		deploy $p down
	else
		# --- partial-down: what the interrupted up left, less a
		# container removed by hand
		docker rm -f $p-db-1 >/dev/null
		deploy $p down
		expect "partial down: after SIGTERM and a container removed by hand, exits 0" 0
		same "partial down: removed all of the project" "$(state $p)" ""
	fi
done
check "the bystander of another project still runs" \
	[ "$(field $P-bystander-1 '{{.State.Status}}')" = running ]

# --- half-made: create succeeds, network connect fails
p=$P-connect
e2e_project $p
compile "$tmp/$p.sh" -p $p "$cases/connect.yaml"
compile "$tmp/$p.mk" -t make -p $p "$cases/connect.yaml"
nets="network ${p}_first${nl}network ${p}_second"
for round in first again; do
	deploy $p up
	expect "half-made ($round): up fails, removing what it made of two" 1 \
		"Container $p-two-1  Removed (half-created)"
	same "half-made ($round): no container left to keep" "$(state $p)" "$nets"
done
mk $p up
expect "half-made: make up fails, removing what it made of two" ! \
	"Container $p-two-1  Removed (half-created)"
same "half-made: make left no container to keep" "$(state $p)" "$nets"
deploy $p down
expect "half-made: down exits 0" 0
same "half-made: down removed everything" "$(state $p)" ""

# --- volume and external: data that must survive
p=$P-volume
e2e_project $p
e2e_project $P-owned
extvol=$P-owned-volume extnet=$P-owned-network
docker volume create --label com.docker.compose.project=$P-owned $extvol >/dev/null
docker network create --label com.docker.compose.project=$P-owned $extnet >/dev/null
FAULTS_EXT_VOLUME=$extvol FAULTS_EXT_NETWORK=$extnet FAULTS_GEN=1
export FAULTS_EXT_VOLUME FAULTS_EXT_NETWORK FAULTS_GEN
compile "$tmp/$p.sh" -p $p "$cases/volume.yaml"
FAULTS_GEN=2
compile "$tmp/$p-2.sh" -p $p "$cases/volume.yaml"
FAULTS_EXT_NETWORK=$P-no-such-network FAULTS_GEN=1
compile "$tmp/$p-nonet.sh" -p $p "$cases/volume.yaml"
FAULTS_EXT_NETWORK=$extnet FAULTS_EXT_VOLUME=$P-no-such-volume
compile "$tmp/$p-novol.sh" -p $p "$cases/volume.yaml"
unset FAULTS_EXT_VOLUME FAULTS_EXT_NETWORK FAULTS_GEN
token=kept-$$-$(date +%s)

# read VOLUME: /data/token of the volume, read with a container of its own
readback() {
	docker run --rm -v "$1:/data:ro" $busybox cat /data/token 2>&1
}
owned() {
	printf '%s %s' "$(docker volume inspect -f '{{.Name}}' $extvol 2>&1)" \
		"$(docker network inspect -f '{{.Name}}' $extnet 2>&1)"
}

deploy $p up
expect "volume: up exits 0" 0
docker exec $p-store-1 sh -c "echo $token >/data/token; echo $token >/shared/token"
deploy $p down
expect "volume: down exits 0" 0
same "volume: down keeps the volume (and only it)" "$(state $p)" "volume ${p}_data"
same "volume: its data is there" "$(readback ${p}_data)" "$token"
deploy $p up
expect "volume: up again exits 0" 0
same "volume: the container sees the data again" \
	"$(docker exec $p-store-1 cat /data/token)" "$token"
old=$(cid $p-store-1)
deploy $p-2 up
expect "volume: a config change recreates the container" 0 "$p-store-1  Recreate"
check "volume: it is a new container" [ "$(cid $p-store-1)" != "$old" ]
same "volume: the new container sees the data" \
	"$(docker exec $p-store-1 cat /data/token)" "$token"
deploy $p-2 down
expect "external: down exits 0" 0
same "external: down leaves the external network and volume" "$(owned)" "$extvol $extnet"
deploy $p-2 up
deploy $p-2 down -v
expect "volume: down -v exits 0" 0
same "volume: down -v removes the project's volume" "$(state $p)" ""
same "external: down -v leaves the external network and volume" "$(owned)" "$extvol $extnet"
same "external: the external volume's data is there" "$(readback $extvol)" "$token"

deploy $p-nonet up
expect "external: a missing network fails up, naming it" 1 \
	"network $P-no-such-network declared as external, but could not be found"
same "external: nothing created for a missing network" "$(state $p)" ""
deploy $p-novol up
expect "external: a missing volume fails up, naming it" 1 \
	"external volume \"$P-no-such-volume\" not found"
check "external: no container created for a missing volume" [ "$(count containers $p)" = 0 ]
deploy $p-novol down -v
expect "external: down -v after that exits 0" 0
same "external: down -v after that leaves nothing of the project" "$(state $p)" ""
same "external: and still the external network and volume" "$(owned)" "$extvol $extnet"

check "the bystander of another project still runs" \
	[ "$(field $P-bystander-1 '{{.State.Status}}')" = running ]

e2e_done
