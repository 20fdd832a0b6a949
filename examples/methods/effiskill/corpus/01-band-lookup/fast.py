"""Prices every parcel by weight band: bisect over the band lower bounds (same tie rule)."""
import sys
from bisect import bisect_right

BANDS = [(w * 25, 3 + w * 0.75) for w in range(400)]
LOWERS = [lower for lower, _ in BANDS]
PRICES = [p for _, p in BANDS]


def price(weight):
    # bisect_right finds the last lower bound <= weight; below the first band the first price applies
    i = bisect_right(LOWERS, weight) - 1
    return PRICES[max(i, 0)]


def main(path):
    total = {}
    with open(path) as f:
        for line in f:
            depot, grams = line.split()
            total[depot] = total.get(depot, 0.0) + price(int(grams))
    for depot in sorted(total):
        print(f"{depot} {total[depot]:.2f}")


main(sys.argv[1])
