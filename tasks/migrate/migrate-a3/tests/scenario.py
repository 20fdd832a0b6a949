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
   "batches": [
    {
     "id": "B033",
     "records": [
      0,
      1,
      2,
      3
     ]
    },
    {
     "id": "B993",
     "records": [
      0,
      1,
      2,
      3
     ]
    },
    {
     "id": "B095",
     "records": [
      0,
      1,
      2,
      3,
      4
     ]
    },
    {
     "id": "B581",
     "records": [
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8
     ]
    }
   ],
   "failures": {
    "B033": 2,
    "B095": 2,
    "B581": 2,
    "B993": 0
   }
  },
  {
   "batches": [
    {
     "id": "B809",
     "records": [
      0,
      1
     ]
    },
    {
     "id": "B263",
     "records": [
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8
     ]
    },
    {
     "id": "B557",
     "records": [
      0
     ]
    },
    {
     "id": "B609",
     "records": [
      0,
      1
     ]
    }
   ],
   "failures": {
    "B263": 2,
    "B557": 0,
    "B609": 2,
    "B809": 4
   }
  },
  {
   "batches": [
    {
     "id": "B297",
     "records": [
      0
     ]
    },
    {
     "id": "B843",
     "records": [
      0,
      1,
      2,
      3,
      4,
      5,
      6
     ]
    },
    {
     "id": "B287",
     "records": [
      0
     ]
    },
    {
     "id": "B235",
     "records": [
      0,
      1,
      2,
      3
     ]
    }
   ],
   "failures": {
    "B235": 0,
    "B287": 0,
    "B297": 1,
    "B843": 0
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


class Client:
    def __init__(self, plan):
        self.plan = dict(plan)
        self.calls = []

    def send(self, batch):
        self.calls.append(batch["id"])
        left = self.plan.get(batch["id"], 0)
        if left:
            self.plan[batch["id"]] = left - 1
            raise (ConnectionResetError if left % 2 else ConnectionError)("gateway %s unavailable" % batch["id"])
        return len(batch["records"])


def run(root):
    sy = importlib.import_module("syncer")
    res = {}
    for i, case in enumerate(DATA["cases"]):
        c = Client(case["failures"])
        value, out, err = capture(sy.sync, c, case["batches"])
        res["case_%d" % i] = {"result": value, "stderr": err, "calls": c.calls}
    return res
