#!/bin/sh
# End-to-end property test: values are data (issue 7).  tests/e2e/
# property.py generates, from a seed, compose files whose environment
# (keys and values), labels (keys and values), command and entrypoint
# words, healthcheck tests (exec form, CMD-SHELL and string), hostname,
# domainname, working_dir, user, dns_opt, a log tag, mount targets, the
# labels of a network and a volume
# (tmpfs, volume, and a bind of a directory with an odd name; the project
# directory's own name holds quotes, a comma, % and $) hold every
# character 1..127, multi-byte
# UTF-8, quotes, $ $$ ${X} $(...) backticks, % %% %n (systemd specifiers),
# backslashes, # ; & |, make's $(shell ...), newlines (\n \r\n \r), empty
# and very long (64 to 100 KiB) values, a fixed list of nasty ones and
# random mixtures; every injected command would create a file named
# $canary*.  The seed is printed; SEED=N reproduces a run (by default it
# changes with every run, so CI explores new values over time).
#
# For each file, the containers that `docker compose create` (the API: the
# oracle), `sh deploy.sh create`, `make create` (-t make) and `systemctl
# start` of the units (-t systemd, systemd in a container as in
# test-systemd.sh) make are read back with `docker inspect` and compared,
# field by field, with the generator's own values: compose exactly, the
# c2sh backends beyond what the docker CLI cannot express (the entrypoint's
# words split between Entrypoint and Cmd, an exec-form health test as a
# CMD-SHELL string that sh splits into exactly the test's words; see
# property.py).  No canary file may exist afterwards, on the host or in
# the systemd container.
#
# What a medium cannot hold must be refused at compile time (exit 1,
# nothing on stdout or in the -o directory, a file:line:col: error naming
# the reason), never truncated or mangled:
#   refuse/*.yaml  a NUL (\0, \x00, \u0000, \U00000000) in every field
#                  kind, a label name with '=' or a space, an entrypoint
#                  whose first word is empty, a mount target with CR LF:
#                  every backend refuses
#   arg.yaml       one value longer than one Linux argument: every backend
#   total.yaml     2.4 MB of arguments to one docker create (Linux passes
#                  2 MiB by default): every backend
#   quotes.yaml    100 KiB of ': make refuses, sh and systemd deliver
#   unitline.yaml  1.2 MiB on one unit line: systemd and make refuse, sh
#                  delivers
#   long.yaml      64 to 100 KiB per field: sh and systemd deliver; make
#                  delivers or refuses (one recipe line, one argument)
#
#   sh tests/e2e/test-property.sh    (SEED=N; C2SH=path/to/c2sh)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init property c2sh-test/busybox:latest c2sh-test/systemd:latest
p=c2sh-e2e-property
sysd=c2sh-e2e-property-sysd
SEED=${SEED:-$(($(date +%s) % 1000000))}
echo "property: seed $SEED (SEED=$SEED sh tests/e2e/test-property.sh reproduces)"
gen="$tmp/gen,\"q' %n \$X="
if ! python3 "$here/property.py" gen "$SEED" "$gen" 2>"$tmp/gen.err"; then
	fail "generate" "$(tail -n 3 "$tmp/gen.err" | tr '\n' ' ')"
	e2e_done
fi
unset c2shpunset_V
canary=$(cat "$gen/canary")
rm -f "$canary"*

e2e_systemd "$sysd"

# refused WHAT WHY ARG... FILE: c2sh ARG... FILE exits 1, prints nothing
# on stdout, and its first line is an error positioned in FILE
# (FILE:LINE:COLUMN: error: ) that holds WHY
refused() {
	rf_what=$1 rf_why=$2
	shift 2
	for rf_file; do :; done
	"$C2SH" "$@" >"$tmp/rf.out" 2>"$tmp/rf.err"
	rf_rc=$?
	rf_first=$(head -n 1 "$tmp/rf.err")
	if [ $rf_rc -ne 1 ]; then
		fail "$rf_what" "exit $rf_rc, not 1: $rf_first"
	elif [ -s "$tmp/rf.out" ]; then
		fail "$rf_what" "something on stdout"
	elif [ "${rf_first#"$rf_file"}" = "$rf_first" ] ||
		! printf '%s\n' "${rf_first#"$rf_file"}" | grep -q '^:[0-9][0-9]*:[0-9][0-9]*: error: '; then
		fail "$rf_what" "no file:line:col: error: $rf_first"
	elif ! printf '%s\n' "$rf_first" | grep -qF -- "$rf_why"; then
		fail "$rf_what" "the error does not say $rf_why: $rf_first"
	else
		pass "$rf_what"
	fi
}

# inspect PROJECT OUT: the project's containers as docker inspect gives
# them, its networks in OUT.net and its volumes in OUT.vol
inspect() {
	for in_k in container network volume; do
		case $in_k in
		container) in_ids=$(docker ps -aq --filter "label=com.docker.compose.project=$1") ;;
		*) in_ids=$(docker $in_k ls -q --filter "label=com.docker.compose.project=$1") ;;
		esac
		in_out=$2
		[ $in_k = container ] || in_out=$2.$(printf %.3s $in_k)
		if [ -z "$in_ids" ]; then
			echo '[]' >"$in_out"
		else
			# shellcheck disable=SC2086 # one word per ID
			docker $in_k inspect $in_ids >"$in_out"
		fi
	done
}

# same WHAT FILE PROJECT MODE: the project's containers hold FILE's values
same() {
	inspect "$3" "$tmp/inspect.json"
	if python3 "$here/property.py" check "$gen/$2.json" "$tmp/inspect.json" \
		"$4" >"$tmp/check.out" 2>&1; then
		pass "$1"
	else
		fail "$1" "$(head -n 3 "$tmp/check.out" | cut -c 1-400 | tr '\n' ' ')"
	fi
	e2e_clean "$3"
}

# deliver BACKEND FILE [refuse-ok]: compile FILE for BACKEND, deploy it
# (create; systemd: start the target) and compare; with refuse-ok, a
# clean refusal at compile time passes too
deliver() {
	dl_b=$1 dl_f=$2 dl_p=$p-$1-$2 dl_ok=${3:-}
	e2e_project "$dl_p"
	dl_out=$tmp/$dl_p.out
	case $dl_b in
	sh) set -- -t sh ;;
	make) set -- -t make ;;
	systemd) set -- -t systemd -o "$tmp/$dl_p" ;;
	esac
	if ! "$C2SH" -q -p "$dl_p" "$@" "$gen/$dl_f.yaml" >"$dl_out" 2>"$tmp/c2sh.err"; then
		if [ -n "$dl_ok" ]; then
			refused "$dl_b refuses $dl_f.yaml at compile time" bytes \
				-p "$dl_p" "$@" "$gen/$dl_f.yaml"
		else
			fail "$dl_b compiles $dl_f.yaml" "$(head -n 2 "$tmp/c2sh.err" | tr '\n' ' ')"
		fi
		return
	fi
	# c2shpunset_V, valueless in compose.yaml and unset when compiled,
	# is set where the backends deploy: it must not reach a container
	case $dl_b in
	sh) c2shpunset_V=leaked sh "$dl_out" create ;;
	make) (unset MAKEFLAGS MAKELEVEL && c2shpunset_V=leaked make -f "$dl_out" create) ;;
	systemd)
		# units whose container fails to run fail; what counts is the
		# container they created
		# shellcheck disable=SC2016 # $1 is for that sh
		sd mkdir -p "/tmp/units/$dl_p" &&
			docker cp "$tmp/$dl_p/." "$sysd:/tmp/units/$dl_p/" >/dev/null &&
			sd sh -c 'cp "$1"/* /etc/systemd/system/ && systemctl daemon-reload' \
				sh "/tmp/units/$dl_p" &&
			sd systemctl set-environment c2shpunset_V=leaked &&
			{ sd systemctl start "$dl_p.target" || :; } &&
			sd systemctl unset-environment c2shpunset_V
		;;
	esac >"$tmp/deploy.out" 2>&1
	dl_rc=$?
	if [ $dl_rc -ne 0 ]; then
		fail "$dl_b deploys $dl_f.yaml" "exit $dl_rc: $(tail -n 3 "$tmp/deploy.out" | cut -c 1-300 | tr '\n' ' ')"
	fi
	if [ "$dl_b" = systemd ]; then
		# wait (30 s at most) until systemd has no job left
		n=0
		while [ -n "$(sd systemctl list-jobs --no-legend 2>/dev/null)" ] && [ $n -lt 120 ]; do
			sleep 0.25
			n=$((n + 1))
		done
	fi
	same "$dl_b delivers $dl_f.yaml byte for byte" "$dl_f" "$dl_p" cli
	if [ "$dl_b" = systemd ]; then
		sd systemctl stop "$dl_p.target" >/dev/null 2>&1
		sd systemctl reset-failed >/dev/null 2>&1
	fi
}

# ---- the oracle: what Compose delivers is what the generator meant ----------
for f in compose long; do
	e2e_project "$p-ref-$f"
	if docker compose -p "$p-ref-$f" -f "$gen/$f.yaml" create >"$tmp/ref.out" 2>&1; then
		same "docker compose create delivers $f.yaml as generated" "$f" "$p-ref-$f" compose
	else
		fail "docker compose create $f.yaml" "$(tail -n 3 "$tmp/ref.out" | cut -c 1-300 | tr '\n' ' ')"
	fi
done

# ---- each backend -----------------------------------------------------------
for b in sh make systemd; do
	deliver $b compose
done
deliver sh long
deliver systemd long
deliver make long refuse-ok
deliver sh quotes
deliver systemd quotes
deliver sh unitline

# ---- what a medium cannot hold is refused -----------------------------------
for b in sh make systemd; do
	refused "$b refuses a value longer than one argument (arg.yaml)" bytes \
		-t $b -o "$tmp/refused.$b" "$gen/arg.yaml"
	refused "$b refuses 2.4 MB of arguments for one docker create (total.yaml)" \
		bytes -t $b -o "$tmp/refused.$b" "$gen/total.yaml"
done
refused "make refuses 400 KiB on a recipe line (quotes.yaml)" bytes \
	-t make "$gen/quotes.yaml"
refused "make refuses 300 KiB on a recipe line (unitline.yaml)" bytes \
	-t make "$gen/unitline.yaml"
refused "systemd refuses 1.2 MiB on a unit line (unitline.yaml)" bytes \
	-t systemd -o "$tmp/refused.systemd" "$gen/unitline.yaml"
for y in "$gen"/refuse/*.yaml; do
	n=$(basename "$y" .yaml)
	for b in sh make systemd; do
		refused "$b refuses $n" "$(cat "$gen/refuse/$n.why")" \
			-t $b -o "$tmp/refused.$b" "$y"
	done
done
check "nothing was written for a refused file (-o)" \
	[ -z "$(ls -d "$tmp"/refused.* 2>/dev/null)" ]

# ---- nothing else ran -------------------------------------------------------
# shellcheck disable=SC2016 # $1 is for that sh
check "nothing ran: no $canary* on the host or under systemd" sh -c \
	'! ls "$1"* 2>/dev/null && ! docker exec "$2" sh -c "ls $1* 2>/dev/null"' \
	sh "$canary" "$sysd"
rm -f "$canary"*

e2e_done
