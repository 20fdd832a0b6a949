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
 "checkouts": [
  [
   [
    [
     287.95,
     4
    ],
    [
     86.51,
     11
    ]
   ],
   9.81,
   "D"
  ],
  [
   [
    [
     132.82,
     8
    ]
   ],
   34.25,
   "C"
  ],
  [
   [
    [
     278.34,
     2
    ],
    [
     128.3,
     7
    ],
    [
     42.0,
     8
    ],
    [
     21.78,
     2
    ],
    [
     163.6,
     11
    ]
   ],
   37.66,
   "B"
  ],
  [
   [
    [
     185.4,
     10
    ],
    [
     29.83,
     9
    ],
    [
     180.45,
     10
    ]
   ],
   15.42,
   "X"
  ],
  [
   [
    [
     116.32,
     7
    ],
    [
     124.13,
     3
    ]
   ],
   2.49,
   "X"
  ],
  [
   [
    [
     214.1,
     6
    ],
    [
     154.36,
     7
    ],
    [
     240.83,
     10
    ],
    [
     41.05,
     3
    ]
   ],
   3.46,
   "B"
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
    pricing = importlib.import_module("tallyman.pricing")
    return {"summary_%d" % i: capture(pricing.checkout_summary, items, w, z)[0]
            for i, (items, w, z) in enumerate(DATA["checkouts"])}
