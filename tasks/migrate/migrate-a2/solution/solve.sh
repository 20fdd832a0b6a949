#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/stockroom
mkdir -p "$(dirname 'stockroom.py')"
cat > 'stockroom.py' <<'NWEOF'
"""Stockroom deliveries ledger kept in a small JSON store."""
import datetime

from nwlib.v2 import dates
from nwlib.v2.store import Store


def record_delivery(db_path, sku, qty, date_text):
    """Add a delivery (date as DD/MM/YYYY); returns the updated record."""
    with Store(db_path) as s:
        cur = s.get(sku, None)
        if cur is None:
            cur = {"qty": 0, "last": None}
        d = dates.parse(date_text, fmt="dmy")
        cur["qty"] += qty
        if cur["last"] is None or d.isoformat() > cur["last"]:
            cur["last"] = d.isoformat()
        s.put(sku, cur)
    return cur


def stock_level(db_path, sku):
    with Store(db_path) as s:
        rec = s.get(sku, None)
    return 0 if rec is None else rec["qty"]


def stale_skus(db_path, today_text, days):
    """SKUs whose last delivery is more than `days` days before today (DD/MM/YYYY)."""
    today = dates.parse(today_text, fmt="dmy")
    out = []
    with Store(db_path) as s:
        for sku in s.keys():
            last = datetime.date.fromisoformat(s.get(sku)["last"])
            if (today - last).days > days:
                out.append(sku)
    return out
NWEOF
nw-migrate --check .
