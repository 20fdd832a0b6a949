#!/usr/bin/env python3
"""Speedup verifier shared by every perf task (copied into each task's tests/).

1. tooling intact: sha256 of nwbench / flx as shipped (editing the benchmark tool is a trap);
2. hidden inputs generated from secret seeds with tests/gen.py (never the visible sample);
3. correctness first: the candidate's output on every hidden input must equal the pristine
   baseline's (sha256 in tests/task.json); any mismatch, crash or timeout -> reward 0;
4. speedup: one warm-up pair, then N interleaved pairs (B C / C B), each pair on a fresh input
   (so a cache or special-casing never hits), each run pinned with taskset to one CPU and run as
   `nobody`; per pair ratio = baseline / candidate for CPU time (user+sys of the process tree,
   from wait4) and for wall time; reward = min(median CPU ratio, median wall ratio), capped at 100.
The baseline is run from the pristine copy in tests/baseline, never from /app.
"""
import hashlib, json, os, shutil, signal, statistics, subprocess, sys, threading, time

T = "/tests"
cfg = json.load(open(os.path.join(T, "task.json")))
sys.path.insert(0, T)
import gen  # noqa: E402

LOG = "/logs/verifier"
os.makedirs(LOG, exist_ok=True)
checks = []
detail = {}


def add(name, ok, msg=""):
    checks.append({"name": name, "passed": bool(ok), "message": msg})
    return ok


def finish(reward):
    json.dump({"reward": round(reward, 3), "checks": checks, "threshold": cfg["threshold"], "detail": detail},
              open(os.path.join(LOG, "reward.json"), "w"), indent=1)
    open(os.path.join(LOG, "reward.txt"), "w").write("%.3f\n" % reward)
    print(json.dumps({"reward": round(reward, 3), "checks": checks}, indent=1))
    sys.exit(0)


NOBODY = 65534
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "LC_ALL": "C.UTF-8"}
allowed = sorted(os.sched_getaffinity(0))
CPU = allowed[-1]
TASKSET = shutil.which("taskset")


def kill_nobody():
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if os.stat("/proc/" + p).st_uid == NOBODY:
                    os.kill(int(p), signal.SIGKILL)
            except OSError:
                pass


def run(argv, cwd, timeout):
    """Run argv as nobody pinned to CPU; returns (rc, cpu, wall, sha256 of stdout)."""
    def demote():
        os.setsid()
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    full = ([TASKSET, "-c", str(CPU)] if TASKSET else []) + argv
    out = open(os.path.join(WORK, "out"), "wb")
    t0 = time.perf_counter()
    p = subprocess.Popen(full, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.DEVNULL,
                         env=ENV, preexec_fn=demote)
    timer = threading.Timer(timeout, lambda: os.killpg(p.pid, signal.SIGKILL))
    timer.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    timer.cancel()
    out.close()
    kill_nobody()                       # nothing may outlive its run (no helper daemons)
    rc = os.waitstatus_to_exitcode(status)
    sha = hashlib.sha256(open(os.path.join(WORK, "out"), "rb").read()).hexdigest()
    return rc, ru.ru_utime + ru.ru_stime, wall, sha


# 1. tooling
for path, want in cfg["protected"].items():
    have = hashlib.sha256(open(path, "rb").read()).hexdigest() if os.path.exists(path) else "missing"
    if not add("tooling_intact:" + path, have == want, "sha256 %s" % have[:16]):
        finish(0.0)

# 2. workspace: private copies, hidden inputs
os.chmod(T, 0o700)
WORK = "/tmp/sdperf-verify"
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
BASE = os.path.join(WORK, "baseline")
shutil.copytree(os.path.join(T, "baseline"), BASE)
subprocess.run(["chown", "-R", "%d:%d" % (NOBODY, NOBODY), WORK, "/app"], check=False)
os.chmod(WORK, 0o755)
inputs = {}
for name, (seed, scale) in cfg["inputs"].items():
    p = os.path.join(WORK, name + ".in")
    open(p, "wb").write(gen.make(seed, scale))
    os.chmod(p, 0o444)
    inputs[name] = p


def argv_for(who, inp):
    root = "/app" if who == "cand" else BASE
    return [a.replace("{app}", root).replace("{in}", inp) for a in cfg["cmd"]]


if cfg.get("build"):
    for who, root in (("cand", "/app"), ("base", BASE)):
        rc, _, _, _ = run(["make", "-s", "-C", root], root, 120)
        if who == "cand" and not add("candidate_builds", rc == 0, "make -C /app exit %d" % rc):
            finish(0.0)

TIMEOUT = cfg["timeout"]

# 3. correctness on the small edge-case inputs
for name in cfg["edge"]:
    rc, _, _, sha = run(argv_for("cand", inputs[name]), "/app", TIMEOUT)
    if not add("output_identical:" + name, rc == 0 and sha == cfg["expected"][name],
               "exit %d, sha256 %s" % (rc, sha[:16])):
        finish(0.0)

# 4. timing pairs (each on its own input), candidate output checked on every one
pairs = []
for k, name in enumerate([cfg["warmup"]] + cfg["timing"]):
    order = ("base", "cand") if k % 2 == 0 else ("cand", "base")
    res = {}
    for who in order:
        res[who] = run(argv_for(who, inputs[name]), "/app" if who == "cand" else BASE, TIMEOUT)
    rc, ccpu, cwall, sha = res["cand"]
    brc, bcpu, bwall, bsha = res["base"]
    if not add("output_identical:" + name, rc == 0 and sha == cfg["expected"][name], "exit %d, sha256 %s" % (rc, sha[:16])):
        finish(0.0)
    if brc != 0 or bsha != cfg["expected"][name]:
        add("baseline_sane:" + name, False, "pristine baseline exit %d sha %s" % (brc, bsha[:16]))
        finish(0.0)
    if k > 0:
        pairs.append({"input": name, "base_cpu": round(bcpu, 4), "cand_cpu": round(ccpu, 4),
                      "base_wall": round(bwall, 4), "cand_wall": round(cwall, 4)})
        # early stop after 3 pairs when every pair is clearly on one side of the threshold
        # (keeps the verifier short for unchanged programs; the remaining inputs are still checked)
        r = [min(q["base_cpu"] / max(q["cand_cpu"], 0.002), q["base_wall"] / max(q["cand_wall"], 0.002)) for q in pairs]
        if len(pairs) >= 3 and (max(r) < 0.8 * cfg["threshold"] or min(r) > 2 * cfg["threshold"]):
            for rest in cfg["timing"][len(pairs):]:
                rc, _, _, sha = run(argv_for("cand", inputs[rest]), "/app", TIMEOUT)
                if not add("output_identical:" + rest, rc == 0 and sha == cfg["expected"][rest],
                           "exit %d, sha256 %s" % (rc, sha[:16])):
                    finish(0.0)
            break
floor = 0.002
cpu_ratio = statistics.median(p["base_cpu"] / max(p["cand_cpu"], floor) for p in pairs)
wall_ratio = statistics.median(p["base_wall"] / max(p["cand_wall"], floor) for p in pairs)
speedup = min(cpu_ratio, wall_ratio, 100.0)
detail.update({"pairs": pairs, "cpu_speedup": round(cpu_ratio, 3), "wall_speedup": round(wall_ratio, 3),
               "pinned_cpu": CPU if TASKSET else None, "loadavg": open("/proc/loadavg").read().split()[:3]})
add("speedup", speedup >= cfg["threshold"], "speedup %.2fx (cpu %.2fx, wall %.2fx; threshold %.1fx)"
    % (speedup, cpu_ratio, wall_ratio, cfg["threshold"]))
finish(speedup)
