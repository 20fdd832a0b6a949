"""Input generator for perf-a1 (rate table + shipments). make(seed, scale) -> bytes."""
import random


def make(seed, scale=1.0):
    r = random.Random(seed)
    lanes = ["%s-%s" % (a, b) for a in ("LHR", "AMS", "FRA", "MAD", "WAW", "OSL", "MXP", "VIE", "DUB", "PRG",
                                         "BUD", "CPH", "ARN", "HEL", "LIS") for b in ("N", "S", "E", "W", "X", "Y", "Z", "Q", "K", "M", "A", "B", "C", "D", "F", "G", "H", "J", "L", "P")]
    r.shuffle(lanes)
    nl = max(4, int(300 * min(scale, 1.0)))
    lanes = lanes[:nl]
    out = ["# NW-RATES v1 (lane, band upper bound kg, cents per kg)"]
    for lane in lanes:
        top = 0
        for _ in range(8):
            top += r.randint(5, 250)
            out.append("RATE %s %d %d" % (lane, top, r.randint(20, 900)))
    out.append("# SHIPMENTS (id, lane, kg)")
    n = max(5, int(12000 * scale))
    for i in range(n):
        lane = r.choice(lanes) if r.random() > 0.01 else "UNK-" + r.choice("ABC")
        out.append("SHIP S%07d %s %d" % (r.randint(0, 9999999), lane, r.randint(1, 1800)))
    if scale < 0.01:
        out.append("SHIP S0000000 %s 0" % lanes[0])
    return ("\n".join(out) + "\n").encode()
