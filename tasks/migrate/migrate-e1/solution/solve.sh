#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/returns
mkdir -p "$(dirname 'returns.py')"
cat > 'returns.py' <<'NWEOF'
"""Returns desk: refund slips and return-window checks for parcels weighed in ounces."""
import csv

from nwlib.v2 import money, units
from nwlib.v2.dates import parse
from nwlib.v2.log import event
from nwlib.v2.shipping import quote as ship_cost

RESTOCKING = 0.15  # share of the price kept for opened items
WINDOW_DAYS = 30


def refund(price, opened):
    """Refund in dollars."""
    return round(price * (1 - RESTOCKING), 2) if opened else price


def return_label_cost(weight_oz, zone):
    """Label cost in cents."""
    return ship_cost(zone, units.oz_to_kg(weight_oz))


def slip(row, today):
    """One refund slip line for a CSV row; None when outside the return window."""
    bought = parse(row["bought"], fmt="dmy")
    age = (today - bought).days
    if age > WINDOW_DAYS:
        event("order %s is %d days old: refused" % (row["order"], age), level="warning")
        return None
    price = float(row["price"])
    opened = row["opened"] == "yes"
    label = return_label_cost(float(row["weight_oz"]), row["zone"])
    back = money.cents(refund(price, opened))
    return "%s refund %s (label %s) = %s" % (row["order"], money.fmt(back), money.fmt(label), money.fmt(back - label))


def process(csv_path, today_text):
    today = parse(today_text, fmt="dmy")
    out = []
    with open(csv_path, newline="") as fh:
        for row in csv.DictReader(fh):
            line = slip(row, today)
            if line:
                out.append(line)
    event("%d slips" % len(out), level="info")
    return out
NWEOF
nw-migrate --check .
