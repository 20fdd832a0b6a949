#!/bin/bash
# Oracle: the hand-migrated program (see the migration guide); then the CI gate.
set -euo pipefail
cd /root/syncer
mkdir -p "$(dirname 'syncer.py')"
cat > 'syncer.py' <<'NWEOF'
"""Pushes batches of records to the warehouse API, with retries."""
from nwlib.v2 import log as nwlog
from nwlib.v2 import retry as nwretry


def push_batch(client, batch):
    """Send one batch; True when it was accepted."""
    def send():
        return client.send(batch)

    try:
        n = nwretry.retry(send, attempts=4, backoff_ms=250)
    except nwretry.RetryError as e:
        if not isinstance(e.last, ConnectionError):
            raise e.last
        nwlog.event("batch %s failed: %s" % (batch["id"], e.last), level="error")
        return False
    nwlog.event("batch %s sent (%d records)" % (batch["id"], n), level="info")
    return True


def sync(client, batches):
    ok = [push_batch(client, b) for b in batches]
    nwlog.event("%d/%d batches sent" % (sum(ok), len(ok)), level="warning" if not all(ok) else "info")
    return ok
NWEOF
nw-migrate --check .
