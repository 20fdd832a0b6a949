"""Prices every parcel by weight band: the band table is scanned linearly for each parcel."""
import sys

BANDS = [(w * 25, 3 + w * 0.75) for w in range(400)]  # (lower bound in grams, price), sorted


def price(weight):
    chosen = BANDS[0][1]
    for lower, p in BANDS:
        if weight >= lower:  # the last band whose lower bound is <= weight wins
            chosen = p
        else:
            break
    return chosen


def main(path):
    total = {}
    with open(path) as f:
        for line in f:
            depot, grams = line.split()
            total[depot] = total.get(depot, 0.0) + price(int(grams))
    for depot in sorted(total):
        print(f"{depot} {total[depot]:.2f}")


main(sys.argv[1])
