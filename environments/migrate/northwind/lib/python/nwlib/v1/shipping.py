"""v1 shipping: weights in pounds, prices in float dollars."""
from nwlib.v2 import shipping as _s, units as _u


def quote(weight_lb, zone):
    """Price in dollars (float) of a parcel of weight_lb pounds to zone."""
    return _s.quote(zone, _u.lb_to_kg(weight_lb)) / 100.0
