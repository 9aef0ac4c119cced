# shellcheck shell=sh disable=SC2016 # a Go template
# what web publishes, and what 127.0.0.1:47391 answers on the host
# (retried for 2 s when web publishes something)
check_step() {
	ck_p=$(field "$P-web-1" '{{range $p, $b := .HostConfig.PortBindings}}{{$p}}->{{range $b}}{{.HostIp}}:{{.HostPort}}{{end}} {{end}}')
	echo "web publishes: ${ck_p:-nothing}"
	ck_n=0
	until ck_a=$(curl -fsS --max-time 1 http://127.0.0.1:47391/ 2>/dev/null) ||
		[ -z "$ck_p" ] || [ $ck_n -ge 10 ]; do
		sleep 0.2
		ck_n=$((ck_n + 1))
	done
	echo "127.0.0.1:47391 answers: ${ck_a:-nothing}"
}
