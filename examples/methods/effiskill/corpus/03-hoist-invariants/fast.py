"""Flags readings above the site limit; the limit table and the ceiling are computed once."""
import sys

LIMITS = [(f"S{i:03d}", 50 + (i * 37) % 40) for i in range(300)]


def main(path):
    limits = dict(LIMITS)
    ceiling = max(limits.values())
    flagged = 0
    with open(path) as f:
        for line in f:
            site, value = line.split()
            v = float(value)
            if v > limits[site] or v > ceiling:
                flagged += 1
                print(f"{site} {v:.1f}")
    print(f"flagged {flagged}")


main(sys.argv[1])
