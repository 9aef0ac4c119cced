#!/usr/bin/env python3
"""The schema-derived bad-input tier.

    python3 tests/badschema.py gen SCHEMA DIR     write the cases to DIR
    python3 tests/badschema.py dict SCHEMA        every schema key, as a
                                                  libFuzzer dictionary
    python3 tests/badschema.py run SCHEMA         generate and run them

Walks the compose schema (compose-spec.json) and writes one compose file
per case, each a small valid project with one thing made wrong:

  KEY=VALUE   for every service key, every key of a long-syntax item (a
              port, a mount, a depends_on entry, a deploy block...) and
              every key of the top-level networks, volumes, secrets and
              configs: one of ODD below put in its place;
  OBJ-KEY     for every `required` list, the object without one of them;
  OBJ=base    the object as it is built, with nothing wrong, so that a
              case that fails shows the odd value, not its surroundings.

`run` runs every case through every target of c2sh (config, sh, make,
systemd, plan, json) and through `docker compose config` (2.26.1, when it
is installed; its answers are cached in build/badschema-ref by the case's
bytes).  A case fails when c2sh
  - ends other than 0 or 1 (a signal, a timeout, ASan's or UBSan's abort),
    or prints a sanitizer report;
  - exits 1 with something on stdout (or a file written by -t systemd),
    or without an error carrying FILE:LINE:COLUMN;
  - accepts in -t config what Compose rejects, or rejects what it accepts,
    unless tests/badschema/DIFFERENCES lists the case with a reason;
  - accepts in a deploy target what -t config rejects, or the deploy
    targets disagree among themselves.

Environment: C2SH (build/c2sh), JOBS (2), REF (build/badschema-ref),
BADSCHEMA_TIMEOUT (30 s), VERBOSE=1 (every case, not only failures),
TARGETS (the targets run, "config sh make plan json systemd"; config is
always run), REPLAY (a fuzz replay binary, fuzz/replay.c: every case also
goes through it, in one process, which runs every backend in memory -- the
sanitizer tiers run it instead of six c2sh processes per case).
"""

import concurrent.futures
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The odd values, as YAML text, by the name a case carries.
ODD = [
    ("null", "null"),
    ("emptymap", "{}"),
    ("emptylist", "[]"),
    ("emptystr", '""'),
    ("zero", "0"),
    ("minus1", "-1"),
    ("digits20", "12345678901234567890"),
    ("listofmap", "[{}]"),
    ("listofnull", "[null]"),
    ("mapofnull", "{x: null}"),
    ("colons", '"::"'),
]
NOTNUM = ("notnum", '"ten"')	# only where the schema allows a number

# Keys that cannot be left to the generic walk, by the path's tail:
# what a built object starts with (so that Compose's own rules, which the
# schema does not state, hold for the base), and the key a map of named
# objects gets.
BASE = {
    "service.ports[]": {"target": 80},
    "service.volumes[]": {"type": "volume", "source": "v1", "target": "/data"},
    "service.secrets[]": {"source": "s1"},
    "service.configs[]": {"source": "c1"},
    "service.devices[]": {"source": "/dev/null"},
    "service.depends_on{}": {"condition": "service_started"},
    "service.extends": {"service": "db"},
    "service.ulimits{}": {"soft": 1, "hard": 2},
    "service.develop.watch[]": {"path": ".", "action": "sync",
                                "target": "/w"},
    "service.gpus[]": {"capabilities": ["gpu"]},
    "service.deploy.resources.reservations.devices[]":
        {"capabilities": ["gpu"]},
    "service.blkio_config.weight_device[]": {"path": "/dev/null",
                                             "weight": 10},
    "service.env_file[]": {"path": "./env"},
    "service.post_start[]": {"command": "true"},
    "service.pre_stop[]": {"command": "true"},
    "service.pre_start[]": {"command": "true"},
}
for rate in ("read_bps", "read_iops", "write_bps", "write_iops"):
    BASE["service.blkio_config.device_%s[]" % rate] = {
        "path": "/dev/null", "rate": 1}
# What the object holding a nested one must say for it to apply: a mount's
# bind options belong to a bind mount.
AROUND = {
    "service.volumes[].bind": {"type": "bind", "source": ".",
                               "target": "/b"},
    "service.volumes[].volume": {"type": "volume", "source": "v1",
                                 "target": "/data"},
    "service.volumes[].tmpfs": {"type": "tmpfs", "target": "/t"},
    "service.volumes[].image": {"type": "image", "source": "busybox",
                                "target": "/i"},
}
MAPKEY = {
    "service.depends_on{}": "db",
    "service.networks{}": "n1",
    "service.ulimits{}": "nofile",
}

# The project every case starts from: two services, one of each top-level
# object, the files they name (written beside every case).
FILES = {"s1": "secret\n", "c1": "config\n", "env": "A=1\n"}


def project():
    return {
        "services": {
            "web": {"image": "busybox"},
            "db": {"image": "busybox"},
        },
        "networks": {"n1": {}},
        "volumes": {"v1": {}},
        "secrets": {"s1": {"file": "./s1"}},
        "configs": {"c1": {"file": "./c1"}},
    }


class Raw:
    """YAML text put in as it is (an odd value)."""

    def __init__(self, text):
        self.text = text


def yaml_scalar(v):
    if isinstance(v, Raw):
        return v.text
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v)


def yaml_lines(v, indent):
    pad = "  " * indent
    out = []
    if isinstance(v, dict) and v:
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append("%s%s:" % (pad, k))
                out.extend(yaml_lines(x, indent + 1))
            else:
                out.append("%s%s: %s" % (pad, k, flow(x)))
    elif isinstance(v, list) and v:
        for x in v:
            if isinstance(x, (dict, list)) and x:
                sub = yaml_lines(x, indent + 1)
                out.append("%s- %s" % (pad, sub[0].lstrip()))
                out.extend(sub[1:])
            else:
                out.append("%s- %s" % (pad, flow(x)))
    return out


def flow(v):
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    return yaml_scalar(v)


def to_yaml(doc):
    return "\n".join(yaml_lines(doc, 0)) + "\n"


class Schema:
    def __init__(self, path):
        with open(path) as f:
            self.root = json.load(f)
        self.defs = self.root.get("$defs") or self.root.get("definitions")

    def resolve(self, s):
        while isinstance(s, dict) and "$ref" in s:
            s = self.defs[s["$ref"].rsplit("/", 1)[1]]
        return s

    def alternatives(self, s):
        """The schema and its oneOf/anyOf alternatives, resolved."""
        s = self.resolve(s)
        alts = [s]
        for k in ("oneOf", "anyOf"):
            for a in s.get(k, []):
                alts.extend(self.alternatives(a))
        return alts

    def types(self, s):
        t = set()
        for a in self.alternatives(s):
            ty = a.get("type")
            if isinstance(ty, list):
                t.update(ty)
            elif ty:
                t.add(ty)
        return t

    def object_of(self, s):
        """The alternative of s that is an object with named keys."""
        for a in self.alternatives(s):
            if a.get("properties"):
                return a
        return None

    def items_of(self, s):
        """The object items of s when s may be a list of them."""
        for a in self.alternatives(s):
            if a.get("type") == "array" and "items" in a:
                o = self.object_of(a["items"])
                if o:
                    return o
        return None

    def named_of(self, s):
        """The object values of s when s may be a map of named objects."""
        for a in self.alternatives(s):
            for v in a.get("patternProperties", {}).values():
                o = self.object_of(v)
                if o and not all(k.startswith("x-") for k in o["properties"]):
                    return o
        return None


def objects(schema, obj, tail):
    """(tail, object schema, steps) for obj and every long-syntax object
    below it.  tail names the path in BASE's terms; steps are how to get
    there from obj: ("key", k), ("item",) or ("named", tail)."""
    yield tail, obj, []
    for k, ps in obj.get("properties", {}).items():
        sub = [("key", k)]
        o = schema.object_of(ps)
        if o:
            for t, so, st in objects(schema, o, tail + "." + k):
                yield t, so, sub + st
        o = schema.items_of(ps)
        if o:
            for t, so, st in objects(schema, o, tail + "." + k + "[]"):
                yield t, so, sub + [("item",)] + st
        o = schema.named_of(ps)
        if o:
            for t, so, st in objects(schema, o, tail + "." + k + "{}"):
                yield t, so, sub + [("named", tail + "." + k + "{}")] + st


def build(schema, o, tail):
    """A valid instance of object schema o, at tail."""
    inst = dict(BASE.get(tail, {}))
    for k in o.get("required", []):
        if k not in inst:
            inst[k] = minimal(schema, o["properties"].get(k, {}))
    return inst


def minimal(schema, s):
    t = schema.types(s)
    for a in schema.alternatives(s):
        if a.get("enum"):
            return a["enum"][0]
    if "string" in t:
        return "x"
    if "integer" in t or "number" in t:
        return 1
    if "boolean" in t:
        return True
    if "array" in t:
        return []
    return {}


def cases(schema):
    """(name, compose text) of every case."""
    defs = schema.defs
    roots = [
        (("services", "web"), defs["service"], "service"),
        (("networks", "n1"), defs["network"], "network"),
        (("volumes", "v1"), defs["volume"], "volume"),
        (("secrets", "s1"), defs["secret"], "secret"),
        (("configs", "c1"), defs["config"], "config"),
    ]
    seen = set()
    for top, root, rtail in roots:
        root = schema.object_of(root) or root
        for tail, obj, steps in objects(schema, root, rtail):
            prefix = ".".join(top) + "".join(
                "." + (s[1] if s[0] == "key" else "0" if s[0] == "item"
                       else MAPKEY.get(s[1], "x")) for s in steps)
            tails = tail_chain(rtail, steps)

            def make(mutate):
                doc = project()
                parent, key, o = doc[top[0]], top[1], root
                parent[key] = dict(parent[key] or {}, **build(schema, o, rtail))
                for i, st in enumerate(steps):
                    node = parent[key]
                    if st[0] == "key":
                        ps = o["properties"][st[1]]
                        if i + 1 < len(steps) and steps[i + 1][0] != "key":
                            o = ps	# a list or a map: the next step
                            node[st[1]] = None
                        else:
                            o = schema.object_of(ps)
                            if tails[i + 1] in AROUND:
                                node.pop("source", None)
                                node.update(AROUND[tails[i + 1]])
                            node[st[1]] = build(schema, o, tails[i + 1])
                        parent, key = node, st[1]
                    elif st[0] == "item":
                        o = schema.items_of(o)
                        parent[key] = [build(schema, o, tails[i + 1])]
                        parent, key = parent[key], 0
                    else:
                        o = schema.named_of(o)
                        k = MAPKEY.get(st[1], "x")
                        parent[key] = {k: build(schema, o, tails[i + 1])}
                        parent, key = parent[key], k
                mutate(parent[key])
                return to_yaml(doc)

            def emit(name, text):
                if name not in seen:
                    seen.add(name)
                    yield name, text

            yield from emit(prefix + "=base", make(lambda t: None))
            for k, ps in obj.get("properties", {}).items():
                vals = list(ODD)
                t = schema.types(ps)
                if "integer" in t or "number" in t:
                    vals.append(NOTNUM)
                for vname, vtext in vals:
                    def set_odd(target, k=k, vtext=vtext):
                        target[k] = Raw(vtext)
                    yield from emit("%s.%s=%s" % (prefix, k, vname),
                                    make(set_odd))
            for k in obj.get("required", []):
                def drop(target, k=k):
                    target.pop(k, None)
                yield from emit("%s-%s" % (prefix, k), make(drop))


def tail_chain(rtail, steps):
    out = [rtail]
    t = rtail
    for st in steps:
        if st[0] == "key":
            t += "." + st[1]
        elif st[0] == "item":
            t += "[]"
        else:
            t += "{}"
        out.append(t)
    return out


def write_cases(schema, outdir):
    os.makedirs(outdir, exist_ok=True)
    for n, text in FILES.items():
        with open(os.path.join(outdir, n), "w") as f:
            f.write(text)
    names = []
    for name, text in cases(schema):
        with open(os.path.join(outdir, name + ".yaml"), "w") as f:
            f.write(text)
        names.append(name)
    return names


def schema_keys(schema):
    keys = set()

    def walk(s, depth=0):
        if depth > 30:
            return
        if isinstance(s, dict):
            for k, v in s.items():
                if k == "properties" and isinstance(v, dict):
                    keys.update(v.keys())
                if k == "$ref" and isinstance(v, str):
                    continue
                walk(v, depth + 1)
        elif isinstance(s, list):
            for v in s:
                walk(v, depth + 1)

    walk(schema.root)
    return sorted(keys)


# ---- running ----------------------------------------------------------------

POSITIONED = re.compile(r"^[^\n]*:[0-9]+:[0-9]+: error: ", re.M)
SANITIZER = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
    r"AddressSanitizer:DEADLYSIGNAL|SUMMARY: UndefinedBehaviorSanitizer")
TARGETS = ["config", "sh", "make", "plan", "json", "systemd"]


def compose_plugin():
    for d in (os.path.expanduser("~/.docker/cli-plugins"),
              "/usr/local/lib/docker/cli-plugins",
              "/usr/libexec/docker/cli-plugins",
              "/usr/lib/docker/cli-plugins"):
        p = os.path.join(d, "docker-compose")
        if os.access(p, os.X_OK):
            try:
                v = subprocess.run([p, "version"], capture_output=True,
                                   text=True, timeout=30).stdout
            except (OSError, subprocess.SubprocessError):
                continue
            if "2.26.1" in v:
                return p
    return None


def clean_env(home):
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home, "LC_ALL": "C"}


def compose_verdict(plugin, ref, casedir, name, text, env, timeout):
    key = hashlib.sha256(("2.26.1\0" + text).encode()).hexdigest()
    path = os.path.join(ref, key)
    if os.path.exists(path):
        with open(path) as f:
            rc, _, err = f.read().partition("\n")
        return int(rc), err
    p = subprocess.run([plugin, "-f", name + ".yaml", "-p", "badschema",
                        "config", "-q"], cwd=casedir, env=env,
                       capture_output=True, text=True, timeout=timeout)
    err = p.stderr.strip().replace("\n", " ")
    tmp = path + ".%d" % os.getpid()
    with open(tmp, "w") as f:
        f.write("%d\n%s" % (p.returncode, err))
    os.replace(tmp, path)
    return p.returncode, err


def run_c2sh(c2sh, casedir, name, target, env, timeout):
    """(problem or None, verdict 'accept'/'reject', first error line)"""
    args = [c2sh, "-f", name + ".yaml", "-p", "badschema", "-t", target]
    outdir = None
    if target == "systemd":
        outdir = tempfile.mkdtemp(prefix="units.")
        args += ["-o", outdir]
    try:
        p = subprocess.run(args, cwd=casedir, env=env, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return "no answer within %d s" % timeout, None, ""
    finally:
        written = os.listdir(outdir) if outdir else []
        if outdir:
            shutil.rmtree(outdir, ignore_errors=True)
    err = p.stderr.decode(errors="replace")
    first = err.split("\n", 1)[0]
    if SANITIZER.search(err):
        return "sanitizer report: " + SANITIZER.search(err).group(0), \
            None, first
    if p.returncode < 0:
        return "killed by signal %d" % -p.returncode, None, first
    if p.returncode not in (0, 1):
        return "exit %d" % p.returncode, None, first
    if p.returncode == 0:
        return None, "accept", first
    if p.stdout:
        return "exit 1 with %d bytes on stdout" % len(p.stdout), None, first
    if written:
        return "exit 1 with %d files written" % len(written), None, first
    if not POSITIONED.search(err):
        return "exit 1 without FILE:LINE:COLUMN: error:", None, first
    return None, "reject", first


def load_differences(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            pat, sep, why = line.partition(" -- ")
            if not sep or not why.strip():
                sys.exit("%s:%d: a difference needs ' -- reason'" % (path, n))
            out.append([pat.strip(), why.strip(), 0])
    return out


def run(schema_path):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    c2sh = os.path.abspath(os.environ.get("C2SH", "build/c2sh"))
    jobs = int(os.environ.get("JOBS", "2"))
    timeout = int(os.environ.get("BADSCHEMA_TIMEOUT", "30"))
    ref = os.path.abspath(os.environ.get("REF", "build/badschema-ref"))
    verbose = os.environ.get("VERBOSE") == "1"
    targets = ["config"] + [t for t in os.environ.get(
        "TARGETS", " ".join(TARGETS)).split() if t != "config"]
    for t in targets:
        if t not in TARGETS:
            sys.exit("badschema: unknown target '%s'" % t)
    replay = os.environ.get("REPLAY")
    diffs = load_differences(os.path.join(repo, "tests", "badschema",
                                          "DIFFERENCES"))
    schema = Schema(schema_path)
    tmp = tempfile.mkdtemp(prefix="badschema.")
    try:
        casedir = os.path.join(tmp, "cases")
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        names = write_cases(schema, casedir)
        texts = {}
        for n in names:
            with open(os.path.join(casedir, n + ".yaml")) as f:
                texts[n] = f.read()
        env = clean_env(home)
        plugin = compose_plugin()
        if plugin:
            os.makedirs(ref, exist_ok=True)
        else:
            print("*** badschema: docker compose 2.26.1 is not installed: "
                  "Compose's verdicts are NOT compared "
                  "(sh tests/install-compose.sh) ***")

        def one(name):
            problems = []
            verdicts = {}
            firsts = {}
            for t in targets:
                prob, v, first = run_c2sh(c2sh, casedir, name, t, env,
                                          timeout)
                if prob:
                    problems.append("-t %s: %s" % (t, prob))
                verdicts[t] = v
                firsts[t] = first
            cv = cerr = None
            if plugin:
                rc, cerr = compose_verdict(plugin, ref, casedir, name,
                                           texts[name], env, timeout)
                cv = "accept" if rc == 0 else "reject"
            return name, problems, verdicts, firsts, cv, cerr

        counts = {"cases": 0, "accept": 0, "reject": 0, "excused": 0,
                  "failed": 0}
        failed = []
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for name, problems, vs, firsts, cv, cerr in pool.map(one, names):
                counts["cases"] += 1
                mine = vs["config"]
                deploy = {t: vs[t] for t in targets if t != "config"}
                if mine == "reject":
                    bad = [t for t, v in deploy.items() if v == "accept"]
                    if bad:
                        problems.append(
                            "-t config rejects, %s accept%s" %
                            (", ".join(bad), "s" if len(bad) == 1 else ""))
                elif mine == "accept":
                    dv = set(v for v in deploy.values() if v)
                    if len(dv) > 1:
                        problems.append("the deploy targets disagree: " +
                                        ", ".join("%s %ss" % (t, v) for t, v
                                                  in deploy.items()))
                excused = None
                if cv and mine and cv != mine:
                    for d in diffs:
                        if fnmatch.fnmatchcase(name, d[0]):
                            excused = d
                            d[2] += 1
                            break
                    if not excused:
                        problems.append(
                            "Compose %ss (%s), c2sh -t config %ss (%s)" %
                            (cv, (cerr or "exit 0")[:300], mine,
                             firsts["config"] or "exit 0"))
                if problems:
                    counts["failed"] += 1
                    failed.append(name)
                    print("[FAIL] %s" % name)
                    for p in problems:
                        print("    " + p)
                    for line in texts[name].splitlines():
                        print("    | " + line)
                    continue
                if excused:
                    counts["excused"] += 1
                    if verbose:
                        print("[EXCUSED] %s: %s" % (name, excused[1]))
                    continue
                counts[mine] += 1
                if verbose:
                    print("[PASS] %s: %s %s" % (name, mine,
                                                firsts["config"]))
        if replay:
            files = [os.path.join(casedir, n + ".yaml") for n in names]
            for i in range(0, len(files), 500):
                p = subprocess.run([replay] + files[i:i + 500],
                                   capture_output=True, text=True)
                if p.returncode != 0 or SANITIZER.search(p.stderr):
                    counts["failed"] += 1
                    failed.extend(os.path.basename(f)[:-5]
                                  for f in files[i:i + 500])
                    print("[FAIL] %s on cases %d-%d: exit %d" %
                          (replay, i, i + len(files[i:i + 500]) - 1,
                           p.returncode))
                    print(p.stderr[-3000:])
                    break
            else:
                print("badschema: every case through %s: no report" %
                      replay)
        for d in diffs:
            if d[2] == 0:
                print("note: DIFFERENCES: '%s' matched no differing case "
                      "(stale?)" % d[0])
        print("badschema: %(cases)d cases: %(accept)d accepted and "
              "%(reject)d rejected as Compose does, %(excused)d listed "
              "differences, %(failed)d failed" % counts)
        if failed:
            keep = os.path.join("build", "badschema-failed")
            os.makedirs(keep, exist_ok=True)
            for n in FILES:
                shutil.copy(os.path.join(casedir, n), keep)
            for n in failed:
                shutil.copy(os.path.join(casedir, n + ".yaml"), keep)
            print("badschema: the failed cases are in %s/" % keep)
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv):
    if len(argv) >= 3 and argv[1] == "gen" and len(argv) == 4:
        write_cases(Schema(argv[2]), argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "dict":
        for k in schema_keys(Schema(argv[2])):
            print('"%s:"' % k)
        return 0
    if len(argv) == 3 and argv[1] == "run":
        return run(argv[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
