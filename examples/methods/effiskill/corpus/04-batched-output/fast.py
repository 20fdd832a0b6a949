"""Reformats a CSV export: lines are built in memory and written with one call."""
import sys


def main(path):
    rows = []
    with open(path) as f:
        for line in f:
            sku, qty, depot = line.rstrip("\n").split(",")
            rows.append(f"{depot}\t{sku}\t{int(qty):>6}\n")
    sys.stdout.write("".join(rows))
    sys.stdout.flush()


main(sys.argv[1])
