"""Input generator for perf-a3 (document fingerprints). make(seed, scale) -> bytes."""
import random


def make(seed, scale=1.0):
    r = random.Random(seed)
    n = max(4, int(22000 * scale))
    seen = []
    out = []
    for i in range(n):
        if seen and r.random() < 0.03:
            fp = r.choice(seen)
        else:
            fp = "".join(r.choice("0123456789abcdef") for _ in range(24))
            # shared prefixes make naive comparisons realistic
            fp = "nwfp" + fp[:20]
            seen.append(fp)
        out.append("DOC%06d\t%s" % (r.randint(0, 999999), fp))
    return ("\n".join(out) + "\n").encode()
