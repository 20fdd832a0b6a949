"""Checkout pricing for the Northwind web shop."""
from nwlib.v1 import money
from nwlib.v1.shipping import quote


def basket_total(items):
    """Goods total in dollars for [(unit_price, qty), ...]."""
    return sum(p * q for p, q in items)


def checkout_summary(items, weight_lb, zone):
    goods = basket_total(items)
    ship = quote(weight_lb, zone)
    return {"goods": money.to_display(goods), "shipping": money.to_display(ship),
            "total": money.to_display(goods + ship)}
