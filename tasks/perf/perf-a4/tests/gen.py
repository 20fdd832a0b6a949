"""Input generator for perf-a4 (depot movements CSV). make(seed, scale) -> bytes."""
import random


def make(seed, scale=1.0):
    r = random.Random(seed)
    depots = ["DEP-%s%02d" % (r.choice("NSEW"), r.randint(1, 40)) for _ in range(14)]
    out = ["date,depot,item,qty"]
    for _ in range(max(3, int(150 * scale))):
        q = r.randint(1, 500) * (-1 if r.random() < 0.2 else 1)
        out.append("2025-%02d-%02d,%s,ITM%05d,%d" % (r.randint(1, 12), r.randint(1, 28), r.choice(depots), r.randint(0, 99999), q))
    return ("\n".join(out) + "\n").encode()
