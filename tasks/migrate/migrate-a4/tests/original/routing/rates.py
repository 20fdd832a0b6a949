"""Parcel rates per carrier zone."""
from nwlib.v1 import money
from nwlib.v1.shipping import quote as parcel_quote

HANDLING = {"standard": 0.0, "fragile": 2.5, "cold": 4.75}


def parcel_cost(weight_lb, zone, handling="standard"):
    """Cost in dollars of one parcel."""
    return parcel_quote(weight_lb, zone) + HANDLING[handling]


def rate_card(weight_lb, handling="standard"):
    """Display prices of a parcel for every zone."""
    return {z: money.to_display(parcel_cost(weight_lb, z, handling)) for z in ("A", "B", "C", "D")}
