#!/usr/bin/env python3
"""excursions - cold-chain excursion report for one probe (Northwind pharma logistics).

Usage: python3 excursions.py READINGS > report.txt
A reading is an excursion when it exceeds the rolling median of the last WINDOW readings
(itself included; fewer at the start) by more than LIMIT centi-degrees. The report lists each
excursion and, every 1000 readings, the rolling median as a checkpoint.
"""
import sys

WINDOW = 801
LIMIT = 150


def main():
    ts, vals = [], []
    for line in open(sys.argv[1]):
        if line.startswith("#") or not line.strip():
            continue
        a, b = line.split()
        ts.append(int(a))
        vals.append(int(b))
    lines = []
    for i in range(len(vals)):
        window = vals[max(0, i - WINDOW + 1):i + 1]
        med = sorted(window)[len(window) // 2]
        if vals[i] - med > LIMIT:
            lines.append("EXCURSION %d %d median %d\n" % (ts[i], vals[i], med))
        if i % 1000 == 0:
            lines.append("CHECKPOINT %d median %d\n" % (ts[i], med))
    lines.append("readings %d\n" % len(vals))
    sys.stdout.write("".join(lines))


if __name__ == "__main__":
    main()
