"""Hidden behaviour scenario (run by runner.py on the original and on the migrated program)."""
import contextlib
import importlib
import io
import json
import os
import shutil
import sys
import tempfile

DATA = {
 "bookings": [
  [
   "MV Corran",
   "B2",
   "21/09/2024"
  ],
  [
   "MV Corran",
   "B2",
   "19/01/2024"
  ],
  [
   "MV Corran",
   "B2",
   "02/07/2024"
  ],
  [
   "MV Fenna",
   "B3",
   "02/07/2024"
  ],
  [
   "MV Dunmore",
   "B3",
   "19/01/2024"
  ],
  [
   "MV Dunmore",
   "B3",
   "21/09/2024"
  ],
  [
   "MV Eider",
   "B3",
   "02/07/2024"
  ],
  [
   "MV Dunmore",
   "B1",
   "21/09/2024"
  ],
  [
   "MV Eider",
   "B1",
   "19/01/2024"
  ]
 ],
 "days": [
  "19/01/2024",
  "21/09/2024",
  "02/07/2024"
 ]
}


def capture(fn, *a, **kw):
    """(return value or exception name+message, stdout, stderr)"""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            value = fn(*a, **kw)
        except Exception as e:  # noqa: BLE001
            value = {"raised": type(e).__name__, "message": str(e)}
    return value, out.getvalue(), err.getvalue()


def store_dump(path):
    """Contents of a store file written by nwlib.v1 (plain JSON) or nwlib.v2 (format 2)."""
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        raw = json.load(fh)
    return raw["data"] if isinstance(raw, dict) and raw.get("_format") == 2 else raw


def run(root):
    berths = importlib.import_module("dockyard.berths")
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "berths.json")
    res = {"bookings": [capture(berths.book, db, *b)[::2] for b in DATA["bookings"]]}
    res["schedules"] = [capture(berths.schedule, db, d)[0] for d in DATA["days"]]
    res["store"] = store_dump(db)
    shutil.rmtree(tmp)
    return res
