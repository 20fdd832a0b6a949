"""nwlib.v2 - supported Northwind library API (money, shipping, store, retry, dates, log, units, clock)."""
__version__ = "2.3.0"
