#!/bin/bash
# Oracle for perf-a1: OP-01 index the rate table by lane and bisect the bands
set -euo pipefail
cat > /app/rateroll.py <<'NW_ORACLE_EOF'
#!/usr/bin/env python3
"""rateroll - monthly freight roll-up by lane (Northwind logistics).

Usage: python3 rateroll.py INPUT > report.txt
Each shipment is rated with the smallest weight band of its lane that holds its weight;
charge = kg * cents_per_kg. Shipments without a matching band are UNRATED.
OP-01 (index the lookup table): rates indexed by lane, bands sorted, bisect.
"""
import sys
from bisect import bisect_left


def main():
    bands = {}
    ships = []
    with open(sys.argv[1]) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split()
            if parts[0] == "RATE":
                bands.setdefault(parts[1], {})
                b = bands[parts[1]]
                top, cents = int(parts[2]), int(parts[3])
                if top not in b:          # first rate wins for equal bands, as the linear scan did
                    b[top] = cents
            elif parts[0] == "SHIP":
                ships.append((parts[1], parts[2], int(parts[3])))
    index = {}
    for lane, b in bands.items():
        tops = sorted(b)
        index[lane] = (tops, [b[t] for t in tops])
    totals, unrated = {}, []
    for sid, lane, kg in ships:
        ix = index.get(lane)
        i = bisect_left(ix[0], kg) if ix else 0
        if not ix or i == len(ix[0]):
            unrated.append(sid)
            continue
        n, c = totals.get(lane, (0, 0))
        totals[lane] = (n + 1, c + kg * ix[1][i])
    out = []
    for lane in sorted(totals):
        n, c = totals[lane]
        out.append("%-8s %6d %14d.%02d\n" % (lane, n, c // 100, c % 100))
    out.append("UNRATED %d\n" % len(unrated))
    out.extend("  %s\n" % sid for sid in sorted(unrated))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
NW_ORACLE_EOF
