#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/routing
mkdir -p "$(dirname 'routing/planner.py')"
cat > 'routing/planner.py' <<'NWEOF'
"""Route planning state: which parcels are assigned to which run."""
from nwlib.v2 import dates, log, store


def assign(db_path, parcel_id, run, ship_date):
    """Assign a parcel to a run on ship_date (DD/MM/YYYY). Returns the run's parcel count."""
    d = dates.parse(ship_date, fmt="dmy")
    with store.Store(db_path) as s:
        key = "%s@%s" % (run, d.isoformat())
        parcels = s.get(key, [])
        if parcel_id in parcels:
            log.event("%s already on %s" % (parcel_id, key), level="warning")
        else:
            parcels = parcels + [parcel_id]
            s.put(key, parcels)
            log.event("%s -> %s" % (parcel_id, key), level="info")
    return len(parcels)


def manifest(db_path, run, ship_date):
    with store.Store(db_path) as s:
        out = s.get("%s@%s" % (run, dates.parse(ship_date, fmt="dmy").isoformat()), [])
    return sorted(out)
NWEOF
mkdir -p "$(dirname 'routing/rates.py')"
cat > 'routing/rates.py' <<'NWEOF'
"""Parcel rates per carrier zone."""
from nwlib.v2 import money, units
from nwlib.v2.shipping import quote as parcel_quote

HANDLING = {"standard": 0, "fragile": 250, "cold": 475}  # cents


def parcel_cost_cents(weight_lb, zone, handling="standard"):
    return parcel_quote(zone, units.lb_to_kg(weight_lb)) + HANDLING[handling]


def parcel_cost(weight_lb, zone, handling="standard"):
    """Cost in dollars of one parcel."""
    return parcel_cost_cents(weight_lb, zone, handling) / 100.0


def rate_card(weight_lb, handling="standard"):
    """Display prices of a parcel for every zone."""
    return {z: money.fmt(parcel_cost_cents(weight_lb, z, handling)) for z in ("A", "B", "C", "D")}
NWEOF
mkdir -p "$(dirname 'tests/test_rates.py')"
cat > 'tests/test_rates.py' <<'NWEOF'
import unittest

from nwlib.v2 import money
from routing import rates


class RatesTest(unittest.TestCase):
    def test_handling_adds(self):
        self.assertAlmostEqual(rates.parcel_cost(2.0, "A", "fragile") - rates.parcel_cost(2.0, "A"), 2.5)

    def test_rate_card_has_all_zones(self):
        card = rates.rate_card(1.0)
        self.assertEqual(sorted(card), ["A", "B", "C", "D"])
        self.assertTrue(all(v.startswith("$") for v in card.values()))
        self.assertEqual(card["A"], money.fmt(money.cents(rates.parcel_cost(1.0, "A"))))
NWEOF
nw-migrate --check .
