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
 "runs": [
  [
   [
    {
     "cents": 86993,
     "courier": "courier-48"
    },
    {
     "cents": 46405,
     "courier": "courier-57"
    },
    {
     "cents": 17982,
     "courier": "courier-04"
    },
    {
     "cents": 60021,
     "courier": "courier-24"
    }
   ],
   {
    "courier-57": 1
   }
  ],
  [
   [
    {
     "cents": 62715,
     "courier": "courier-04"
    },
    {
     "cents": 59854,
     "courier": "courier-24"
    },
    {
     "cents": 21942,
     "courier": "courier-43"
    },
    {
     "cents": 87997,
     "courier": "courier-28"
    }
   ],
   {
    "courier-28": 2
   }
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


class Gateway:
    def __init__(self, flaky):
        self.flaky = dict(flaky)
        self.calls = []

    def transfer(self, courier, cents):
        self.calls.append([courier, cents])
        if self.flaky.get(courier, 0):
            self.flaky[courier] -= 1
            raise ConnectionError("bank timeout")
        return "TX-%s-%d" % (courier, cents)


def run(root):
    batch = importlib.import_module("payouts.batch")
    report = importlib.import_module("payouts.report")
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "paid.json")
    res = {}
    for i, (payouts, flaky) in enumerate(DATA["runs"]):
        g = Gateway(flaky)
        res["run_%d" % i] = {"paid": capture(batch.pay_all, db, g, payouts)[0], "calls": g.calls, "store": store_dump(db)}
    res["statements"] = [capture(report.statement, p)[0] for p, _ in DATA["runs"]]
    shutil.rmtree(tmp)
    return res
