"""Input generator for perf-a2 (store scan log). make(seed, scale) -> bytes."""
import random


def make(seed, scale=1.0):
    r = random.Random(seed)
    nkeys = max(3, int(3500 * scale))
    keys = [("S%03d" % r.randint(1, 120), "%s-%05d" % (r.choice(["AB", "KX", "QT", "ZR", "MM"]), r.randint(0, 99999)))
            for _ in range(nkeys)]
    out = []
    for i in range(max(5, int(14000 * scale))):
        st, sku = r.choice(keys)
        if r.random() < 0.004:
            out.append("2025-03-%02dT%02d:%02d:%02d SCAN store=%s sku=%s qty=x%d" % (r.randint(1, 28), r.randint(0, 23), r.randint(0, 59), r.randint(0, 59), st, sku, r.randint(1, 9)))
        else:
            out.append("2025-03-%02dT%02d:%02d:%02d %s store=%s sku=%s qty=%d" % (r.randint(1, 28), r.randint(0, 23), r.randint(0, 59), r.randint(0, 59), r.choice(["SCAN", "SCAN", "SCAN", "VOID"]), st, sku, r.randint(1, 40)))
    return ("\n".join(out) + "\n").encode()
