"""ledger-a1: recomputed expected balances (tests/expected.json, produced by the generator from the
input file) vs /output/balances.csv. Accepts any row order, extra zero-balance rows, 0.005 tolerance."""
import csv, json, sys
from decimal import Decimal
sys.path.insert(0, "/tests")
from vlib import Checks

exp = json.load(open("/tests/expected.json"))
want = {k: Decimal(v) / 100 for k, v in exp["balances_minor"].items() if v != 0}
C = Checks()
got = {}


def parse():
    with open("/output/balances.csv", newline="") as f:
        rd = csv.DictReader(f)
        cols = [c.strip().lower() for c in rd.fieldnames or []]
        if "account" not in cols or "balance" not in cols:
            return False, "header must contain account,balance (got %s)" % rd.fieldnames
        for row in rd:
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            got[row["account"]] = got.get(row["account"], Decimal(0)) + Decimal(row["balance"].replace(",", ""))
    return True, "%d rows" % len(got)


if C.run("output_parses", parse):
    nz = {k: v for k, v in got.items() if v != 0}
    C.add("accounts", set(nz) == set(want), "missing %s extra %s" % (sorted(set(want) - set(nz)), sorted(set(nz) - set(want))))
    bad = {k: (str(got.get(k)), str(v)) for k, v in want.items() if abs(got.get(k, Decimal(0)) - v) > Decimal("0.005")}
    C.add("balances", not bad, "wrong (got, expected): %s" % bad)
C.finish()
