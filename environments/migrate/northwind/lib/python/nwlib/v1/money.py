"""v1 money: float dollars."""
from nwlib.v2 import money as _m


def to_display(amount):
    """Format a dollar amount (float) as '$1,234.50'."""
    return _m.fmt(_m.cents(amount))
