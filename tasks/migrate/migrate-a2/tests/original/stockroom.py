"""Stockroom deliveries ledger kept in a small JSON store."""
import datetime

from nwlib.v1.dates import parse_date
from nwlib.v1.store import open_store


def record_delivery(db_path, sku, qty, date_text):
    """Add a delivery (date as DD/MM/YYYY); returns the updated record."""
    s = open_store(db_path)
    cur = s.get(sku)
    if cur is None:
        cur = {"qty": 0, "last": None}
    d = parse_date(date_text)
    cur["qty"] += qty
    if cur["last"] is None or d.isoformat() > cur["last"]:
        cur["last"] = d.isoformat()
    s.put(sku, cur)
    s.close()
    return cur


def stock_level(db_path, sku):
    s = open_store(db_path)
    rec = s.get(sku)
    s.close()
    return 0 if rec is None else rec["qty"]


def stale_skus(db_path, today_text, days):
    """SKUs whose last delivery is more than `days` days before today (DD/MM/YYYY)."""
    today = parse_date(today_text)
    s = open_store(db_path)
    out = []
    for sku in s.keys():
        last = datetime.date.fromisoformat(s.get(sku)["last"])
        if (today - last).days > days:
            out.append(sku)
    s.close()
    return out
