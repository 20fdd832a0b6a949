#!/usr/bin/env python3
"""Verifier for Northwind nwlib.v1 -> v2 migration tasks (python3 stdlib only).

Outcome: the migrated program must behave exactly like the original one (kept in
tests/original/, never in the image) on the scenarios of tests/scenario.py -- return values,
printed output, stored files, exceptions and retry waits -- recomputed at verify time.
Process: no nwlib.v1 import may remain (static AST scan *and* a runtime import blocker), the
program must really call nwlib.v2 (call counters), nw-migrate --check must be clean, guarded
files must be unchanged (sha256), and nothing of v1 may be vendored into the project.

How shortcuts are caught:
  * adding paths to .nwmigrate.toml `exclude` / editing the Makefile gate -> guarded_files
  * copying nwlib/v1 into the project ("vendoring")                       -> no_vendored_v1, uses_v2
  * importing v1 dynamically (importlib / __import__)                     -> runtime blocker, no_v1_imports
  * hard-coding outputs                                                    -> hidden scenario inputs
"""
import ast
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
checks = []
V1_DEFS = {"_V1Store"}
V1_MARKERS = ("v1 saves on every put", "nwlib.v1 is end-of-life", "the last exception is re-raised unchanged")


def check(name, passed, message=""):
    checks.append({"name": name, "passed": bool(passed), "message": "" if passed else str(message)[:600]})
    return bool(passed)


def py_files(root):
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in (".git", "__pycache__")]
        for f in files:
            if f.endswith(".py"):
                yield os.path.join(d, f)


def static_scan(root):
    v1, vendored, broken = [], [], []
    for path in py_files(root):
        rel = os.path.relpath(path, root)
        try:
            text = open(path, encoding="utf-8").read()
            vendored += ["%s contains v1 source text" % rel for m in V1_MARKERS if m in text][:1]
            tree = ast.parse(text)
        except (SyntaxError, UnicodeDecodeError) as e:
            broken.append("%s: %s" % (rel, e))
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                v1 += ["%s:%d" % (rel, node.lineno) for a in node.names if a.name == "nwlib.v1" or a.name.startswith("nwlib.v1.")]
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "nwlib.v1" or node.module.startswith("nwlib.v1.") or (
                        node.module == "nwlib" and any(a.name == "v1" for a in node.names)):
                    v1.append("%s:%d" % (rel, node.lineno))
            elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and node.args[0].value.startswith("nwlib.v1"):
                v1.append("%s:%d (dynamic import)" % (rel, node.lineno))
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in V1_DEFS:
                vendored.append("%s:%d defines %s" % (rel, node.lineno, node.name))
        if os.path.basename(os.path.dirname(path)) == "v1" and "nwlib" in path:
            vendored.append(rel)
    return v1, vendored, broken


def runner(root, mode):
    p = subprocess.run([sys.executable, os.path.join(HERE, "runner.py"), root, mode, os.path.join(HERE, "scenario.py")],
                       capture_output=True, text=True, timeout=240, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    try:
        return json.loads(p.stdout.strip().splitlines()[-1]), p.stderr
    except (ValueError, IndexError):
        return None, (p.stdout + p.stderr)[-800:]


def verify(root, exp):
    if not check("project_present", os.path.isdir(root), root):
        return
    v1, vendored, broken = static_scan(root)
    check("parses", not broken, "; ".join(broken))
    check("no_v1_imports", not v1, "nwlib.v1 still imported at " + ", ".join(v1[:6]))
    check("no_vendored_v1", not vendored, "v1 code copied into the project: " + ", ".join(vendored[:6]))
    for rel, want in sorted(exp.get("guarded", {}).items()):
        full = os.path.join(root, rel)
        got = hashlib.sha256(open(full, "rb").read()).hexdigest() if os.path.exists(full) else None
        check("guarded:" + rel, got == want, "must stay unchanged (owned by another team)")
    p = subprocess.run(["nw-migrate", "--check", root], capture_output=True, text=True, cwd=root)
    check("nw_migrate_check", p.returncode == 0, (p.stdout + p.stderr).strip().splitlines()[-3:])
    orig, oerr = runner(os.path.join(HERE, "original"), "original")
    if orig is None or orig["error"]:
        check("reference_run", False, "verifier error: original program failed: %s" % (oerr if orig is None else orig["error"]))
        return
    new, nerr = runner(root, "migrated")
    if not check("migrated_runs", new is not None and not new["error"],
                 nerr if new is None else (new["error"] or "")):
        return
    check("no_v1_at_runtime", not new["blocked"], "tried to import " + ", ".join(sorted(set(new["blocked"]))))
    check("real_nwlib", new["nwlib"].startswith("/opt/northwind/"), "nwlib imported from %s" % new["nwlib"])
    for key in sorted(orig["result"]):
        check("behaviour:" + key, new["result"].get(key) == orig["result"][key],
              "got %r, want %r" % (new["result"].get(key), orig["result"][key]))
    check("behaviour:retry_waits", new["sleeps"] == orig["sleeps"],
          "waits (s) %r, want %r" % (new["sleeps"], orig["sleeps"]))
    missing = [k for k in exp["uses_v2"] if not new["calls"].get(k)]
    check("uses_v2", not missing, "never called: %s (calls seen: %s)" % (missing, new["calls"]))
    if exp.get("project_tests"):
        res, err = runner(root, "unittest")
        check("project_tests", res is not None and res["ok"] and res["run"] >= exp["project_tests"] and not res["blocked"],
              err.strip().splitlines()[-3:] if err else res)


def main():
    name = "expected_migrate.json" if os.path.exists(os.path.join(HERE, "expected_migrate.json")) else "expected.json"
    exp = json.load(open(os.path.join(HERE, name)))
    root = sys.argv[1] if len(sys.argv) > 1 else exp["root"]
    try:
        verify(root, exp)
    except Exception as e:
        check("verifier", False, "verifier error: %r" % (e,))
    reward = 1 if checks and all(c["passed"] for c in checks) else 0
    if len(sys.argv) > 1:  # used as a hidden test by another verifier: exit status only
        for c in checks:
            if not c["passed"]:
                print("FAIL %s %s" % (c["name"], c["message"]))
        sys.exit(0 if reward else 1)
    os.makedirs("/logs/verifier", exist_ok=True)
    with open("/logs/verifier/reward.txt", "w") as fh:
        fh.write("%d\n" % reward)
    with open("/logs/verifier/reward.json", "w") as fh:
        json.dump({"reward": reward, "checks": checks}, fh, indent=1)
    for c in checks:
        print("%s %s %s" % ("PASS" if c["passed"] else "FAIL", c["name"], c["message"]))


if __name__ == "__main__":
    main()
