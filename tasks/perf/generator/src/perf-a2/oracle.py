#!/usr/bin/env python3
"""skunet - net scanned quantity per (store, sku), in order of first appearance (Northwind retail).

Usage: python3 skunet.py SCANLOG > net.txt
SCAN adds qty, VOID subtracts it; malformed lines are counted and skipped.
OP-02 (set/dict membership; dicts keep insertion order), OP-03 (compile once), OP-04 (join output).
"""
import re
import sys

LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d) (SCAN|VOID) store=(S\d{3}) sku=([A-Z]{2}-\d{5}) qty=(\d+)$")


def main():
    net = {}
    bad = 0
    match = LINE.match
    for line in open(sys.argv[1]):
        m = match(line.rstrip("\n"))
        if not m:
            bad += 1
            continue
        key = (m.group(3), m.group(4))
        qty = int(m.group(5)) if m.group(2) == "SCAN" else -int(m.group(5))
        net[key] = net.get(key, 0) + qty
    out = ["%s %s %d\n" % (k[0], k[1], q) for k, q in net.items()]
    out.append("malformed %d\n" % bad)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
