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
 "assign": [
  [
   "P003",
   "south",
   "01/09/2024"
  ],
  [
   "P003",
   "harbour",
   "20/02/2024"
  ],
  [
   "P011",
   "north",
   "13/02/2024"
  ],
  [
   "P001",
   "harbour",
   "22/08/2024"
  ],
  [
   "P003",
   "harbour",
   "01/03/2024"
  ],
  [
   "P022",
   "harbour",
   "24/11/2024"
  ],
  [
   "P003",
   "south",
   "01/09/2024"
  ]
 ],
 "cards": [
  [
   7.51,
   "standard"
  ],
  [
   36.7,
   "cold"
  ],
  [
   5.47,
   "fragile"
  ]
 ],
 "costs": [
  [
   29.84,
   "A",
   "fragile"
  ],
  [
   13.72,
   "B",
   "standard"
  ],
  [
   2.28,
   "A",
   "fragile"
  ],
  [
   39.61,
   "D",
   "cold"
  ],
  [
   6.66,
   "D",
   "standard"
  ]
 ],
 "manifests": [
  [
   "south",
   "01/09/2024"
  ],
  [
   "harbour",
   "20/02/2024"
  ],
  [
   "north",
   "13/02/2024"
  ]
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
    rates = importlib.import_module("routing.rates")
    planner = importlib.import_module("routing.planner")
    res = {"cards": [capture(rates.rate_card, w, h)[0] for w, h in DATA["cards"]],
           "costs": [round(capture(rates.parcel_cost, w, z, h)[0], 6) for w, z, h in DATA["costs"]]}
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "plan.json")
    res["assign"] = [capture(planner.assign, db, *a)[::2] for a in DATA["assign"]]
    res["manifests"] = [capture(planner.manifest, db, r, d)[0] for r, d in DATA["manifests"]]
    res["store"] = store_dump(db)
    shutil.rmtree(tmp)
    return res
