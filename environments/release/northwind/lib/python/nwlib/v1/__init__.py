"""nwlib.v1 - END OF LIFE (sunset 2024-06-30).  Use nwlib.v2.

This package is a compatibility shim over nwlib.v2 kept only so that old jobs keep running
until they are migrated.  Migration guide: /opt/northwind/wiki/platform/nwlib-v2-migration.md
Helper: nw-migrate(1).
"""
import warnings

warnings.warn("nwlib.v1 is end-of-life; migrate to nwlib.v2 (see nw-migrate(1))", DeprecationWarning, stacklevel=2)
__version__ = "1.9.4"
