"""Route planning state: which parcels are assigned to which run."""
from nwlib.v1 import dates, log, store


def assign(db_path, parcel_id, run, ship_date):
    """Assign a parcel to a run on ship_date (DD/MM/YYYY). Returns the run's parcel count."""
    d = dates.parse_date(ship_date)
    s = store.open_store(db_path)
    key = "%s@%s" % (run, d.isoformat())
    parcels = s.get(key, [])
    if parcel_id in parcels:
        log.emit("warning", "%s already on %s" % (parcel_id, key))
    else:
        parcels = parcels + [parcel_id]
        s.put(key, parcels)
        log.emit("info", "%s -> %s" % (parcel_id, key))
    s.close()
    return len(parcels)


def manifest(db_path, run, ship_date):
    s = store.open_store(db_path)
    out = s.get("%s@%s" % (run, dates.parse_date(ship_date).isoformat()), [])
    s.close()
    return sorted(out)
