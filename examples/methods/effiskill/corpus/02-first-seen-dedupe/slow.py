"""Lists customer ids in order of first appearance, with their order counts; membership tested on a list."""
import sys


def main(path):
    seen = []
    counts = []
    with open(path) as f:
        for line in f:
            cid = line.strip()
            if cid in seen:  # O(n) scan per line
                counts[seen.index(cid)] += 1
            else:
                seen.append(cid)
                counts.append(1)
    for cid, n in zip(seen, counts):
        print(cid, n)


main(sys.argv[1])
