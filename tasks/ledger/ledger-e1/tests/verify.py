"""ledger-e1: expected balances recomputed by the generator from the input files."""
import csv, json, sys
from decimal import Decimal
sys.path.insert(0, "/tests")
from vlib import Checks

want = {k: Decimal(v) for k, v in json.load(open("/tests/expected.json"))["balances_jpy"].items() if v != 0}
C = Checks()
got = {}


def parse():
    with open("/output/kyoto_q1.csv", newline="") as f:
        for row in csv.DictReader(f):
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            k = "%s|%s" % (row["account"], row["cost_centre"])
            got[k] = got.get(k, Decimal(0)) + Decimal(row["balance"].replace(",", ""))
    return bool(got), "%d rows" % len(got)


if C.run("output_parses", parse):
    nz = {k: v for k, v in got.items() if v != 0}
    C.add("pairs", set(nz) == set(want), "missing %s extra %s" % (sorted(set(want) - set(nz))[:8], sorted(set(nz) - set(want))[:8]))
    bad = {k: (str(got.get(k)), str(v)) for k, v in want.items() if abs(got.get(k, Decimal(0)) - v) > Decimal("0.5")}
    C.add("balances_jpy", not bad, "wrong (got, expected): %s" % dict(list(bad.items())[:8]))
C.finish()
