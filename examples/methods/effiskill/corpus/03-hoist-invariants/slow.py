"""Flags readings above the site limit; the limit table and its lookup are rebuilt for every reading."""
import sys

LIMITS = [(f"S{i:03d}", 50 + (i * 37) % 40) for i in range(300)]


def main(path):
    flagged = 0
    with open(path) as f:
        for line in f:
            site, value = line.split()
            limits = dict(LIMITS)  # loop-invariant work, repeated per line
            ceiling = max(limits.values())
            v = float(value)
            if v > limits[site] or v > ceiling:
                flagged += 1
                print(f"{site} {v:.1f}")
    print(f"flagged {flagged}")


main(sys.argv[1])
