#!/bin/sh
# End-to-end property: a secret read from the environment is read when
# deploying and appears nowhere else.  Each run draws a new random value
# (with quotes, $, backquotes, %, a backslash, UTF-8 and a newline around
# a random token) for a secret and a config given by `environment:`
# (cases/secrets/compose.yaml), and checks, for deploy.sh, the Makefile
# and the systemd units:
#   - the token is in no byte of any artifact (sh, make, systemd, plan,
#     json), nor of c2sh's stdout and stderr, though the variables were
#     set when compiling;
#   - nor in the `ps` output sampled every 50 ms while the deploy runs,
#     nor in any file under the deploy's $TMPDIR;
#   - the value arrives in the container byte for byte, at Compose's
#     targets, with Compose's mode and the owner given (uid, gid, mode);
#     Compose finds the container up to date (the same config hash);
#   - a variable missing when deploying fails before anything is made,
#     naming the variable and the service;
#   - an up interrupted by SIGINT while the secret is copied leaves no
#     file with the value;
#   - systemd: the value is read from a file of mode 0600 the
#     administrator writes (/etc/credstore/PROJECT.VAR), absent from
#     `systemctl show`; without the file the unit fails, nothing made;
#   - -o keeps the mode of the file it replaces (a deploy.sh made 0600).
#
#   sh tests/e2e/test-secrets.sh   (C2SH=path/to/c2sh to test another build)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

e2e_init secrets c2sh-test/busybox:latest c2sh-test/systemd:latest
p=c2sh-e2e-secrets
sysd=c2sh-e2e-secrets-sysd
e2e_project $p

token=c2sh-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
# the value: the token among what a shell, make or systemd would read
value="$token 'q' \"d\" \$x \`b\` %n \\ é
second line"
conf="cfg-$token"
export C2SH_E2E_SECRET="$value" C2SH_E2E_CONF="$conf"
cp "$cases/compose.yaml" "$tmp/compose.yaml"

# absent WHAT PATH...: the token is in none of the files (or below the
# directories)
absent() {
	ab_what=$1
	shift
	if ab_in=$(grep -rlF -- "$token" "$@" 2>/dev/null); then
		fail "$ab_what" "the value is in: $(echo "$ab_in" | tr '\n' ' ')"
	else
		pass "$ab_what"
	fi
}

# ---- the artifacts --------------------------------------------------------
mkdir -p "$tmp/art"
for t in sh make plan json; do
	"$C2SH" -p $p -t $t -o "$tmp/art/out.$t" "$tmp/compose.yaml" \
	    >"$tmp/art/stdout.$t" 2>"$tmp/art/stderr.$t"
done
"$C2SH" -p $p -t systemd -o "$tmp/art/units" "$tmp/compose.yaml" \
    >"$tmp/art/stdout.systemd" 2>"$tmp/art/stderr.systemd"
check "every artifact is written" [ -s "$tmp/art/out.sh" ] && [ -s "$tmp/art/out.make" ] &&
	[ -s "$tmp/art/units/$p-web-1.service" ]
absent "no artifact, plan, stdout or stderr of c2sh holds the value" \
	"$tmp/art"
check "the plan names the variable" grep -q 'from environment C2SH_E2E_SECRET' "$tmp/art/out.plan"

# -o keeps the mode of what it replaces
chmod 600 "$tmp/art/out.sh"
"$C2SH" -p $p -o "$tmp/art/out.sh" "$tmp/compose.yaml" 2>/dev/null
check "-o keeps the mode 0600 of the deploy.sh it replaces" \
	[ "$(stat -c %a "$tmp/art/out.sh")" = 600 ]
check "-o leaves no temporary file" [ -z "$(find "$tmp/art" -name '*.c2sh-??????')" ]

# ---- in the container ---------------------------------------------------------

# arrived WHO: the files in $p-web-1 are the values, with mode and owner
# (as docker cp reads them back: the tar entry's mode and numeric owner)
arrived() {
	ar_ok=1
	for ar_f in /run/secrets/pw:-r--r--r--:0/0 /etc/other/pw2:-r--------:1000/1001 \
	    /conf:-r--r--r--:0/0; do
		ar_path=${ar_f%%:*} ar_meta=${ar_f#*:}
		if [ "$ar_path" = /conf ]; then ar_want=$conf; else ar_want=$value; fi
		ar_got=$(docker cp "$p-web-1:$ar_path" - 2>/dev/null | tar -xOf - && echo x)
		ar_got=${ar_got%x}
		ar_st=$(docker cp "$p-web-1:$ar_path" - 2>/dev/null |
		    tar -tvf - --numeric-owner | awk '{ print $1 ":" $2 }')
		if [ "$ar_got" != "$ar_want" ] || [ "$ar_st" != "$ar_meta" ]; then
			fail "$1: $ar_path arrives byte for byte, $ar_meta" \
			    "got $ar_st, $(printf '%s' "$ar_got" | wc -c) bytes"
			ar_ok=
		fi
	done
	[ -z "$ar_ok" ] || pass "$1: every file arrives byte for byte, with its mode and owner"
}

# sampled WHO CMD...: run CMD with a fresh $TMPDIR while ps is sampled
sampled() {
	sa_who=$1
	shift
	rm -rf "$tmp/tmpdir" && mkdir -p "$tmp/tmpdir"
	(while :; do ps -eo args; sleep 0.05; done) >"$tmp/ps.$sa_who" 2>&1 &
	sa_ps=$!
	TMPDIR=$tmp/tmpdir "$@" >"$tmp/out.$sa_who" 2>&1
	sa_rc=$?
	kill "$sa_ps" 2>/dev/null
	wait "$sa_ps" 2>/dev/null
	check "$sa_who: up exits 0 ($(tail -n 2 "$tmp/out.$sa_who" | tr '\n' ' '))" [ "$sa_rc" -eq 0 ]
	check "$sa_who: ps was sampled while it ran" [ "$(grep -c . "$tmp/ps.$sa_who")" -gt 10 ]
	absent "$sa_who: the value is in no ps sample, no output, no file under TMPDIR" \
		"$tmp/ps.$sa_who" "$tmp/out.$sa_who" "$tmp/tmpdir"
}

cd "$tmp/art" || exit 1
sampled sh sh out.sh up
arrived sh
# the config hash is Compose's: it hashes the references, not the value
if docker compose -p $p -f "$tmp/compose.yaml" up -d --dry-run >"$tmp/dry" 2>&1 &&
	grep -q 'Running' "$tmp/dry" && ! grep -q 'Recreate' "$tmp/dry"; then
	pass "docker compose up finds the container deploy.sh made up to date"
else
	fail "docker compose up finds the container deploy.sh made up to date" \
	    "$(tr '\n' ' ' <"$tmp/dry")"
fi
sh out.sh down >/dev/null 2>&1

sampled make make -f out.make up
arrived make
make -f out.make down >/dev/null 2>&1

# ---- a missing variable ---------------------------------------------------------
for t in sh make; do
	if [ $t = sh ]; then set -- sh out.sh up; else set -- make -f out.make up; fi
	env -u C2SH_E2E_SECRET "$@" >"$tmp/missing.$t" 2>&1
	rc=$?
	check "$t: a missing variable fails up" [ "$rc" -ne 0 ]
	check "$t: the message names the variable and the service" \
		grep -q 'service web: the environment variable C2SH_E2E_SECRET is not set' "$tmp/missing.$t"
	check "$t: nothing is made" [ "$(count containers $p)$(count networks $p)" = 00 ]
done

# ---- interrupted while copying ------------------------------------------------------
rm -rf "$tmp/tmpdir" && mkdir -p "$tmp/tmpdir"
TMPDIR=$tmp/tmpdir env --default-signal=INT setsid sh out.sh up >"$tmp/int.out" 2>&1 &
ip=$!
n=0
until [ -n "$(docker ps -aq --filter "name=^$p-web-1\$")" ] || [ $n -ge 200 ]; do
	sleep 0.02
	n=$((n + 1))
done
kill -s INT -- "-$ip" 2>/dev/null
wait "$ip"
absent "an up interrupted while copying leaves no file with the value" \
	"$tmp/tmpdir"
sh out.sh down >/dev/null 2>&1

# ---- systemd: a credential ----------------------------------------------------------
e2e_systemd "$sysd"
sd mkdir -p /tmp/units
docker cp "$tmp/art/units/." "$sysd:/tmp/units/" >/dev/null
# the administrator's part: the values in files of mode 0600
for v in C2SH_E2E_SECRET C2SH_E2E_CONF; do
	if [ $v = C2SH_E2E_SECRET ]; then val=$value; else val=$conf; fi
	printf '%s' "$val" | docker exec -i "$sysd" sh -c \
	    'umask 077; mkdir -p /etc/credstore; cat >"/etc/credstore/$1"' sh "$p.$v"
done
sd sh -c 'cp /tmp/units/* /etc/systemd/system/ && systemctl daemon-reload'
# first without the secret's file: the unit fails before its container
sd mv "/etc/credstore/$p.C2SH_E2E_SECRET" /tmp/held
sd systemctl start "$p.target" >/dev/null 2>&1
sd systemctl stop "$p.target" >/dev/null 2>&1
check "systemd: without the file, no container is made" [ "$(count containers $p)" = 0 ]
check "systemd: the journal names the missing file" sd sh -c \
	"journalctl -u $p-web-1.service --no-pager | grep -q '/etc/credstore/$p.C2SH_E2E_SECRET is missing'"
sd mv /tmp/held "/etc/credstore/$p.C2SH_E2E_SECRET"
sd systemctl reset-failed >/dev/null 2>&1
if sd systemctl start "$p.target" >"$tmp/sd.out" 2>&1; then
	pass "systemd: start $p.target"
else
	fail "systemd: start $p.target" "$(tr '\n' ' ' <"$tmp/sd.out")"
fi
arrived systemd
sd systemctl show "$p-web-1.service" >"$tmp/sd.show" 2>&1
absent "systemd: systemctl show of the unit does not hold the value" "$tmp/sd.show"
sd systemctl stop "$p.target" >/dev/null 2>&1

e2e_done
