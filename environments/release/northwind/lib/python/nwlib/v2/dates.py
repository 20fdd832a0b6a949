"""Date parsing.  v2 parses ISO 8601 (YYYY-MM-DD) by default; legacy day-first input needs fmt="dmy"."""
import datetime

_FORMATS = {"iso": "%Y-%m-%d", "dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y"}


def parse(text, fmt="iso"):
    """Parse a date string.  fmt: "iso" (2024-03-31), "dmy" (31/03/2024) or "mdy" (03/31/2024)."""
    if fmt not in _FORMATS:
        raise ValueError("unknown fmt %r" % (fmt,))
    return datetime.datetime.strptime(text.strip(), _FORMATS[fmt]).date()


def iso(d):
    return d.isoformat()
