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
 "batches": [
  [
   [
    [
     "R19610",
     "09/06/2024",
     "114.36",
     "no",
     89.58,
     "X"
    ],
    [
     "R84485",
     "12/05/2024",
     "164.52",
     "no",
     178.88,
     "A"
    ],
    [
     "R97833",
     "27/06/2024",
     "387.31",
     "no",
     76.28,
     "A"
    ],
    [
     "R38808",
     "09/05/2024",
     "87.57",
     "no",
     231.81,
     "X"
    ],
    [
     "R35511",
     "24/05/2024",
     "154.67",
     "no",
     247.05,
     "C"
    ],
    [
     "R32325",
     "12/05/2024",
     "222.71",
     "no",
     219.7,
     "X"
    ]
   ],
   "23/06/2024"
  ],
  [
   [
    [
     "R52758",
     "12/06/2024",
     "6.12",
     "yes",
     183.67,
     "C"
    ],
    [
     "R54904",
     "21/05/2024",
     "210.40",
     "no",
     186.7,
     "A"
    ],
    [
     "R43171",
     "13/05/2024",
     "208.19",
     "yes",
     192.22,
     "D"
    ],
    [
     "R44452",
     "09/06/2024",
     "372.89",
     "yes",
     195.38,
     "X"
    ],
    [
     "R83697",
     "04/06/2024",
     "211.70",
     "yes",
     242.31,
     "B"
    ],
    [
     "R43942",
     "09/05/2024",
     "112.75",
     "no",
     23.29,
     "D"
    ]
   ],
   "16/06/2024"
  ],
  [
   [
    [
     "R15936",
     "18/06/2024",
     "72.31",
     "yes",
     15.03,
     "X"
    ],
    [
     "R34337",
     "02/06/2024",
     "134.34",
     "no",
     163.91,
     "A"
    ],
    [
     "R58038",
     "28/05/2024",
     "369.82",
     "yes",
     193.09,
     "D"
    ],
    [
     "R08417",
     "24/06/2024",
     "78.35",
     "yes",
     189.08,
     "B"
    ],
    [
     "R89642",
     "13/06/2024",
     "61.43",
     "yes",
     197.68,
     "B"
    ],
    [
     "R70903",
     "13/06/2024",
     "74.41",
     "yes",
     248.15,
     "A"
    ]
   ],
   "15/06/2024"
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
    rt = importlib.import_module("returns")
    tmp = tempfile.mkdtemp()
    res = {}
    for i, (rows, today) in enumerate(DATA["batches"]):
        p = os.path.join(tmp, "returns%d.csv" % i)
        with open(p, "w") as fh:
            fh.write("order,bought,price,opened,weight_oz,zone\n")
            for r in rows:
                fh.write(",".join(str(x) for x in r) + "\n")
        value, out, err = capture(rt.process, p, today)
        res["batch_%d" % i] = {"slips": value, "stderr": err}
    shutil.rmtree(tmp)
    return res
