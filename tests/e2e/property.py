#!/usr/bin/env python3
"""Values are data: the generator and the checker of test-property.sh.

  property.py gen SEED DIR
      writes into DIR, from SEED alone (the same seed, the same files):
        compose.yaml     services whose environment (keys and values),
                         labels (keys and values), command, entrypoint,
                         healthcheck test, hostname, domainname,
                         working_dir, user, dns_opt, log tag and mount
                         targets hold the generated values,
                         written so that Compose delivers them exactly
                         (YAML double-quoted scalars with escapes, $ as $$)
        expected.json    those values as Docker must hold them
        long.yaml, long.json   the same for values of 64 to 100 KiB
        arg, total, quotes, unitline (.yaml, .json)   what one argument,
                         one program's arguments, a make recipe line, a
                         unit file line cannot hold
        canary           the prefix of every file an injected command
                         would create (/tmp/c2sh-prop-pwned-SEED-N)
        refuse/NAME.yaml files c2sh must refuse at compile time, with
                         refuse/NAME.why: the text the error must hold
  property.py check EXPECTED.json INSPECT.json MODE
      compares `docker inspect` output (a JSON list, the containers of
      one project) with EXPECTED.json; MODE is compose (the API: every
      field exactly) or cli (what the docker CLI can express, the
      differences of tests/e2e/differential/EXCUSED: the entrypoint's
      words may be split between Entrypoint and Cmd, an exec-form health
      test may be a CMD-SHELL string that /bin/sh splits into exactly the
      test's words).  Prints one line per difference, exits 1 if any.

The values: every character 1..127 alone and all together, multi-byte
UTF-8 (2, 3 and 4 bytes; C1 controls, U+2028, U+FEFF), quotes of both
kinds, $ $$ ${X} $(...) and backticks, % %% %n %i (systemd specifiers),
backslashes at the end and before quotes and newlines, # ; & |, make's
$(shell ...) and $$C2SH_NL, leading and trailing spaces, empty strings,
newlines (\\n, \\r\\n, lone \\r), a fixed list of such values and random
mixtures of them.  Every injected command creates a file named by the
canary prefix: the test checks that none exists.  Invalid UTF-8 cannot be
tested: a YAML file must be UTF-8 (libyaml and Compose reject it) and a
YAML escape produces only characters, never a lone byte.
"""
import json
import os
import random
import subprocess
import sys

# ---- values -----------------------------------------------------------

def payloads(canary):
    """Injections for every medium; each one touches its own file."""
    n = [0]

    def c():
        n[0] += 1
        return "%s%d" % (canary, n[0])
    return [
        lambda: "$(touch %s)" % c(),
        lambda: "`touch %s`" % c(),
        lambda: "';touch %s;'" % c(),
        lambda: '";touch %s;"' % c(),
        lambda: "\ntouch %s\n" % c(),
        lambda: "\\\ntouch %s #" % c(),
        lambda: "$(shell touch %s)" % c(),          # make
        lambda: "${shell touch %s}" % c(),          # make
        lambda: "'\"$$C2SH_NL\"';touch %s;'" % c(),  # make's newline trick
        lambda: "; touch %s" % c(),
        lambda: "&& touch %s" % c(),
        lambda: "| touch %s" % c(),
        lambda: "& touch %s &" % c(),
        lambda: "\";touch %s #" % c(),
        lambda: "\\\";touch %s #" % c(),
        lambda: "%%n$(touch %s)" % c(),
        lambda: "\r\ntouch %s\r\n" % c(),
    ]


FIXED = [
    "", " ", "  leading", "trailing  ", "'", '"', "''", '""', "'\"'\"",
    "$", "$$", "$$$", "${X}", "$X", "$HOME", "${HOME:-x}", "$(id)", "`id`",
    "$1", "$@", "$*", "$?", "$#", "$0", "\\$X",
    "%", "%%", "%n", "%i", "%h", "%%n", "%%%", "%{n}", "$MAINPID",
    "${MAINPID}", "$$MAINPID",
    "\\", "\\\\", "end\\", "\\'", '\\"', "\\\n", "a\\\nb", "\\n", "\\x41",
    "\\t", "#", "# comment", "a #b", ";", "&", "|", "&&", "||", ">x", "<x",
    "(", ")", "{", "}", "*", "?", "[a]", "~", "!", "-", "--", "-x", "--x=y",
    "=", "a=b", "==", "\n", "\r\n", "\r", "a\nb", "a\r\nb", "a\rb", "\n\n",
    "\t", " \t ", "\x7f", "\x1b[31mred\x1b[0m", "\x01\x02\x03",
    "é", "€", "😀", "\u00a0", "\u0085", "\u2028", "\u2029", "\ufeff",
    "\u200b", "\U0010fffd", "日本語",
    "'\"$(x)`y`%n\\\n#;&|",
    "$(C2SH_NL)", "$$C2SH_NL", "'\"$$C2SH_NL\"'", "$(c2sh)",
    "${1+x}", "@", "true", "null", "~", "no", "0x10", "010", "1e3", "*a",
    "&a", "!!str", "%YAML", "---", "...", "- x", "? x", ": x", "[x]",
    "{x: y}",
]

ALL127 = "".join(chr(i) for i in range(1, 128))

ATOMS = [chr(i) for i in range(1, 128)] + [
    "é", "ß", "€", "中", "😀", "𝄞", "\u0085", "\u2028", "\u00a0",
    "\ufeff", "\U0001f600", "\u0080", "\u009f", "\ufffd",
    "$", "$$", "${X}", "$X", "%", "%%", "%n", "\\", "'", '"', "`", "\n",
    "\r\n", "\r", "\\\n", "\\'", '\\"', "#", ";", "&", "|", " ",
]


def randvalue(rng, pay, maxlen=40):
    """A random mixture of atoms and injections."""
    n = rng.randint(0, maxlen)
    out = []
    for _ in range(n):
        if rng.random() < 0.08:
            out.append(rng.choice(pay)())
        else:
            out.append(rng.choice(ATOMS))
    s = "".join(out)
    if rng.random() < 0.2:
        s = " " + s
    if rng.random() < 0.2:
        s = s + rng.choice([" ", "\\", "\n", "%", "$"])
    return s


def longvalue(rng, pay, size):
    """size bytes (UTF-8) of atoms and injections."""
    out = []
    total = 0
    while total < size:
        a = rng.choice(pay)() if rng.random() < 0.01 else rng.choice(ATOMS)
        b = len(a.encode())
        if total + b > size:
            a = "x" * (size - total)
            b = len(a)
        out.append(a)
        total += b
    return "".join(out)


# ---- YAML ---------------------------------------------------------------

# YAML's printable characters (YAML 1.1, as libyaml reads them); a line
# break character (NEL, LS, PS) inside a double-quoted scalar would be
# folded, so those are escaped as well
def printable(ch):
    o = ord(ch)
    if ch in "\u0085\u2028\u2029\ufeff":
        return False
    return (0x20 <= o <= 0x7e or 0xa0 <= o <= 0xd7ff or
            0xe000 <= o <= 0xfffd or 0x10000 <= o <= 0x10ffff)


def yq(s, rng, interp=True):
    """s as a YAML double-quoted scalar; with interp, $ as $$ so that
    Compose's interpolation gives s back"""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "$" and interp:
            out.append("$$")
        elif ch == "\n":
            out.append(rng.choice(["\\n", "\\x0a", "\\u000a"]))
        elif ch == "\t":
            out.append(rng.choice(["\\t", "\\x09", "\t"]))
        elif o == 0:
            out.append("\\0")
        elif o < 0x100 and not printable(ch):
            out.append("\\x%02x" % o)
        elif not printable(ch):
            out.append("\\u%04x" % o if o < 0x10000 else "\\U%08x" % o)
        elif o > 0x7f and rng.random() < 0.3:
            out.append("\\u%04x" % o if o < 0x10000 else "\\U%08x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# ---- the project --------------------------------------------------------

IMAGE = "c2sh-test/busybox:latest"


def keychars(rng, pay, forbid, n):
    s = randvalue(rng, pay, n)
    return "".join(ch for ch in s if ch not in forbid)


def service(rng, pay, name, values, opts):
    """One service holding values; returns (yaml lines, expected)."""
    y = ["  %s:" % name, "    image: %s" % IMAGE]
    exp = {"Env": [], "Labels": {}}
    # environment: a map (keys not interpolated) or a list (KEY=VALUE, one
    # scalar, interpolated)
    if values["env"]:
        y.append("    environment:")
    lst = opts.get("envlist")
    for i, v in enumerate(values["env"]):
        k = "c2shp%d_%s" % (i, keychars(rng, pay, "=\x00", 8) if
                            opts.get("oddkeys") else "V")
        if lst:
            # (c2sh refuses a space before the '=', which Compose 2.26.1
            # takes as part of the name: not what this test is about)
            k = k.rstrip(" \t")
            y.append("      - %s" % yq(k + "=" + v, rng))
        else:
            y.append("      %s: %s" % (yq(k, rng, False), yq(v, rng)))
        exp["Env"].append(k + "=" + v)
    if opts.get("unset"):
        # a variable without a value, unset when c2sh compiles and set
        # when the test deploys (to "leaked"): the process must not get
        # it (Compose sends the bare name, docker's --env NAME would take
        # the deploying shell's value); not in the expected environment
        if not values["env"]:
            y.append("    environment:")
        y.append("      c2shpunset_V:")
    if values["labels"]:
        y.append("    labels:")
    for i, v in enumerate(values["labels"]):
        # the docker CLI splits --label at the first '=' and refuses a
        # name with a space or a tab: c2sh refuses those (refuse/)
        k = "c2shp.%d.%s" % (i, keychars(rng, pay, "= \t\x00", 8) if
                             opts.get("oddkeys") else "l")
        y.append("      %s: %s" % (yq(k, rng, False), yq(v, rng)))
        exp["Labels"][k] = v
    for f in ("entrypoint", "command"):
        if f in values:
            y.append("    %s:" % f)
            for w in values[f]:
                y.append("      - %s" % yq(w, rng))
    exp["Entrypoint"] = values.get("entrypoint")
    exp["Cmd"] = values.get("command")
    if "health" in values:
        form, t = values["health"]
        y.append("    healthcheck:")
        if form == "CMD":
            y.append("      test:")
            for w in ["CMD"] + t:
                y.append("        - %s" % yq(w, rng))
            exp["Healthcheck"] = ["CMD"] + t
        elif form == "string":
            y.append("      test: %s" % yq(t, rng))
            exp["Healthcheck"] = ["CMD-SHELL", t]
        else:
            y.append("      test: [\"CMD-SHELL\", %s]" % yq(t, rng))
            exp["Healthcheck"] = ["CMD-SHELL", t]
    # mounts (docker's --mount, a CSV record): tmpfs and volume targets,
    # and a bind of a directory whose name is odd
    if values.get("mounts"):
        y.append("    volumes:")
        exp["Mounts"] = []
        for typ, src, dst in values["mounts"]:
            y.append("      - type: %s" % typ)
            if src:
                y.append("        source: %s" % yq(src, rng))
            y.append("        target: %s" % yq(dst, rng))
            exp["Mounts"].append([typ, dst])
    # dns_opt (--dns-option) and a log tag (--log-opt tag=): free text
    if "dns_opt" in values:
        y.append("    dns_opt:")
        for w in values["dns_opt"]:
            y.append("      - %s" % yq(w, rng))
        exp["DnsOptions"] = values["dns_opt"]
    if "log_tag" in values:
        y += ["    logging:", "      driver: json-file", "      options:",
              "        tag: %s" % yq(values["log_tag"], rng)]
        exp["LogTag"] = values["log_tag"]
    for f, key in (("hostname", "Hostname"), ("domainname", "Domainname"),
                   ("working_dir", "WorkingDir"), ("user", "User")):
        if f in values:
            y.append("    %s: %s" % (f, yq(values[f], rng)))
            exp[key] = values[f]
    return y, exp


# a directory of the project, bound into a container: its name holds
# what a --mount value (CSV) and each medium must quote
BINDDIR = "b,ind\"q' =x %n $X\n%%"


def target(s):
    """s as the rest of a path the engine keeps as it is (it cleans a
    working_dir, // or /./ would change), and for a mount target no CR LF
    (docker's --mount reads it as LF: c2sh refuses it, refuse/)"""
    return s.replace("/", "_").replace("\r\n", "\n")


def hostname(rng):
    """a legal host name: RFC 1123 labels"""
    labels = []
    for _ in range(rng.randint(1, 3)):
        n = rng.randint(1, 20)
        a = "abcdefghijklmnopqrstuvwxyz0123456789"
        s = "".join(rng.choice(a + "-") for _ in range(n))
        labels.append(rng.choice(a) + s.strip("-") + rng.choice(a))
    return ".".join(labels)[:63].strip(".-") or "h"


def gen(seed, d):
    rng = random.Random(seed)
    canary = "/tmp/c2sh-prop-pwned-%d-" % seed
    pay = payloads(canary)
    fixed = FIXED + [p() for p in pay] + [ALL127]
    chars = [chr(i) for i in range(1, 128)]
    services = []
    # a: the fixed values and every character alone, as environment
    # values (map form), labels, command words
    a = {"env": fixed + chars, "labels": fixed + chars,
         "entrypoint": ["/bin/echo"] + fixed,
         "command": chars + fixed,
         "health": ("CMD", fixed + chars),
         "hostname": hostname(rng),
         "domainname": rng.choice(fixed[1:]) + ALL127,
         "working_dir": "/" + ALL127,
         "user": ALL127,
         "mounts": [("tmpfs", None, "/" + ALL127),
                    ("volume", "data", "/v'\"$(x)`y`%n\\\n#;&|,=,\"\""),
                    ("bind", "./" + BINDDIR, "/bind,readonly")]}
    os.makedirs(os.path.join(d, BINDDIR), exist_ok=True)
    services.append(("a", a, {}))
    # b: random values, environment as a list, odd keys
    rv = lambda: randvalue(rng, pay)  # noqa: E731
    b = {"env": [rv() for _ in range(60)],
         "labels": [rv() for _ in range(60)],
         "entrypoint": [rv() or "x" for _ in range(1)] +
                       [rv() for _ in range(rng.randint(0, 20))],
         "command": [rv() for _ in range(rng.randint(0, 30))],
         "health": ("CMD-SHELL", rv()),
         "hostname": hostname(rng),
         "domainname": rv(),
         "working_dir": "/w" + target(rv()),
         "user": rv(),
         "mounts": [("tmpfs", None, "/m1" + target(rv())),
                    ("volume", "data", "/m2" + target(rv()))]}
    services.append(("b", b, {"envlist": True, "oddkeys": True}))
    # c: random values, map form, odd keys, the string form of a test
    c = {"env": [rv() for _ in range(60)],
         "labels": [rv() for _ in range(60)],
         "command": [rv() for _ in range(rng.randint(1, 30))],
         "health": ("string", rv()),
         # options where docker's own flags are expected
         "entrypoint": [rng.choice(["-", "--", "-x", "--help",
                                    "--entrypoint"])] +
                       [rv() for _ in range(rng.randint(0, 5))],
         "hostname": rng.choice(["--help", "-h", "--"]),
         "domainname": "--version",
         "dns_opt": [rv() for _ in range(rng.randint(1, 5))],
         "log_tag": rv(),
         "working_dir": "/w" + target(rv()),
         "user": rv()}
    services.append(("c", c, {"oddkeys": True, "unset": True}))

    def write(fname, svcs):
        lines = ["# generated by tests/e2e/property.py, seed %d" % seed,
                 "services:"]
        exp = {}
        for name, vals, opts in svcs:
            y, e = service(rng, pay, name, vals, opts)
            lines += y
            exp[name] = e
        if any(v.get("mounts") for _, v, _ in svcs):
            # the default network and the volume, with labels of their
            # own (docker network create / volume create --label)
            for top, key in (("networks", "default"), ("volumes", "data")):
                lines += ["%s:" % top, "  %s:" % key, "    labels:"]
                exp["_" + top] = {key: {}}
                for i in range(rng.randint(1, 20)):
                    k = "c2shp.%d.%s" % (i, keychars(rng, pay, "= \t\x00",
                                                     8))
                    v = randvalue(rng, pay)
                    lines.append("      %s: %s" % (yq(k, rng, False),
                                                   yq(v, rng)))
                    exp["_" + top][key][k] = v
        with open(os.path.join(d, fname + ".yaml"), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(d, fname + ".json"), "w",
                  encoding="utf-8") as f:
            json.dump(exp, f, ensure_ascii=True, indent=1)

    write("compose", services)
    # long values, 64 to 100 KiB, one field per service (so that each
    # stays within what one argument, a make recipe line and a unit file
    # line can hold: each backend must deliver it or refuse it); the
    # containers run /bin/true (under systemd they are started)
    size = lambda: rng.randint(64 * 1024, 100 * 1024)  # noqa: E731
    lv = lambda: longvalue(rng, pay, size())  # noqa: E731
    t = ["/bin/true"]
    write("long", [("l1", {"env": [lv()], "labels": [], "entrypoint": t},
                    {}),
                   ("l2", {"env": [], "labels": [lv()], "entrypoint": t}, {}),
                   ("l3", {"env": [], "labels": [], "entrypoint": t,
                           "command": [lv(), ""]}, {}),
                   ("l4", {"env": [], "labels": [], "entrypoint": t,
                           "health": ("CMD-SHELL", lv())}, {})])
    # what a medium cannot hold, each a file of its own; test-property.sh
    # knows which backend must refuse which:
    #   arg      one value longer than Linux passes in one argument
    #            (131071 bytes): every backend refuses
    #   quotes   100 KiB of ': 400 KiB in a make recipe (one argument of
    #            sh -c): make refuses, sh and systemd deliver
    #   unitline three values of 100 KiB of control characters, 1.2 MiB
    #            on one systemd Exec line (at most 1 MiB): systemd and
    #            make refuse, sh delivers
    k100 = 100 * 1024
    write("arg", [("x", {"env": [longvalue(rng, pay, 131072 - 8)],
                         "labels": [], "entrypoint": t}, {})])
    write("quotes", [("q", {"env": ["'" * k100], "labels": [],
                            "entrypoint": t}, {})])
    # total  20 values of 120,000 bytes: 2.4 MB for one docker create,
    #        more than Linux passes to a program (2 MiB): every backend
    write("total", [("t", {"env": [longvalue(rng, pay, 120000)
                                   for _ in range(20)],
                           "labels": [], "entrypoint": t}, {})])
    write("unitline", [("u", {"env": [], "labels": ["\x01" * k100,
                                                    "\x02" * k100,
                                                    "\x03" * k100],
                              "entrypoint": t}, {})])
    with open(os.path.join(d, "canary"), "w") as f:
        f.write(canary + "\n")
    refusals(rng, os.path.join(d, "refuse"))


def refusals(rng, d):
    """compose files c2sh must refuse, each with the text its error holds"""
    os.makedirs(d, exist_ok=True)
    nul = "\\0"
    cases = {
        "nul-env-value": ("    environment:\n      K: \"a%sb\"\n" % nul,
                          "NUL"),
        "nul-env-key": ("    environment:\n      \"K%s\": v\n" % nul, "NUL"),
        "nul-env-list": ("    environment:\n      - \"K=%s\"\n" % nul,
                         "NUL"),
        "nul-label-value": ("    labels:\n      k: \"%s\"\n" % nul, "NUL"),
        "nul-label-key": ("    labels:\n      \"k\\x00\": v\n", "NUL"),
        "nul-command": ("    command: [\"a\", \"b\\u0000\"]\n", "NUL"),
        "nul-entrypoint": ("    entrypoint: [\"\\U00000000\"]\n", "NUL"),
        "nul-health-cmd": ("    healthcheck:\n      test: [\"CMD\", "
                           "\"%s\"]\n" % nul, "NUL"),
        "nul-health-shell": ("    healthcheck:\n      test: \"x%s\"\n" %
                             nul, "NUL"),
        "nul-hostname": ("    hostname: \"h%s\"\n" % nul, "NUL"),
        "nul-user": ("    user: \"%s\"\n" % nul, "NUL"),
        "nul-working-dir": ("    working_dir: \"/%s\"\n" % nul, "NUL"),
        "label-key-equals": ("    labels:\n      \"a=b\": v\n", "'='"),
        "label-key-space": ("    labels:\n      \"a b\": v\n", "space"),
        "label-key-tab": ("    labels:\n      \"a\\tb\": v\n", "space"),
        "entrypoint-empty-first": ("    entrypoint: [\"\", \"x\"]\n",
                                   "empty"),
        "mount-crlf": ("    volumes:\n      - type: tmpfs\n        target: "
                       "\"/a\\r\\nb\"\n", "carriage return"),
    }
    for name, (body, why) in cases.items():
        with open(os.path.join(d, name + ".yaml"), "w") as f:
            f.write("services:\n  s:\n    image: %s\n%s" % (IMAGE, body))
        with open(os.path.join(d, name + ".why"), "w") as f:
            f.write(why + "\n")


# ---- the checker --------------------------------------------------------

def shwords(s):
    """the words /bin/sh makes of s (as a health test runs it), by sh"""
    r = subprocess.run(["sh", "-c", 'eval "set -- $1"; for a; do '
                        'printf "%s\\0" "$a"; done', "sh", s],
                       capture_output=True, env={"PATH": "/usr/bin:/bin"})
    if r.returncode != 0:
        return None
    return [w.decode("utf-8", "surrogateescape")
            for w in r.stdout.split(b"\0")[:-1]]


def short(v):
    s = json.dumps(v, ensure_ascii=True)
    return s if len(s) < 200 else s[:200] + "...(%d chars)" % len(s)


def check(expfile, inspfile, mode):
    with open(expfile, encoding="utf-8") as f:
        exp = json.load(f)
    with open(inspfile, encoding="utf-8") as f:
        insp = json.load(f)
    byservice = {}
    for c in insp:
        byservice[c["Config"]["Labels"].get(
            "com.docker.compose.service")] = c
    bad = []

    def diff(svc, what, want, got):
        if want == got:
            return
        # name the first item that differs
        if isinstance(want, list) and isinstance(got, list):
            for i, (w, g) in enumerate(zip(want, got)):
                if w != g:
                    what, want, got = "%s[%d]" % (what, i), w, g
                    break
            else:
                extra = [g for g in got if g not in want]
                missing = [w for w in want if w not in got]
                what = "%s (%d items, not %d)" % (what, len(got), len(want))
                want, got = missing[:1], extra[:1]
        elif isinstance(want, dict) and isinstance(got, dict):
            for k in sorted(set(want) | set(got)):
                if want.get(k) != got.get(k):
                    what, want, got = "%s[%s]" % (what, short(k)), \
                        want.get(k), got.get(k)
                    break
        bad.append("%s %s: want %s got %s" % (svc, what, short(want),
                                               short(got)))
    # networks and volumes: their labels, from INSPECT.json.net/.vol
    for top, kind in (("_networks", "network"), ("_volumes", "volume")):
        if top not in exp:
            continue
        with open(inspfile + "." + kind[:3], encoding="utf-8") as f:
            objs = {(o.get("Labels") or {}).get(
                "com.docker.compose." + kind): o for o in json.load(f)}
        for key, labels in exp[top].items():
            got = (objs.get(key) or {}).get("Labels") or {}
            diff("%s %s" % (kind, key), "labels", labels,
                 {k: v for k, v in got.items() if k.startswith("c2shp.")})
    for svc, e in sorted(exp.items()):
        if svc.startswith("_"):
            continue
        c = byservice.get(svc)
        if not c:
            bad.append("%s: no container" % svc)
            continue
        cfg = c["Config"]
        # (a bare name gives the process nothing: see "unset")
        env = sorted(x for x in cfg.get("Env") or [] if
                     x.startswith("c2shp") and "=" in x)
        diff(svc, "environment", sorted(e["Env"]), env)
        labels = {k: v for k, v in (cfg.get("Labels") or {}).items()
                  if k.startswith("c2shp.")}
        diff(svc, "labels", e["Labels"], labels)
        # (an empty list and null are alike to the engine, and
        # tests/e2e/differential/EXCUSED)
        ep, cmd = cfg.get("Entrypoint") or None, cfg.get("Cmd") or None
        if mode == "compose" or e["Entrypoint"] is None:
            diff(svc, "entrypoint", e["Entrypoint"] or None, ep)
            diff(svc, "command", e["Cmd"] or None, cmd)
        else:
            diff(svc, "entrypoint + command (argv)",
                 (e["Entrypoint"] or []) + (e["Cmd"] or []),
                 (ep or []) + (cmd or []))
            diff(svc, "entrypoint's first word", e["Entrypoint"][:1],
                 (ep or [])[:1])
        if "Healthcheck" in e:
            t = ((cfg.get("Healthcheck") or {}).get("Test")) or []
            want = e["Healthcheck"]
            if (mode == "cli" and want[0] == "CMD" and t[:1] ==
                    ["CMD-SHELL"] and len(t) == 2):
                diff(svc, "healthcheck test (as sh splits it)", want[1:],
                     shwords(t[1]))
            else:
                diff(svc, "healthcheck test", want, t)
        if "Mounts" in e:
            got = c["HostConfig"].get("Mounts") or []
            diff(svc, "mounts (type, target)", sorted(e["Mounts"]),
                 sorted([m.get("Type"), m.get("Target")] for m in got))
            for m in got:
                if m.get("Type") == "bind":
                    diff(svc, "bind source", os.path.join(
                        os.path.dirname(os.path.abspath(expfile)), BINDDIR),
                        m.get("Source"))
        if "DnsOptions" in e:
            diff(svc, "dns options", e["DnsOptions"],
                 c["HostConfig"].get("DnsOptions"))
        if "LogTag" in e:
            diff(svc, "log tag", e["LogTag"], ((c["HostConfig"].get(
                "LogConfig") or {}).get("Config") or {}).get("tag"))
        for k in ("Hostname", "Domainname", "WorkingDir", "User"):
            if k in e:
                diff(svc, k, e[k], cfg.get(k))
    for b in bad:
        print(b)
    return 1 if bad else 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        os.makedirs(sys.argv[3], exist_ok=True)
        gen(int(sys.argv[2]), sys.argv[3])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "check":
        return check(sys.argv[2], sys.argv[3], sys.argv[4])
    sys.stderr.write("usage: property.py gen SEED DIR | "
                     "check EXPECTED.json INSPECT.json compose|cli\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
