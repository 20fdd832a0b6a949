#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/tallyman
mkdir -p "$(dirname 'tallyman/pricing.py')"
cat > 'tallyman/pricing.py' <<'NWEOF'
"""Checkout pricing for the Northwind web shop."""
from nwlib.v2 import money, units
from nwlib.v2.shipping import quote


def basket_total(items):
    """Goods total in dollars for [(unit_price, qty), ...]."""
    return sum(p * q for p, q in items)


def checkout_summary(items, weight_lb, zone):
    goods = sum(money.cents(p) * q for p, q in items)
    ship = quote(zone, units.lb_to_kg(weight_lb))
    return {"goods": money.fmt(goods), "shipping": money.fmt(ship), "total": money.fmt(goods + ship)}
NWEOF
nw-migrate --check .
python3 -m unittest discover -s tests -q
git add -A
git commit -q -m 'Migrate to nwlib.v2' -m 'nwlib.v1 is past its sunset.' -m 'Change-Type: chore
Ticket: NW-7003'
v=$(relx next)
echo "$v" > VERSION
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release tallyman $v" -m 'Change-Type: release'
relx cut
