"""Reformats a CSV export line by line, writing and flushing every output line on its own."""
import sys


def main(path):
    out = sys.stdout
    with open(path) as f:
        for line in f:
            sku, qty, depot = line.rstrip("\n").split(",")
            out.write(f"{depot}\t{sku}\t{int(qty):>6}\n")
            out.flush()  # one write(2) per line


main(sys.argv[1])
