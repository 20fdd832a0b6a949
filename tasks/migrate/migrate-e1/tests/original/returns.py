"""Returns desk: refund slips and return-window checks for parcels weighed in ounces."""
import csv
import datetime

from nwlib.v1.dates import parse_date
from nwlib.v1.log import emit
from nwlib.v1.money import to_display
from nwlib.v1.shipping import quote as ship_cost

RESTOCKING = 0.15  # share of the price kept for opened items
WINDOW_DAYS = 30


def refund(price, opened):
    """Refund in dollars."""
    return round(price * (1 - RESTOCKING), 2) if opened else price


def return_label_cost(weight_oz, zone):
    return ship_cost(weight_oz / 16.0, zone)


def slip(row, today):
    """One refund slip line for a CSV row; None when outside the return window."""
    bought = parse_date(row["bought"])
    age = (today - bought).days
    if age > WINDOW_DAYS:
        emit("warning", "order %s is %d days old: refused" % (row["order"], age))
        return None
    price = float(row["price"])
    opened = row["opened"] == "yes"
    label = return_label_cost(float(row["weight_oz"]), row["zone"])
    net = refund(price, opened) - label
    return "%s refund %s (label %s) = %s" % (row["order"], to_display(refund(price, opened)), to_display(label), to_display(net))


def process(csv_path, today_text):
    today = parse_date(today_text)
    out = []
    with open(csv_path, newline="") as fh:
        for row in csv.DictReader(fh):
            line = slip(row, today)
            if line:
                out.append(line)
    emit("info", "%d slips" % len(out))
    return out
