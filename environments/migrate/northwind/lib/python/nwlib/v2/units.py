"""Unit conversions used across nwlib.v2 (exact factors, as defined by NIST)."""
LB_KG = 0.45359237
OZ_KG = 0.028349523125


def lb_to_kg(lb):
    """Pounds to kilograms."""
    return lb * LB_KG


def oz_to_kg(oz):
    """Ounces to kilograms."""
    return oz * OZ_KG


def kg_to_lb(kg):
    return kg / LB_KG
