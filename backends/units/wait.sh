# shellcheck shell=sh
# ExecStartPre of a container unit: c2sh [CONTAINER SERVICE CONDITION
# required|optional]...: wait for the depends_on conditions,
# C2SH_WAIT_TIMEOUT seconds in all
t=${C2SH_WAIT_TIMEOUT:-300}
end=$(($(date +%s) + t))
while [ $# -ge 4 ]; do
	n=$1 s=$2 c=$3 r=$4
	shift 4
	while :; do
		w=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' "$n" 2>/dev/null) ||
		    w='missing none 0'
		st=${w%% *}
		w=${w#* }
		h=${w%% *}
		code=${w#* }
		m=
		# (each pattern on the line of its first command: the build
		# joins the lines into one)
		case $c in
		service_started) case $st in missing|created) ;; *) break ;; esac ;;
		service_healthy) case $h in
			healthy) break ;;
			unhealthy) m="container $n is unhealthy" ;;
			none) case $st in
				missing|created) ;;
				*) m="container $n has no healthcheck configured" ;;
				esac ;;
			esac
			case $st in exited|dead) m="container $n exited ($code)" ;; esac ;;
		service_completed_successfully) if [ "$st" = exited ]; then
				[ "$code" = 0 ] && break
				m="service $s didn't complete successfully: exit $code"
			fi ;;
		esac
		[ -z "$m" ] && [ "$(date +%s)" -ge "$end" ] &&
		    m="timed out after ${t}s waiting for service $s ($c)"
		if [ -n "$m" ]; then
			[ "$r" = required ] && {
				echo "c2sh: dependency failed to start: $m" >&2
				exit 1
			}
			echo "c2sh: warning: $m (optional dependency, going on)" >&2
			break
		fi
		sleep 1
	done
done
