#!/usr/bin/env python3
"""Run a callable of the project and print its result, stdout, stderr and retry waits as JSON, so
the same call can be compared before and after the migration (nwlib.v2.clock.sleep is recorded,
not slept). usage: snapshot.py PROJECT_DIR module:function 'json args'
  e.g. snapshot.py . invoice:invoice_lines '[{"items": [], "weight_lb": 1.2, "zone": "A"}]'"""
import contextlib
import importlib
import io
import json
import sys

root, target, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3] if len(sys.argv) > 3 else "[]")
sys.path.insert(0, root)
import nwlib.v2.clock as clock  # noqa: E402
waits = []
clock.sleep = waits.append
mod, fn = target.split(":")
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        value = getattr(importlib.import_module(mod), fn)(*args)
    except Exception as e:  # noqa: BLE001
        value = {"raised": type(e).__name__, "message": str(e)}
print(json.dumps({"value": value, "stdout": out.getvalue(), "stderr": err.getvalue(), "waits": waits}, indent=1, default=str, sort_keys=True))
