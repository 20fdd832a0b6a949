#!/usr/bin/env python3
"""rateroll - monthly freight roll-up by lane (Northwind logistics).

Usage: python3 rateroll.py INPUT > report.txt
Each shipment is rated with the smallest weight band of its lane that holds its weight;
charge = kg * cents_per_kg. Shipments without a matching band are UNRATED.
"""
import sys


def load(path):
    rates, ships = [], []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split()
            if parts[0] == "RATE":
                rates.append((parts[1], int(parts[2]), int(parts[3])))
            elif parts[0] == "SHIP":
                ships.append((parts[1], parts[2], int(parts[3])))
    return rates, ships


def find_rate(rates, lane, kg):
    best = None
    for r in rates:
        if r[0] == lane and kg <= r[1]:
            if best is None or r[1] < best[1]:
                best = r
    return best


def main():
    rates, ships = load(sys.argv[1])
    totals = {}
    unrated = []
    for sid, lane, kg in ships:
        r = find_rate(rates, lane, kg)
        if r is None:
            unrated.append(sid)
            continue
        n, c = totals.get(lane, (0, 0))
        totals[lane] = (n + 1, c + kg * r[2])
    report = ""
    for lane in sorted(totals):
        n, c = totals[lane]
        report += "%-8s %6d %14d.%02d\n" % (lane, n, c // 100, c % 100)
    report += "UNRATED %d\n" % len(unrated)
    for sid in sorted(unrated):
        report += "  %s\n" % sid
    sys.stdout.write(report)


if __name__ == "__main__":
    main()
