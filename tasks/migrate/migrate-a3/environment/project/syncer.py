"""Pushes batches of records to the warehouse API, with retries."""
import nwlib.v1.log as nwlog
import nwlib.v1.retry as nwretry


def push_batch(client, batch):
    """Send one batch; True when it was accepted."""
    def send():
        return client.send(batch)

    try:
        n = nwretry.call_with_retry(send, times=3, delay=0.25)
    except ConnectionError as e:
        nwlog.emit("error", "batch %s failed: %s" % (batch["id"], e))
        return False
    nwlog.emit("info", "batch %s sent (%d records)" % (batch["id"], n))
    return True


def sync(client, batches):
    ok = [push_batch(client, b) for b in batches]
    nwlog.emit("warning" if not all(ok) else "info", "%d/%d batches sent" % (sum(ok), len(ok)))
    return ok
