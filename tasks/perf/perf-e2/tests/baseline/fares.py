#!/usr/bin/env python3
"""fares - fare revenue per card for one day of metro trips (Northwind transit).

Usage: python3 fares.py TRIPS > revenue.txt
A position belongs to the last zone whose start is <= it. Fare in cents = 150 + 40 * zones
crossed (|zone index difference|). Output: one line per card (sorted), then the day total.
"""
import sys


def zone_of(zones, m):
    found = 0
    for i in range(len(zones)):
        if zones[i][0] <= m:
            found = i
    return found


def main():
    zones, trips = [], []
    for line in open(sys.argv[1]):
        p = line.split()
        if not p or p[0].startswith("#"):
            continue
        if p[0] == "ZONE":
            zones.append((int(p[1]), p[2]))
        elif p[0] == "TRIP":
            trips.append((p[1], int(p[2]), int(p[3])))
    zones.sort()
    per_card = {}
    for card, a, b in trips:
        fare = 150 + 40 * abs(zone_of(zones, a) - zone_of(zones, b))
        per_card[card] = per_card.get(card, 0) + fare
    total = 0
    for card in sorted(per_card):
        print("%s %d.%02d" % (card, per_card[card] // 100, per_card[card] % 100))
        total += per_card[card]
    print("TOTAL %d.%02d trips %d" % (total // 100, total % 100, len(trips)))


if __name__ == "__main__":
    main()
