"""nwlib - Northwind's shared Python library.

nwlib.v2 is the supported API.  nwlib.v1 is end-of-life (sunset 2024-06-30) and only
a thin compatibility shim over v2; see /opt/northwind/wiki/platform/nwlib-v2-migration.md.
"""
__all__ = ["v1", "v2"]
