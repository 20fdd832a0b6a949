"""Berth bookings."""
from nwlib.v1 import log
from nwlib.v1.dates import parse_date
from nwlib.v1.store import open_store


def book(db_path, vessel, berth, arrival):
    """Book `berth` for `vessel` on `arrival` (DD/MM/YYYY). Returns the booking key, or None
    when the berth is already taken that day."""
    d = parse_date(arrival)
    s = open_store(db_path)
    key = "%s/%s" % (berth, d.isoformat())
    if s.get(key) is not None:
        log.emit("warning", "%s taken on %s" % (berth, d.isoformat()))
        s.close()
        return None
    s.put(key, vessel)
    log.emit("info", "%s booked %s" % (vessel, key))
    s.close()
    return key


def schedule(db_path, day):
    """{berth: vessel} for a day (DD/MM/YYYY)."""
    d = parse_date(day)
    s = open_store(db_path)
    out = {k.split("/")[0]: s.get(k) for k in s.keys() if k.endswith("/" + d.isoformat())}
    s.close()
    return out
