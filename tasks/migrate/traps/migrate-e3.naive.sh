#!/bin/bash
# Negative control (not a trap task): a plausible but naive migration -- the nw-migrate renames
# with values copied as-is (attempts=1, backoff_ms=2), Store used as a context manager that only
# commits at the end, and RetryError leaking instead of the original exception.
# Caught by: behaviour:case_* (stored readings lost on BadReading, TimeoutError vs RetryError)
# and behaviour:retry_waits.
set -euo pipefail
cd /root/meters
cat > meters.py <<'PY'
"""Imports smart-meter readings into the billing store."""
from nwlib.v2 import log
from nwlib.v2.retry import retry
from nwlib.v2.store import Store


class BadReading(ValueError):
    pass


def import_readings(db_path, readings, fetch_tariff):
    with Store(db_path) as s:
        for r in readings:
            if r["kwh"] < 0:
                raise BadReading("negative reading for %s" % r["meter"])
            tariff = retry(lambda: fetch_tariff(r["meter"]), attempts=1, backoff_ms=2)
            s.put(r["meter"], {"kwh": r["kwh"], "cost_cents": round(r["kwh"] * tariff)})
            log.event("stored %s" % r["meter"], level="info")
    return len(readings)


def total_cost(db_path):
    with Store(db_path) as s:
        return sum(s.get(k)["cost_cents"] for k in s.keys())
PY
nw-migrate --check .
