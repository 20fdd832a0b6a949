"""Checks every slow/fast pair of this corpus: identical stdout on 3 generated inputs, then the
speedup as the median of 5 interleaved (slow, fast) pairs of child CPU time (user + sys).

    python3 check.py            # all pairs
    python3 check.py 01-band-lookup
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def cpu_run(program, inp):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, program, inp], capture_output=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return out, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def check(pair):
    d = os.path.join(HERE, pair)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = []
        for seed in (1, 2, 3):
            p = os.path.join(tmp, f"in{seed}")
            with open(p, "wb") as f:
                f.write(subprocess.run([sys.executable, os.path.join(d, "gen.py"), str(seed)], capture_output=True, check=True).stdout)
            inputs.append(p)
        for p in inputs:
            slow, _ = cpu_run(os.path.join(d, "slow.py"), p)
            fast, _ = cpu_run(os.path.join(d, "fast.py"), p)
            if slow != fast:
                return f"{pair}: OUTPUT DIFFERS on {os.path.basename(p)}"
        ratios = []
        for i in range(5):
            order = ("slow.py", "fast.py") if i % 2 == 0 else ("fast.py", "slow.py")
            t = {name: cpu_run(os.path.join(d, name), inputs[0])[1] for name in order}
            ratios.append(t["slow.py"] / max(t["fast.py"], 1e-3))
        return f"{pair}: identical output on 3 inputs; speedup (median CPU-time ratio of 5 pairs) {statistics.median(ratios):.1f}x"


pairs = sys.argv[1:] or sorted(e for e in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, e)) and not e.startswith("_"))
for pair in pairs:
    print(check(pair), flush=True)
