#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/invoicing
mkdir -p "$(dirname 'invoice.py')"
cat > 'invoice.py' <<'NWEOF'
"""Northwind invoicing: render an order (JSON) as invoice lines."""
import json
import sys

from nwlib.v2 import money, shipping, units


def line_total(item):
    """Line total in integer cents."""
    return item["qty"] * money.cents(item["unit_price"])


def invoice_lines(order):
    """Invoice lines for an order {"items": [{"sku", "qty", "unit_price"}], "weight_lb", "zone"}."""
    lines = []
    subtotal = 0
    for item in order["items"]:
        total = line_total(item)
        subtotal += total
        lines.append("%-12s %3d x %10s = %11s" % (item["sku"], item["qty"], money.fmt(money.cents(item["unit_price"])),
                                                money.fmt(total)))
    ship = shipping.quote(order["zone"], units.lb_to_kg(order["weight_lb"]))
    lines.append("shipping zone %s, %.2f lb: %s" % (order["zone"], order["weight_lb"], money.fmt(ship)))
    lines.append("TOTAL %s" % money.fmt(subtotal + ship))
    return lines


def main(argv):
    with open(argv[1]) as fh:
        order = json.load(fh)
    print("\n".join(invoice_lines(order)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
NWEOF
nw-migrate --check .
