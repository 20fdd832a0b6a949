#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/dockyard
mkdir -p "$(dirname 'dockyard/berths.py')"
cat > 'dockyard/berths.py' <<'NWEOF'
"""Berth bookings."""
from nwlib.v2 import log
from nwlib.v2.dates import parse
from nwlib.v2.store import Store


def book(db_path, vessel, berth, arrival):
    """Book `berth` for `vessel` on `arrival` (DD/MM/YYYY). Returns the booking key, or None
    when the berth is already taken that day."""
    d = parse(arrival, fmt="dmy")
    with Store(db_path) as s:
        key = "%s/%s" % (berth, d.isoformat())
        if s.get(key, None) is not None:
            log.event("%s taken on %s" % (berth, d.isoformat()), level="warning")
            return None
        s.put(key, vessel)
        log.event("%s booked %s" % (vessel, key), level="info")
    return key


def schedule(db_path, day):
    """{berth: vessel} for a day (DD/MM/YYYY)."""
    d = parse(day, fmt="dmy")
    with Store(db_path) as s:
        return {k.split("/")[0]: s.get(k) for k in s.keys() if k.endswith("/" + d.isoformat())}
NWEOF
nw-migrate --check .
python3 -m unittest discover -s tests -q
git add -A
git commit -q -m 'Migrate to nwlib.v2' -m 'nwlib.v1 is past its sunset.' -m 'Change-Type: chore
Ticket: NW-8120'
v=$(relx next)
echo "$v" > VERSION
relx changelog --write
git add -A
relx manifest --write
git add -A
git commit -q -m "Release dockyard $v" -m 'Change-Type: release'
relx cut
