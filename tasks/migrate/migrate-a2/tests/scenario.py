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
 "deliveries": [
  [
   "NUT-92",
   448,
   "07/04/2024"
  ],
  [
   "GEAR-70",
   204,
   "02/07/2024"
  ],
  [
   "NUT-92",
   436,
   "15/01/2024"
  ],
  [
   "GEAR-70",
   167,
   "07/04/2024"
  ],
  [
   "NUT-92",
   323,
   "20/11/2024"
  ],
  [
   "GEAR-70",
   99,
   "28/07/2024"
  ],
  [
   "NUT-92",
   244,
   "05/07/2024"
  ],
  [
   "NUT-92",
   382,
   "23/12/2024"
  ],
  [
   "GEAR-70",
   19,
   "17/04/2024"
  ]
 ],
 "skus": [
  "BOLT-59",
  "NUT-92",
  "GEAR-70"
 ],
 "stale_queries": [
  [
   "25/05/2025",
   400
  ],
  [
   "16/08/2025",
   200
  ],
  [
   "02/03/2025",
   30
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
    st = importlib.import_module("stockroom")
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "stock.json")
    res = {"deliveries": [capture(st.record_delivery, db, *d)[0] for d in DATA["deliveries"]]}
    res["levels"] = {sku: capture(st.stock_level, db, sku)[0] for sku in DATA["skus"] + ["UNKNOWN-1"]}
    res["stale"] = [capture(st.stale_skus, db, t, n)[0] for t, n in DATA["stale_queries"]]
    res["store"] = store_dump(db)
    bad = capture(st.record_delivery, db, DATA["skus"][0], 1, "2024-13-45")[0]
    res["bad_date"] = bad.get("raised") if isinstance(bad, dict) and "raised" in bad else "no error"
    shutil.rmtree(tmp)
    return res
