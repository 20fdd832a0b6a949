"""ledger-a2: expected per-cost-centre EUR totals recomputed by the generator from the input
(tests/expected.json). Tolerance 0.5 EUR absorbs per-record rounding; every real mistake (wrong
minor units, a skipped reversal, a corrupted record counted) moves a total by several EUR."""
import csv, json, sys
from decimal import Decimal
sys.path.insert(0, "/tests")
from vlib import Checks

want = {k: Decimal(v) for k, v in json.load(open("/tests/expected.json"))["expenses_eur"].items()}
C = Checks()
got = {}


def parse():
    with open("/output/cc_expenses.csv", newline="") as f:
        rd = csv.DictReader(f)
        for row in rd:
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            got[row["cost_centre"]] = got.get(row["cost_centre"], Decimal(0)) + Decimal(row["expenses_eur"].replace(",", ""))
    return bool(got), "%d rows" % len(got)


if C.run("output_parses", parse):
    C.add("cost_centres", set(got) == set(want), "got %s expected %s" % (sorted(got), sorted(want)))
    bad = {k: (str(got.get(k)), str(v)) for k, v in want.items() if abs(got.get(k, Decimal(0)) - v) > Decimal("0.5")}
    C.add("expenses_eur", not bad, "wrong (got, expected): %s" % bad)
C.finish()
