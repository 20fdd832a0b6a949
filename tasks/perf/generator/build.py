#!/usr/bin/env python3
"""Assemble every perf task from generator/src/<task-id>/ (baseline program, oracle, gen.py):
environment/ (Dockerfile, app/ with the slow program and a visible sample input), tests/ (pristine
baseline copy, gen.py, verify_perf.py, task.json with secret seeds and expected output hashes),
solution/solve.sh, task.toml. Expected hashes come from running the pristine baseline inside the
environment image (docker), so they are exactly what the verifier will see.
Usage: python3 build.py [--image skilldelta-env/perf] [task-id ...]"""
import hashlib, json, os, shutil, subprocess, sys, tempfile

G = os.path.dirname(os.path.abspath(__file__))
FAM = os.path.dirname(G)
ROOT = os.path.dirname(os.path.dirname(FAM))
sys.path.insert(0, G)
from tasks_def import TASKS  # noqa: E402

image = "skilldelta-env/perf"
args = sys.argv[1:]
if args[:1] == ["--image"]:
    image, args = args[1], args[2:]
only = set(args)
PROTECTED = {"/usr/local/bin/nwbench": "bin/nwbench", "/usr/local/bin/flx": "bin/flx"}
protected = {k: hashlib.sha256(open(os.path.join(ROOT, "environments/perf", v), "rb").read()).hexdigest()
             for k, v in PROTECTED.items()}

TEST_SH = """#!/bin/bash
# Verifier entry point (root, after the agent stopped). python3 stdlib only, no network.
mkdir -p /logs/verifier
python3 /tests/verify_perf.py
if [ ! -s /logs/verifier/reward.txt ]; then
  echo 0 > /logs/verifier/reward.txt
  echo '{"reward": 0, "checks": [{"name": "verifier", "passed": false, "message": "verify_perf.py crashed"}]}' > /logs/verifier/reward.json
fi
exit 0
"""

for tid, t in TASKS.items():
    if only and tid not in only:
        continue
    src = os.path.join(G, "src", tid)
    d = os.path.join(FAM, tid)
    for sub in ("environment", "tests", "solution"):
        shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
        os.makedirs(os.path.join(d, sub))
    app = os.path.join(d, "environment", "app")
    os.makedirs(os.path.join(app, "bench"))
    base = os.path.join(d, "tests", "baseline")
    os.makedirs(base)
    for f in t["files"]:
        shutil.copy(os.path.join(src, f), os.path.join(app, f))
        shutil.copy(os.path.join(src, f), os.path.join(base, f))
    sys.path.insert(0, src)
    import importlib
    gen = importlib.import_module("gen")
    open(os.path.join(app, "bench", "sample.in"), "wb").write(gen.make(t["sample_seed"], t.get("sample_scale", 1.0)))
    sys.path.remove(src)
    del sys.modules["gen"]
    open(os.path.join(app, "bench", "README"), "w").write(
        "Benchmark input of the %s job, representative of production size and shape.\n"
        "Measure with the Performance Playbook's protocol (nwbench, see man nwbench).\n" % t["prog"])
    shutil.copy(os.path.join(src, "gen.py"), os.path.join(d, "tests", "gen.py"))
    shutil.copy(os.path.join(G, "verify_perf.py"), os.path.join(d, "tests", "verify_perf.py"))
    open(os.path.join(d, "tests", "test.sh"), "w").write(TEST_SH)
    # hidden inputs: edge (small), warm-up (0.3 scale), 5 timing inputs
    s0 = t["seed"]
    inputs = {"edge1": [s0 + 1, 0.002], "edge2": [s0 + 2, 0.05], "warm": [s0 + 3, 0.3]}
    for i in range(5):
        inputs["t%d" % (i + 1)] = [s0 + 10 + i, 1.0]
    cfg = {"cmd": t["cmd"], "build": t.get("build", False), "inputs": inputs, "edge": ["edge1", "edge2"],
           "warmup": "warm", "timing": ["t1", "t2", "t3", "t4", "t5"], "threshold": 1.5, "timeout": 60,
           "protected": protected, "expected": {}}
    # expected outputs: run the pristine baseline in the environment image
    with tempfile.TemporaryDirectory() as w:
        shutil.copytree(base, os.path.join(w, "app"))
        shutil.copy(os.path.join(src, "gen.py"), w)
        script = ["set -e", "cd /w"]
        if cfg["build"]:
            script.append("make -s -C /w/app")
        for name, (seed, scale) in inputs.items():
            argv = " ".join(a.replace("{app}", "/w/app").replace("{in}", "/w/%s.in" % name) for a in cfg["cmd"])
            script.append("python3 -c 'import gen,sys; sys.stdout.buffer.write(gen.make(%d, %r))' > /w/%s.in" % (seed, scale, name))
            script.append("%s > /w/%s.out" % (argv, name))
        open(os.path.join(w, "run.sh"), "w").write("\n".join(script) + "\n")
        subprocess.run(["docker", "run", "--rm", "--network", "none", "-v", w + ":/w", image, "bash", "/w/run.sh"], check=True)
        for name in inputs:
            data = open(os.path.join(w, name + ".out"), "rb").read()
            cfg["expected"][name] = hashlib.sha256(data).hexdigest()
            print(tid, name, len(data), "bytes")
        subprocess.run(["docker", "run", "--rm", "--network", "none", "-v", w + ":/w", image, "rm", "-rf", "/w/app", "/w/run.sh"] +
                       ["/w/%s.in" % n for n in inputs] + ["/w/%s.out" % n for n in inputs], check=True)
    json.dump(cfg, open(os.path.join(d, "tests", "task.json"), "w"), indent=1)
    # oracle
    sol = ["#!/bin/bash", "# Oracle for %s: %s" % (tid, t["oracle_note"]), "set -euo pipefail"]
    oracle_src = open(os.path.join(G, "src", t["oracle"][0])).read()
    sol += ["cat > /app/%s <<'NW_ORACLE_EOF'" % t["oracle"][1], oracle_src.rstrip("\n"), "NW_ORACLE_EOF"]
    if cfg["build"]:
        sol += ["make -s -C /app"]
    sol += ["cd /app && nwbench compare --perf2 -n 3 --input /app/bench/sample.in -b '%s' -c '%s' || true" % (t["bench_base"], t["bench_cand"])] if t.get("bench_base") else []
    open(os.path.join(d, "solution", "solve.sh"), "w").write("\n".join(sol) + "\n")
    # task.toml, Dockerfile, instruction
    toml = ['version = "1.0"', "", "[metadata]", 'author_name = "SkillDelta perf family"',
            'split = "%s"' % t["split"], 'role = "%s"' % t["role"], 'difficulty = "%s"' % t["difficulty"],
            'category = "software-engineering"', "tags = [%s]" % ", ".join('"%s"' % x for x in t["tags"]),
            "pass_threshold = 1.5"]
    if t.get("extra_skills"):
        toml.append("extra_skills = [%s]" % ", ".join('"%s"' % e for e in t["extra_skills"]))
    toml += ["", "[agent]", "timeout_sec = 1200.0", "", "[verifier]", "timeout_sec = 240.0", "",
             "[environment]", "build_timeout_sec = 300.0", "cpus = 1", "memory_mb = 1024", "storage_mb = 2048",
             "allow_internet = false", ""]
    open(os.path.join(d, "task.toml"), "w").write("\n".join(toml))
    open(os.path.join(d, "environment", "Dockerfile"), "w").write(
        "# Task image: the Northwind performance workstation plus this job's program. Offline: COPY only.\n"
        "FROM skilldelta-env/perf\nCOPY app /app\nWORKDIR /app\n")
    open(os.path.join(d, "instruction.md"), "w").write(t["instruction"].strip() + "\n")
    print("built", tid)
