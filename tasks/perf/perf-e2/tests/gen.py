"""Input generator for perf-e2 (fare zones + trips). make(seed, scale) -> bytes."""
import random


def make(seed, scale=1.0):
    r = random.Random(seed)
    out = ["# NW-FARES v2: ZONE start_m zone_id ; TRIP card from_m to_m"]
    pos, nz = 0, max(3, int(1500 * min(1.0, scale * 50)))
    for z in range(nz):
        out.append("ZONE %d Z%04d" % (pos, z))
        pos += r.randint(200, 3000)
    for _ in range(max(4, int(6000 * scale))):
        a, b = r.randint(0, pos + 5000), r.randint(0, pos + 5000)
        out.append("TRIP C%06d %d %d" % (r.randint(0, 30000), a, b))
    return ("\n".join(out) + "\n").encode()
