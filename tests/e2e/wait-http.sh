#!/bin/sh
# wait-http.sh URL [SECONDS]: print the first answer of URL, retrying for up
# to SECONDS (default 30) while a freshly started service comes up.
set -eu
url=$1
tries=$((${2:-30} * 2))
while [ "$tries" -gt 0 ]; do
	if curl -fsS -m 2 "$url" 2>/dev/null; then
		exit 0
	fi
	tries=$((tries - 1))
	sleep 0.5
done
echo "wait-http: no answer from $url" >&2
exit 1
