#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/payouts
mkdir -p "$(dirname 'payouts/batch.py')"
cat > 'payouts/batch.py' <<'NWEOF'
"""Pays couriers through the bank gateway and remembers what was paid."""
from nwlib.v2.retry import RetryError, retry
from nwlib.v2.store import Store


def pay_all(db_path, gateway, payouts):
    """Pay each {"courier", "cents"} once; returns the couriers paid in this run."""
    paid = []
    with Store(db_path) as s:
        for p in payouts:
            if s.get(p["courier"], None):
                continue
            try:
                ref = retry(lambda: gateway.transfer(p["courier"], p["cents"]), attempts=3, backoff_ms=1500)
            except RetryError as e:
                s.commit()  # v1 had already saved every earlier payment
                raise e.last
            s.put(p["courier"], ref)
            s.commit()
            paid.append(p["courier"])
    return paid
NWEOF
mkdir -p "$(dirname 'payouts/report.py')"
cat > 'payouts/report.py' <<'NWEOF'
"""Payout statement."""
from nwlib.v2 import money
from vendor.tabulate_lite import table


def statement(payouts):
    rows = [(p["courier"], money.fmt(p["cents"])) for p in payouts]
    total = sum(p["cents"] for p in payouts)
    return table(rows + [("TOTAL", money.fmt(total))], ["courier", "amount"])
NWEOF
nw-migrate --check .
