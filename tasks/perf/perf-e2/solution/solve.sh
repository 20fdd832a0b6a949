#!/bin/bash
# Oracle for perf-e2: OP-01 bisect over the sorted zone starts
set -euo pipefail
cat > /app/fares.py <<'NW_ORACLE_EOF'
#!/usr/bin/env python3
"""fares - fare revenue per card for one day of metro trips (Northwind transit).

Usage: python3 fares.py TRIPS > revenue.txt
A position belongs to the last zone whose start is <= it. Fare in cents = 150 + 40 * zones
crossed (|zone index difference|). Output: one line per card (sorted), then the day total.
OP-01 (index instead of scan): bisect over the sorted zone starts; OP-04 (one write).
"""
import sys
from bisect import bisect_right


def main():
    zones, trips = [], []
    for line in open(sys.argv[1]):
        p = line.split()
        if not p or p[0].startswith("#"):
            continue
        if p[0] == "ZONE":
            zones.append((int(p[1]), p[2]))
        elif p[0] == "TRIP":
            trips.append((p[1], int(p[2]), int(p[3])))
    zones.sort()
    starts = [z[0] for z in zones]

    def zone_of(m):
        return max(bisect_right(starts, m) - 1, 0)

    per_card = {}
    for card, a, b in trips:
        fare = 150 + 40 * abs(zone_of(a) - zone_of(b))
        per_card[card] = per_card.get(card, 0) + fare
    total = 0
    out = []
    for card in sorted(per_card):
        out.append("%s %d.%02d\n" % (card, per_card[card] // 100, per_card[card] % 100))
        total += per_card[card]
    out.append("TOTAL %d.%02d trips %d\n" % (total // 100, total % 100, len(trips)))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
NW_ORACLE_EOF
