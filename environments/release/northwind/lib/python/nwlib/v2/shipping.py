"""Northwind parcel tariff (tariff 2024).  Prices in integer cents, weights in kilograms."""
import math

# zone -> (base cents, cents per started 100 g)
TARIFF = {
    "A": (450, 12),
    "B": (590, 17),
    "C": (820, 23),
    "D": (1150, 31),
    "X": (2400, 55),
}


def quote(zone, weight_kg):
    """Price in cents of a parcel of `weight_kg` kilograms to `zone`.

    Weight is charged per *started* 100 g step.  Zones: A, B, C, D, X.
    """
    if zone not in TARIFF:
        raise ValueError("unknown zone %r" % (zone,))
    if weight_kg <= 0:
        raise ValueError("weight must be positive")
    base, step = TARIFF[zone]
    steps = math.ceil(round(weight_kg * 10, 9))
    return base + step * steps


def zones():
    return sorted(TARIFF)
