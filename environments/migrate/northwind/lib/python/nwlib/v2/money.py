"""Money in nwlib.v2 is always an integer number of cents.  Floats are refused."""
from decimal import Decimal, ROUND_HALF_UP


def cents(dollars):
    """Convert a dollar amount (int, float, str or Decimal) to integer cents, rounding half up."""
    if isinstance(dollars, bool):
        raise TypeError("cents() does not take bool")
    d = Decimal(str(dollars)) if not isinstance(dollars, Decimal) else dollars
    return int((d * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def fmt(amount_cents, symbol="$"):
    """Format integer cents for display: fmt(123450) == '$1,234.50'; negative: '-$5.00'."""
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
        raise TypeError("fmt() takes integer cents, got %s; convert with money.cents()" % type(amount_cents).__name__)
    sign = "-" if amount_cents < 0 else ""
    a = abs(amount_cents)
    return "%s%s%s.%02d" % (sign, symbol, "{:,}".format(a // 100), a % 100)


def add(*amounts):
    """Sum integer cents (refuses floats)."""
    for a in amounts:
        if not isinstance(a, int):
            raise TypeError("money.add() takes integer cents")
    return sum(amounts)
