"""Lists customer ids in order of first appearance, with their order counts; a dict keeps both."""
import sys


def main(path):
    counts = {}  # dicts keep insertion order, i.e. first appearance
    with open(path) as f:
        for line in f:
            cid = line.strip()
            counts[cid] = counts.get(cid, 0) + 1
    for cid, n in counts.items():
        print(cid, n)


main(sys.argv[1])
