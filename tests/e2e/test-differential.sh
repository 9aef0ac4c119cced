#!/bin/sh
# End-to-end: the differential test against Docker Compose v2 (issue 3,
# scenario 5).  For every tests/e2e/differential/NAME/compose.yaml, and for
# each sample (samples/DIR/docker-compose.yaml, named sample-DIR), the
# project is created twice on the real engine, one after the other (so that
# fixed subnets, names and ports never clash):
#   compose  docker compose -f FILE -p c2sh-diff-a create
#   c2sh     c2sh -p c2sh-diff-b FILE > deploy.sh; sh deploy.sh create
#            (with -t make: c2sh -t make ... > Makefile; make create)
#            (with -t systemd: c2sh -t systemd -o DIR ... and the units run
#            by a real systemd in a container (lib.sh's e2e_systemd), each
#            container unit with a drop-in that keeps its own ExecStartPre
#            lines except the depends_on wait and replaces `docker start -a`
#            by /bin/true, so the containers are created, not started;
#            EXCUSED.systemd lists what differs on top of EXCUSED)
# and `docker inspect` of every container, network and volume of each
# project (named ones by the project label, anonymous volumes through the
# containers' mounts) is normalized and compared as JSON, by python3.
#
# Normalizing drops what differs by nature, not by translation: creation
# and start times, the config-hash and version labels.  It maps the
# project names to <P>, every 64-hex-digit ID (container, network, image,
# layer, anonymous volume) to <HEX>, a container's short ID (its default
# hostname; its ID alias, which is dropped from the aliases) to <ID>, and a
# subnet and gateway the engine picked from its default pools
# (172.16.0.0/12 in /16s, 192.168.0.0/16 in /20s; the test files use other
# subnets) to <AUTO>.  It sorts what compose fills in an order that changes
# from run to run: from Go maps, Env, ExtraHosts, Binds, HostConfig.Mounts,
# Ulimits and the depends_on label's entries; from the engine's list of
# replicas created in parallel, an endpoint's Links; and the engine's own
# Mounts.  It adds, under container/NAME/Derived, what an excused
# difference leaves to compare: Argv (Entrypoint + Cmd, the process's
# argv), HealthcheckWords (an exec form's words, or a shell form's split
# as sh would) and ExposedPorts (one PORT/PROTO per port: tcp when none is
# given, a range one entry per port).
#
# The result is flattened into paths such as
#	container/<P>-web-1/HostConfig/PortBindings/80~1tcp/0/HostPort
# (keys escaped as in JSON pointers: ~0 is ~, ~1 is /; an anonymous volume
# is volume/anonymous:CONTAINER:DESTINATION), and both sides must agree on
# every path, except where a line of tests/e2e/differential/EXCUSED (the
# short, documented list of intended differences, with the value on each
# side) matches.  Exactly those are applied; a line that excused nothing in
# a full run is named.
#
# One line per file, [PASS] or [FAIL] with the number of differences, then
# the first differences (C2SH_DIFF_MAX of them, default 12), each as
#	PATH: compose=VALUE c2sh=VALUE
# Both projects are removed before each file and on exit; the external
# network the files use (c2sh-diff-external) is created for the run.
#
#   sh tests/e2e/test-differential.sh [-t sh|make|systemd] [NAME...]
#                 (C2SH=path/to/c2sh to test another build; E2E_KEEP=1
#                 keeps $tmp, with each side's inspect output)
# Needs python3 (standard library only; tests/setup.sh test installs it)
# and Docker Compose v2 (tests/install-compose.sh; 2.26.1 is the reference).
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh disable=SC1091 # followed with -x
. "$here/lib.sh"

files=$here/differential
excused=$files/EXCUSED
pa=c2sh-diff-a
pb=c2sh-diff-b
external=c2sh-diff-external

# snapshot PROJECT DIR: DIR/containers.json, networks.json, volumes.json
snapshot() {
	sn_ids=$(docker ps -aq --filter "label=com.docker.compose.project=$1")
	sn_nets=$(docker network ls -q --filter "label=com.docker.compose.project=$1")
	sn_vols=$(docker volume ls -q --filter "label=com.docker.compose.project=$1")
	for sn_f in containers networks volumes; do
		echo '[]' >"$2/$sn_f.json"
	done
	if [ -n "$sn_ids" ]; then
		# shellcheck disable=SC2086 # one word per ID
		docker container inspect $sn_ids >"$2/containers.json"
		# anonymous volumes carry no label: find them through the mounts
		# shellcheck disable=SC2086
		sn_vols="$sn_vols $(docker container inspect -f \
			'{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' \
			$sn_ids)"
	fi
	# shellcheck disable=SC2086 # one word per ID
	[ -z "$sn_nets" ] || docker network inspect $sn_nets >"$2/networks.json"
	# shellcheck disable=SC2086 # one word per name
	sn_vols=$(printf '%s\n' $sn_vols | sort -u)
	# shellcheck disable=SC2086
	[ -z "$sn_vols" ] || docker volume inspect $sn_vols >"$2/volumes.json"
}

# c2sh_create DIR FILE: compile FILE for $backend into DIR and create the
# project with it; output in DIR/c2sh.out
c2sh_create() {
	case $backend in
	sh)
		if ! "$C2SH" -q -p $pb -o "$1/deploy.sh" "$2" >"$1/c2sh.out" 2>&1; then
			fail "$name" "c2sh failed: $(tr '\n' ' ' <"$1/c2sh.out")"
			return 1
		fi
		if ! sh "$1/deploy.sh" create >>"$1/c2sh.out" 2>&1; then
			fail "$name" "sh deploy.sh create failed: $(tail -n 3 "$1/c2sh.out" | tr '\n' ' ')"
			return 1
		fi
		;;
	make)
		if ! "$C2SH" -q -t make -p $pb -o "$1/Makefile" "$2" >"$1/c2sh.out" 2>&1; then
			fail "$name" "c2sh -t make failed: $(tr '\n' ' ' <"$1/c2sh.out")"
			return 1
		fi
		if ! make -s -f "$1/Makefile" create >>"$1/c2sh.out" 2>&1; then
			fail "$name" "make create failed: $(tail -n 3 "$1/c2sh.out" | tr '\n' ' ')"
			return 1
		fi
		;;
	systemd)
		if ! "$C2SH" -q -t systemd -p $pb -o "$1/units" "$2" >"$1/c2sh.out" 2>&1; then
			fail "$name" "c2sh -t systemd failed: $(tr '\n' ' ' <"$1/c2sh.out")"
			return 1
		fi
		for cs_u in "$1/units"/*.service; do
			grep -q '^ExecStart=/bin/sh -c "docker start -a' "$cs_u" || continue
			mkdir -p "$cs_u.d"
			{
				printf '[Service]\nExecStartPre=\n'
				# the unit's own ExecStartPre lines (with their
				# continuation lines), but the wait
				awk '/^ExecStartPre=/ { keep = !/C2SH_WAIT_TIMEOUT/; on = 1 }
				     on && keep { print }
				     on && !/\\$/ { on = 0 }' "$cs_u"
				printf 'ExecStart=\nExecStart=/bin/true\nExecStop=\nRestart=no\n'
			} >"$cs_u.d/create-only.conf"
		done
		docker cp "$1/units/." "$e2e_sysd:/etc/systemd/system/" >/dev/null &&
			sd systemctl daemon-reload
		if ! sd systemctl start $pb.target >>"$1/c2sh.out" 2>&1 ||
			[ -n "$(sd systemctl list-units --failed --no-legend --plain "$pb*")" ]; then
			fail "$name" "systemctl start $pb.target failed: $(sd systemctl list-units --failed --no-legend --plain "$pb*" | tr '\n' ' ')"
			return 1
		fi
		;;
	esac
}

# c2sh_down DIR: remove the project as $backend does
c2sh_down() {
	case $backend in
	sh) sh "$1/deploy.sh" down -v >>"$1/c2sh.out" 2>&1 ;;
	make) make -s -f "$1/Makefile" down-volumes >>"$1/c2sh.out" 2>&1 ;;
	systemd)
		sd systemctl stop $pb.target >>"$1/c2sh.out" 2>&1
		# shellcheck disable=SC2016 # for that sh
		sd sh -c 'rm -rf /etc/systemd/system/"$1"[.-]*; systemctl daemon-reload; systemctl reset-failed' sh $pb
		;;
	esac
}

# run NAME FILE: create with both, compare
run() {
	d=$tmp/$1
	mkdir -p "$d/compose" "$d/c2sh"
	e2e_clean $pa
	e2e_clean $pb
	if ! docker compose -f "$2" -p $pa create >"$d/compose.out" 2>&1; then
		fail "$1" "docker compose create failed: $(tail -n 3 "$d/compose.out" | tr '\n' ' ')"
		e2e_clean $pa
		return
	fi
	snapshot $pa "$d/compose"
	docker compose -f "$2" -p $pa down -v >>"$d/compose.out" 2>&1
	e2e_clean $pa

	if ! c2sh_create "$d" "$2"; then
		e2e_clean $pb
		return
	fi
	snapshot $pb "$d/c2sh"
	c2sh_down "$d"
	e2e_clean $pb

	if compare "$d/compose" "$d/c2sh" "$tmp/used" >"$d/diff"; then
		pass "$1"
	else
		fail "$1" "$(wc -l <"$d/diff" | tr -d ' ') difference(s) from Compose"
		head -n "${C2SH_DIFF_MAX:-12}" "$d/diff" | sed 's/^/    /'
	fi
}

# compare DIR-A DIR-B USED: the differences EXCUSED does not excuse, one
# per line; false when there are any.  Appends the numbers of the EXCUSED
# lines that excused something to USED.
compare() {
	python3 - "$excused" $pa $pb "$@" <<'EOF'
import ipaddress, json, re, shlex, sys

excused, pa, pb, dir_a, dir_b, used_file = sys.argv[1:]
HEX = re.compile(r"[0-9a-f]{64}")
DROP_LABELS = {"com.docker.compose.config-hash", "com.docker.compose.version"}
DROP_KEYS = {"Created", "CreatedAt", "StartedAt", "FinishedAt"}
DEPS = "com.docker.compose.depends_on"
ABSENT = "(absent)"


def auto_pool(subnet):
    """a subnet of the engine's default pools, which it hands out in turn:
    172.17-31.0.0/16 and 192.168.N.0/20"""
    try:
        net = ipaddress.ip_network(subnet)
    except ValueError:
        return False
    return (net.prefixlen == 16 and
            net.subnet_of(ipaddress.ip_network("172.16.0.0/12")) or
            net.prefixlen == 20 and
            net.subnet_of(ipaddress.ip_network("192.168.0.0/16")))


def glob(p):
    """** any run, * and ? within a path segment, [...] a class"""
    out, i = "", 0
    while i < len(p):
        if p.startswith("**", i):
            out, i = out + ".*", i + 2
        elif p[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif p[i] == "?":
            out, i = out + "[^/]", i + 1
        elif p[i] == "[" and "]" in p[i + 2:]:
            j = p.index("]", i + 2)
            out, i = out + p[i:j + 1].replace("[!", "[^"), j + 1
        else:
            out, i = out + re.escape(p[i]), i + 1
    return re.compile(out + r"\Z")


def template(t):
    return re.compile(re.escape(t).replace("%", "(.*)") + r"\Z")


def value_match(ta, tb, va, vb):
    """* alone is any value; a % stands for any text, for the same text
    when both sides have one"""
    if "%" in ta and "%" in tb:
        m = template(ta).match(va)
        return bool(m) and tb.replace("%", m.group(1)) == vb
    return ((ta == "*" or bool(template(ta).match(va))) and
            (tb == "*" or bool(template(tb).match(vb))))


def excuses():
    out = []
    with open(excused) as f:
        for n, line in enumerate(f, 1):
            w = line.split(None, 3)
            if w and not w[0].startswith("#"):
                out.append((n, glob(w[0]), w[1], w[2]))
    return out


def clean(v, project, short):
    """drop the keys and labels that differ by nature; map names and IDs"""
    if isinstance(v, dict):
        return {clean(k, project, short): clean(x, project, short)
                for k, x in v.items()
                if k not in DROP_KEYS and k not in DROP_LABELS}
    if isinstance(v, list):
        return [clean(x, project, short) for x in v]
    if isinstance(v, str):
        v = HEX.sub("<HEX>", v.replace(project, "<P>"))
        return v.replace(short, "<ID>") if short else v
    return v


def derived(cfg):
    """what an excused difference leaves to compare: the process's argv,
    the healthcheck's words, the exposed ports one PORT/PROTO each"""
    test = (cfg.get("Healthcheck") or {}).get("Test") or []
    words = test[1:]
    if test[:1] == ["CMD-SHELL"] and len(test) == 2:
        try:
            words = shlex.split(test[1])
        except ValueError:
            pass
    ports = set()
    for k in cfg.get("ExposedPorts") or {}:
        port, _, proto = k.partition("/")
        lo, _, hi = port.partition("-")
        for n in range(int(lo), int(hi or lo) + 1):
            ports.add("%d/%s" % (n, proto or "tcp"))
    return {"Argv": (cfg.get("Entrypoint") or []) + (cfg.get("Cmd") or []),
            "HealthcheckWords": words,
            "ExposedPorts": sorted(ports)}


def sort(obj, key, by=None):
    if obj.get(key):
        obj[key] = sorted(obj[key], key=by)


def load(d, project):
    objs, anon = {}, {}
    with open(d + "/containers.json") as f:
        for c in json.load(f):
            for m in c.get("Mounts") or []:
                if m.get("Type") == "volume" and HEX.fullmatch(m["Name"]):
                    anon[m["Name"]] = "volume/anonymous:%s:%s" % (
                        clean(c["Name"].lstrip("/"), project, None),
                        m["Destination"])
            c = clean(c, project, c["Id"][:12])
            cfg, hc = c["Config"], c["HostConfig"]
            # lists compose fills from Go maps, in an order that changes
            # from run to run (and the engine's own Mounts)
            sort(cfg, "Env")
            sort(hc, "ExtraHosts")
            sort(hc, "Binds", lambda b: b.split(":")[1:])
            sort(hc, "Mounts", lambda m: m.get("Target", ""))
            sort(hc, "Ulimits", lambda u: u.get("Name", ""))
            sort(c, "Mounts", lambda m: m.get("Destination", ""))
            labels = cfg.get("Labels") or {}
            if labels.get(DEPS):
                labels[DEPS] = ",".join(sorted(labels[DEPS].split(",")))
            c["Derived"] = derived(cfg)
            for ep in ((c.get("NetworkSettings") or {}).get("Networks")
                       or {}).values():
                if ep.get("Aliases"):
                    ep["Aliases"] = [a for a in ep["Aliases"] if a != "<ID>"]
                # compose links the containers of a scaled service in the
                # order the engine lists them, which the parallel creation
                # of replicas decides
                sort(ep, "Links")
            objs["container/" + c["Name"].lstrip("/")] = c
    with open(d + "/networks.json") as f:
        for n in json.load(f):
            n = clean(n, project, None)
            for pool in (n.get("IPAM") or {}).get("Config") or []:
                if auto_pool(pool.get("Subnet", "")):
                    pool["Subnet"] = pool["Gateway"] = "<AUTO>"
            objs["network/" + n["Name"]] = n
    with open(d + "/volumes.json") as f:
        for v in json.load(f):
            raw = v["Name"]
            v = clean(v, project, None)
            objs[anon.get(raw) or "volume/" + v["Name"]] = v
    return objs


def esc(k):
    return str(k).replace("~", "~0").replace("/", "~1")


def flatten(v, path, out):
    if isinstance(v, dict) and v:
        for k, x in v.items():
            flatten(x, path + "/" + esc(k), out)
    elif isinstance(v, list) and v:
        for i, x in enumerate(v):
            flatten(x, path + "/" + str(i), out)
    else:
        out[path] = json.dumps(v, separators=(",", ":"), ensure_ascii=False)


a, b = {}, {}
for k, v in load(dir_a, pa).items():
    flatten(v, k, a)
for k, v in load(dir_b, pb).items():
    flatten(v, k, b)
pats = excuses()
diffs, used = [], set()
for p in sorted(set(a) | set(b)):
    va, vb = a.get(p, ABSENT), b.get(p, ABSENT)
    if va == vb:
        continue
    hit = [n for n, rx, ta, tb in pats
           if rx.match(p) and value_match(ta, tb, va, vb)]
    if hit:
        used.add(hit[0])
        continue
    diffs.append("%s: compose=%s c2sh=%s" % (p, va, vb))
with open(used_file, "a") as f:
    for n in sorted(used):
        f.write("%d\n" % n)
for d in diffs:
    print(d)
sys.exit(1 if diffs else 0)
EOF
}

# unused: the EXCUSED lines (N:LINE) that excused nothing in this run
unused() {
	grep -n -v '^[[:space:]]*\(#\|$\)' "$excused" | while IFS= read -r l; do
		grep -qx "${l%%:*}" "$tmp/used" || printf '%s\n' "$l"
	done
}

backend='sh'
if [ "${1:-}" = -t ] && [ $# -ge 2 ]; then
	backend=$2
	shift 2
fi
case $backend in
sh) tname=differential ;;
make) tname=differential-make ;;
systemd) tname=differential-systemd ;;
*)
	echo "test-differential.sh: no such backend: $backend" >&2
	exit 2
	;;
esac
e2e_init $tname c2sh-test/busybox:latest redis:alpine \
	bharamicrosystems/python-flask-redis:latest
if [ "$backend" = systemd ]; then
	e2e_systemd c2sh-e2e-sysd-diff
	# the differences of every backend, then the units' own
	cat "$excused" "$files/EXCUSED.systemd" >"$tmp/EXCUSED" || exit 1
	excused=$tmp/EXCUSED
fi
if ! command -v python3 >/dev/null 2>&1; then
	fail "setup" "python3 is missing (sh tests/setup.sh test installs it)"
	e2e_done
fi
if ! docker compose version >/dev/null 2>&1; then
	fail "setup" "docker compose v2 is missing (sh tests/install-compose.sh)"
	e2e_done
fi
# one run at a time: the project names, fixed names and subnets are shared
if command -v flock >/dev/null 2>&1; then
	exec 9>"${TMPDIR:-/tmp}/c2sh-e2e-differential.lock"
	if ! flock -w 300 9; then
		fail "setup" "another run still holds the lock after 300 s"
		e2e_done
	fi
fi
e2e_project $pa
e2e_project $pb
# bind sources the engine creates go here (see volumes/compose.yaml)
C2SH_DIFF_TMP=$tmp/made
export C2SH_DIFF_TMP
mkdir -p "$C2SH_DIFF_TMP"
: >"$tmp/used"
docker network inspect $external >/dev/null 2>&1 ||
	docker network create $external >/dev/null

for f in "$files"/*/compose.yaml "$root"/samples/*/docker-compose.yaml; do
	case $f in
	"$files"/*) name=${f#"$files"/} name=${name%/compose.yaml} ;;
	*) name=${f%/docker-compose.yaml} name=sample-${name##*/} ;;
	esac
	if [ $# -gt 0 ]; then
		case " $* " in
		*" $name "*) ;;
		*) continue ;;
		esac
	fi
	run "$name" "$f"
done
docker network rm $external >/dev/null 2>&1
if [ $# -eq 0 ]; then
	unused | while IFS= read -r l; do
		echo "note: EXCUSED line $l excused nothing"
	done
fi
e2e_done
