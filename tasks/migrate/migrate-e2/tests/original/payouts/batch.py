"""Pays couriers through the bank gateway and remembers what was paid."""
from nwlib.v1.retry import call_with_retry
from nwlib.v1.store import open_store


def pay_all(db_path, gateway, payouts):
    """Pay each {"courier", "cents"} once; returns the couriers paid in this run."""
    s = open_store(db_path)
    paid = []
    for p in payouts:
        if s.get(p["courier"]):
            continue
        ref = call_with_retry(lambda: gateway.transfer(p["courier"], p["cents"]), times=2, delay=1.5)
        s.put(p["courier"], ref)
        paid.append(p["courier"])
    s.close()
    return paid
