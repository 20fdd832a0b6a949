"""Northwind invoicing: render an order (JSON) as invoice lines."""
import json
import sys

from nwlib.v1 import money, shipping


def line_total(item):
    return item["qty"] * item["unit_price"]


def invoice_lines(order):
    """Invoice lines for an order {"items": [{"sku", "qty", "unit_price"}], "weight_lb", "zone"}."""
    lines = []
    subtotal = 0.0
    for item in order["items"]:
        total = line_total(item)
        subtotal += total
        lines.append("%-12s %3d x %10s = %11s" % (item["sku"], item["qty"], money.to_display(item["unit_price"]),
                                                money.to_display(total)))
    ship = shipping.quote(order["weight_lb"], order["zone"])
    lines.append("shipping zone %s, %.2f lb: %s" % (order["zone"], order["weight_lb"], money.to_display(ship)))
    lines.append("TOTAL %s" % money.to_display(subtotal + ship))
    return lines


def main(argv):
    with open(argv[1]) as fh:
        order = json.load(fh)
    print("\n".join(invoice_lines(order)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
