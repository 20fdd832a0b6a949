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
 "cases": [
  {
   "dead": [],
   "flaky": {},
   "readings": [
    {
     "kwh": 484,
     "meter": "M-0290"
    },
    {
     "kwh": 687,
     "meter": "M-9927"
    },
    {
     "kwh": 11,
     "meter": "M-5495"
    },
    {
     "kwh": 528,
     "meter": "M-8433"
    },
    {
     "kwh": 550,
     "meter": "M-8739"
    }
   ],
   "tariffs": {
    "M-0290": 35,
    "M-5495": 27,
    "M-8433": 21,
    "M-8739": 33,
    "M-9927": 39
   }
  },
  {
   "dead": [],
   "flaky": {
    "M-7658": 1
   },
   "readings": [
    {
     "kwh": 109,
     "meter": "M-7658"
    },
    {
     "kwh": 896,
     "meter": "M-0670"
    },
    {
     "kwh": 622,
     "meter": "M-1121"
    },
    {
     "kwh": -5,
     "meter": "M-4581"
    },
    {
     "kwh": 291,
     "meter": "M-7057"
    }
   ],
   "tariffs": {
    "M-0670": 32,
    "M-1121": 26,
    "M-4581": 40,
    "M-7057": 38,
    "M-7658": 38
   }
  },
  {
   "dead": [
    "M-3958"
   ],
   "flaky": {
    "M-7512": 1
   },
   "readings": [
    {
     "kwh": 387,
     "meter": "M-7512"
    },
    {
     "kwh": 637,
     "meter": "M-7278"
    },
    {
     "kwh": 296,
     "meter": "M-3958"
    },
    {
     "kwh": 516,
     "meter": "M-9057"
    },
    {
     "kwh": 464,
     "meter": "M-6560"
    }
   ],
   "tariffs": {
    "M-3958": 37,
    "M-6560": 20,
    "M-7278": 31,
    "M-7512": 21,
    "M-9057": 32
   }
  },
  {
   "dead": [],
   "flaky": {},
   "readings": [
    {
     "kwh": 19,
     "meter": "M-7567"
    },
    {
     "kwh": 474,
     "meter": "M-7891"
    },
    {
     "kwh": 653,
     "meter": "M-6322"
    },
    {
     "kwh": 692,
     "meter": "M-8200"
    },
    {
     "kwh": 354,
     "meter": "M-2937"
    }
   ],
   "tariffs": {
    "M-2937": 29,
    "M-6322": 27,
    "M-7567": 27,
    "M-7891": 37,
    "M-8200": 18
   }
  }
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


class Tariffs:
    def __init__(self, table, flaky, dead):
        self.table, self.flaky, self.dead = table, dict(flaky), set(dead)
        self.calls = []

    def __call__(self, meter):
        self.calls.append(meter)
        if meter in self.dead:
            raise TimeoutError("tariff service timeout for %s" % meter)
        if self.flaky.get(meter, 0):
            self.flaky[meter] -= 1
            raise ConnectionError("tariff service reset")
        return self.table[meter]


def run(root):
    m = importlib.import_module("meters")
    res = {}
    for i, case in enumerate(DATA["cases"]):
        tmp = tempfile.mkdtemp()
        db = os.path.join(tmp, "billing.json")
        t = Tariffs(case["tariffs"], case["flaky"], case["dead"])
        value, out, err = capture(m.import_readings, db, case["readings"], t)
        res["case_%d" % i] = {"result": value, "stderr": err, "calls": t.calls, "store": store_dump(db),
                              "total": capture(m.total_cost, db)[0] if os.path.exists(db) else None}
        shutil.rmtree(tmp)
    return res
