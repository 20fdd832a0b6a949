"""Input generator for perf-e1 (cold-chain probe readings). make(seed, scale) -> bytes."""
import random


def make(seed, scale=1.0):
    r = random.Random(seed)
    out = ["# NW-COLDCHAIN probe=%s unit=centi-degC" % ("P%04d" % r.randint(0, 9999))]
    v = r.randint(-2200, -1500)
    for i in range(max(3, int(20000 * scale))):
        v += r.randint(-40, 40)
        v = max(-2600, min(-900, v))
        spike = r.randint(200, 900) if r.random() < 0.004 else 0
        out.append("%d %d" % (1735689600 + 30 * i, v + spike))
    return ("\n".join(out) + "\n").encode()
