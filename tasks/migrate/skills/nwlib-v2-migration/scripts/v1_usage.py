#!/usr/bin/env python3
"""List nwlib.v1 usage in a project: imports (all styles) and the v1 calls that need manual care.
usage: v1_usage.py [PATH]"""
import ast
import os
import sys

MANUAL = {"to_display": "money.fmt(money.cents(x))", "quote": "quote(zone, units.lb_to_kg(lb)) -> cents",
          "open_store": "with Store(p) as s; commit() if progress must survive errors", "call_with_retry": "attempts=times+1, backoff_ms=delay*1000, RetryError.last",
          "parse_date": 'parse(s, fmt="dmy")', "emit": "event(msg, level=lvl)", "close": "(drop: context manager)"}
root = sys.argv[1] if len(sys.argv) > 1 else "."
for d, dirs, files in os.walk(root):
    dirs[:] = [x for x in dirs if not x.startswith(".") and x != "__pycache__"]
    for f in sorted(files):
        if not f.endswith(".py"):
            continue
        p = os.path.join(d, f)
        tree = ast.parse(open(p, encoding="utf-8").read())
        for n in ast.walk(tree):
            if isinstance(n, ast.Import) and any(a.name.startswith("nwlib.v1") for a in n.names):
                print("%s:%d import (manual: nw-migrate skips this style): %s" % (p, n.lineno, ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in n.names)))
            elif isinstance(n, ast.ImportFrom) and n.module and (n.module.startswith("nwlib.v1") or (n.module == "nwlib" and any(a.name == "v1" for a in n.names))):
                print("%s:%d from %s import %s" % (p, n.lineno, n.module, ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in n.names)))
            elif isinstance(n, ast.Call):
                name = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", None)
                if name in MANUAL:
                    print("%s:%d call %s -> %s" % (p, n.lineno, name, MANUAL[name]))
