"""warehouse-e3 (composition): both sides recomputed by the generator (reference SQL + independent FLX
decoding); 0.01 EUR tolerance."""
import csv, json, re, sys
from decimal import Decimal
sys.path.insert(0, "/tests")
from vlib import Checks
want = {p: (Decimal(w) / 100, Decimal(g) / 100) for p, w, g in json.load(open("/tests/expected.json"))["rows"]}
C = Checks(); got = {}
def parse():
    for row in csv.DictReader(open("/output/recon.csv", newline="")):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        p = re.sub(r"\s", "", row["period"]).upper()
        got[p] = tuple(Decimal(row[c].replace(",", "")) for c in ("warehouse_net_sales_eur", "gl_product_sales_eur", "difference_eur"))
    return set(got) == set(want), "periods %s" % sorted(got)
if C.run("periods", parse):
    t = Decimal("0.01")
    C.add("warehouse_side", all(abs(got[p][0] - w) <= t for p, (w, g) in want.items()),
          "got %s expected %s" % ([str(got[p][0]) for p in sorted(want)], [str(want[p][0]) for p in sorted(want)]))
    C.add("ledger_side", all(abs(got[p][1] - g) <= t for p, (w, g) in want.items()),
          "got %s expected %s" % ([str(got[p][1]) for p in sorted(want)], [str(want[p][1]) for p in sorted(want)]))
    C.add("difference", all(abs(got[p][2] - (w - g)) <= t for p, (w, g) in want.items()), "difference = warehouse - ledger")
C.finish()
