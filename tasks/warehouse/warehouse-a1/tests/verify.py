"""warehouse-a1: expected rows computed by the generator with the reference SQL on the pristine DB.
Order-insensitive; fiscal week accepted as FY2025-W10 / FY2025-W10 variants (W10, 10); +-2 cents."""
import csv, json, re, sys
sys.path.insert(0, "/tests")
from vlib import Checks
want = {("%d" % w, r): c for fy, w, r, c in json.load(open("/tests/expected.json"))["rows"]}
C = Checks(); got = {}
def parse():
    for row in csv.DictReader(open("/output/region_weekly.csv", newline="")):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        wk = str(int(re.findall(r"(\d+)\s*$", row["fiscal_week"])[0]))
        got[(wk, row["region"])] = got.get((wk, row["region"]), 0) + int(row["net_sales_cents"])
    return bool(got), "%d rows" % len(got)
if C.run("output_parses", parse):
    C.add("groups", set(got) == set(want), "missing %s extra %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    bad = {"%s/%s" % k: (got.get(k), v) for k, v in want.items() if abs(got.get(k, 0) - v) > 2}
    C.add("net_sales", not bad, "wrong (got, expected): %s" % bad)
C.finish()
