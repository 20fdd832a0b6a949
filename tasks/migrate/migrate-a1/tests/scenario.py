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
 "orders": [
  {
   "items": [
    {
     "qty": 35,
     "sku": "SKU-3191",
     "unit_price": 831.62
    },
    {
     "qty": 4,
     "sku": "SKU-7654",
     "unit_price": 597.29
    },
    {
     "qty": 39,
     "sku": "SKU-3515",
     "unit_price": 199.92
    },
    {
     "qty": 32,
     "sku": "SKU-4728",
     "unit_price": 623.33
    },
    {
     "qty": 22,
     "sku": "SKU-3480",
     "unit_price": 874.01
    }
   ],
   "weight_lb": 4.5,
   "zone": "B"
  },
  {
   "items": [
    {
     "qty": 29,
     "sku": "SKU-1456",
     "unit_price": 693.02
    },
    {
     "qty": 13,
     "sku": "SKU-6005",
     "unit_price": 424.78
    }
   ],
   "weight_lb": 19.76,
   "zone": "D"
  },
  {
   "items": [
    {
     "qty": 5,
     "sku": "SKU-3413",
     "unit_price": 387.42
    },
    {
     "qty": 14,
     "sku": "SKU-4986",
     "unit_price": 100.16
    },
    {
     "qty": 18,
     "sku": "SKU-5383",
     "unit_price": 355.48
    },
    {
     "qty": 15,
     "sku": "SKU-6215",
     "unit_price": 380.96
    }
   ],
   "weight_lb": 24.45,
   "zone": "D"
  },
  {
   "items": [
    {
     "qty": 14,
     "sku": "SKU-7604",
     "unit_price": 481.81
    }
   ],
   "weight_lb": 20.93,
   "zone": "A"
  },
  {
   "items": [
    {
     "qty": 1,
     "sku": "SKU-5892",
     "unit_price": 236.23
    },
    {
     "qty": 3,
     "sku": "SKU-2513",
     "unit_price": 388.89
    },
    {
     "qty": 5,
     "sku": "SKU-4551",
     "unit_price": 687.36
    }
   ],
   "weight_lb": 24.46,
   "zone": "C"
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


def run(root):
    inv = importlib.import_module("invoice")
    res = {}
    tmp = tempfile.mkdtemp()
    for i, order in enumerate(DATA["orders"]):
        res["lines_%d" % i] = capture(inv.invoice_lines, order)[0]
        p = os.path.join(tmp, "order%d.json" % i)
        with open(p, "w") as fh:
            json.dump(order, fh)
        res["main_%d" % i] = capture(inv.main, ["invoice.py", p])[:2]
    shutil.rmtree(tmp)
    return res
