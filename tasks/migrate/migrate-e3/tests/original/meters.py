"""Imports smart-meter readings into the billing store."""
from nwlib.v1 import log
from nwlib.v1.retry import call_with_retry
from nwlib.v1.store import open_store


class BadReading(ValueError):
    pass


def import_readings(db_path, readings, fetch_tariff):
    """Store each reading with its cost.  Stops at the first bad reading; readings stored
    before it stay stored.  fetch_tariff(meter) -> cents per kWh (flaky network call)."""
    s = open_store(db_path)
    try:
        for r in readings:
            if r["kwh"] < 0:
                raise BadReading("negative reading for %s" % r["meter"])
            tariff = call_with_retry(lambda: fetch_tariff(r["meter"]), times=1, delay=2)
            s.put(r["meter"], {"kwh": r["kwh"], "cost_cents": round(r["kwh"] * tariff)})
            log.emit("info", "stored %s" % r["meter"])
    finally:
        s.close()
    return len(readings)


def total_cost(db_path):
    s = open_store(db_path)
    total = sum(s.get(k)["cost_cents"] for k in s.keys())
    s.close()
    return total
