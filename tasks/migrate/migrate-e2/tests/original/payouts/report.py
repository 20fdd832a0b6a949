"""Payout statement."""
from nwlib.v1 import money
from vendor.tabulate_lite import table


def statement(payouts):
    rows = [(p["courier"], money.to_display(p["cents"] / 100.0)) for p in payouts]
    total = sum(p["cents"] for p in payouts) / 100.0
    return table(rows + [("TOTAL", money.to_display(total))], ["courier", "amount"])
