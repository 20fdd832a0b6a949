#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/meters
mkdir -p "$(dirname 'meters.py')"
cat > 'meters.py' <<'NWEOF'
"""Imports smart-meter readings into the billing store."""
from nwlib.v2 import log
from nwlib.v2.retry import RetryError, retry
from nwlib.v2.store import Store


class BadReading(ValueError):
    pass


def import_readings(db_path, readings, fetch_tariff):
    """Store each reading with its cost.  Stops at the first bad reading; readings stored
    before it stay stored.  fetch_tariff(meter) -> cents per kWh (flaky network call)."""
    with Store(db_path) as s:
        for r in readings:
            if r["kwh"] < 0:
                raise BadReading("negative reading for %s" % r["meter"])
            try:
                tariff = retry(lambda: fetch_tariff(r["meter"]), attempts=2, backoff_ms=2000)
            except RetryError as e:
                raise e.last
            s.put(r["meter"], {"kwh": r["kwh"], "cost_cents": round(r["kwh"] * tariff)})
            s.commit()  # v1 saved after every put
            log.event("stored %s" % r["meter"], level="info")
    return len(readings)


def total_cost(db_path):
    with Store(db_path) as s:
        return sum(s.get(k)["cost_cents"] for k in s.keys())
NWEOF
nw-migrate --check .
