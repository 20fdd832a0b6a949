"""Retrying calls.  v2 counts *attempts* (total calls), and backoff is in milliseconds."""
from . import clock


class RetryError(Exception):
    """Raised when all attempts failed; .last holds the last exception."""

    def __init__(self, attempts, last):
        super().__init__("gave up after %d attempt(s): %r" % (attempts, last))
        self.attempts = attempts
        self.last = last


def retry(fn, attempts=3, backoff_ms=500, retry_on=(Exception,)):
    """Call fn() up to `attempts` times in total, sleeping backoff_ms milliseconds between tries.

    Raises RetryError (not the original exception) when every attempt failed.
    """
    if attempts < 1:
        raise ValueError("attempts must be >= 1")
    last = None
    for i in range(attempts):
        try:
            return fn()
        except retry_on as e:  # noqa: PERF203
            last = e
            if i + 1 < attempts:
                clock.sleep(backoff_ms / 1000.0)
    raise RetryError(attempts, last)
