"""v1 retry: `times` is the number of RETRIES (total calls = times + 1); `delay` in seconds."""
from nwlib.v2 import clock as _clock


def call_with_retry(fn, times=2, delay=0.5):
    """Call fn(); on exception retry up to `times` more times, sleeping `delay` seconds.

    When every call failed, the last exception is re-raised unchanged.
    """
    for i in range(times + 1):
        try:
            return fn()
        except Exception:
            if i == times:
                raise
            _clock.sleep(delay)
