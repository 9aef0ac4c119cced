#!/usr/bin/env python3
"""The two interpolation evaluators agree.

    python3 tests/interp-equiv.py ORACLE

ORACLE is build/interp-eval (tests/interp-eval.c: the compiler's
evaluator, grammar/interp.*); the other is backends/interp.awk, the
evaluator a deployment runs, under dash with the system's awk and under
busybox sh with busybox awk.  Every template of the interpolation unit
tests (tests/unit/test_interp.c, read from its table) in each of its
environments, and COUNT (500) random templates from a seed (printed;
SEED=n repeats a run), must give the same exit status, the same value, and
for a failed ${NAME:?msg} the same name and message.  For a syntax error
only the status is compared: the compiler also names the nested template
Compose would report, which a deployment does not need.
"""

import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
AWK = os.path.join(os.path.dirname(HERE), "backends", "interp.awk")

# the environments of the unit table
ENVS = {
    "default": {"FOO": "first", "BAR": "", "JSON": '{"json":2}', "N": "5"},
    "empty": {},
    "user": {"USER": "jenny", "FOO": "bar"},
    "a": {"A": "set"},
}

ROW = re.compile(r'\b(?:OK|OKE|SYN|REQ|REQE)\(\s*\d+,\s*(?:env_\w+,\s*)?'
                 r'("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)')
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def table_templates():
    with open(os.path.join(HERE, "unit", "test_interp.c")) as f:
        src = f.read()
    out = []
    for m in ROW.finditer(src):
        s = "".join(LITERAL.findall(m.group(1)))
        out.append(s.encode().decode("unicode_escape"))
    return out


PIECES = ["$", "$$", "{", "}", "${", ":-", "-", ":?", "?", ":+", "+",
          "FOO", "BAR", "N", "NOPE", "A", "x", " ", "\n", "_", "${FOO",
          "${NOPE", "${BAR", "}}"]


def random_templates(rng, n):
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))
            for _ in range(n)]


def evaluate(argv, template, env):
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    full.update(env)
    p = subprocess.run(argv, input=(template + ".").encode(), env=full,
                       capture_output=True, timeout=30)
    err = [l for l in p.stderr.decode(errors="replace").splitlines()
           if l and not l.startswith("warning: ")]
    return p.returncode, p.stdout, err[0] if err else ""


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    oracle = os.path.abspath(argv[1])
    evaluators = [("dash+awk", ["dash", "-c", 'exec awk -f "$0"', AWK])]
    if shutil.which("busybox"):
        evaluators.append(("busybox", ["busybox", "sh", "-c",
                                       'exec busybox awk -f "$0"', AWK]))
    else:
        print("*** interp-equiv: busybox is not installed: only dash and "
              "the system's awk are checked ***")
    seed = int(os.environ.get("SEED", random.randrange(1 << 30)))
    count = int(os.environ.get("COUNT", "500"))
    print("interp-equiv: seed %d (SEED=%d repeats this run)" % (seed, seed))
    rng = random.Random(seed)
    cases = [(t, e) for t in table_templates() for e in ENVS]
    cases += [(t, e) for t in random_templates(rng, count)
              for e in ("default", "empty")]
    failed = 0
    for template, envname in cases:
        want = evaluate([oracle], template, ENVS[envname])
        if want[0] == 5:
            continue	# past the compiler's size bound: not comparable
        if want[0] not in (0, 3, 4):
            failed += 1	# a crash or a sanitizer report in the oracle
            print("[FAIL] %s, env %s: %r: the compiler's evaluator exits "
                  "%d: %s" % (oracle, envname, template, want[0], want[2]))
            continue
        for name, cmd in evaluators:
            got = evaluate(cmd, template, ENVS[envname])
            same = got[0] == want[0] and (
                want[0] == 4 or (got[1] == want[1] and got[2] == want[2]))
            if not same:
                failed += 1
                print("[FAIL] %s, env %s: %r" % (name, envname, template))
                print("    compiler: exit %d, %r %r" % want)
                print("    %s: exit %d, %r %r" % ((name,) + got))
    print("interp-equiv: %d cases, %d evaluators against the compiler's: "
          "%d differ" % (len(cases), len(evaluators), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
