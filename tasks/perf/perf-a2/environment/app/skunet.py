#!/usr/bin/env python3
"""skunet - net scanned quantity per (store, sku), in order of first appearance (Northwind retail).

Usage: python3 skunet.py SCANLOG > net.txt
SCAN adds qty, VOID subtracts it; malformed lines are counted and skipped.
"""
import re
import sys


def main():
    keys = []        # (store, sku) in order of first appearance
    net = []         # parallel to keys
    bad = 0
    for line in open(sys.argv[1]):
        m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d) (SCAN|VOID) store=(S\d{3}) sku=([A-Z]{2}-\d{5}) qty=(\d+)$", line.rstrip("\n"))
        if not m:
            bad += 1
            continue
        key = (m.group(3), m.group(4))
        qty = int(m.group(5)) if m.group(2) == "SCAN" else -int(m.group(5))
        if key not in keys:
            keys.append(key)
            net.append(0)
        i = keys.index(key)
        net[i] = net[i] + qty
    out = ""
    for key, q in zip(keys, net):
        out = out + "%s %s %d\n" % (key[0], key[1], q)
    out = out + "malformed %d\n" % bad
    sys.stdout.write(out)


if __name__ == "__main__":
    main()
