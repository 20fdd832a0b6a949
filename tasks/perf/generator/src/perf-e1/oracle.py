#!/usr/bin/env python3
"""excursions - cold-chain excursion report for one probe (Northwind pharma logistics).

Usage: python3 excursions.py READINGS > report.txt
A reading is an excursion when it exceeds the rolling median of the last WINDOW readings
(itself included; fewer at the start) by more than LIMIT centi-degrees. The report lists each
excursion and, every 1000 readings, the rolling median as a checkpoint.
OP-05 (keep it sorted incrementally): the window is kept sorted with bisect instead of re-sorted.
"""
import sys
from bisect import bisect_left, insort

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
    win = []
    for i, v in enumerate(vals):
        insort(win, v)
        if len(win) > WINDOW:
            del win[bisect_left(win, vals[i - WINDOW])]
        med = win[len(win) // 2]
        if v - med > LIMIT:
            lines.append("EXCURSION %d %d median %d\n" % (ts[i], v, med))
        if i % 1000 == 0:
            lines.append("CHECKPOINT %d median %d\n" % (ts[i], med))
    lines.append("readings %d\n" % len(vals))
    sys.stdout.write("".join(lines))


if __name__ == "__main__":
    main()
