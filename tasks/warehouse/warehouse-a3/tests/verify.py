"""warehouse-a3: expected set computed by the generator (half-open validity, active versions only)."""
import csv, json, sys
sys.path.insert(0, "/tests")
from vlib import Checks
want = {tuple(x) for x in json.load(open("/tests/expected.json"))["gold"]}
C = Checks(); got = set()
def parse():
    for row in csv.DictReader(open("/output/gold_customers.csv", newline="")):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        got.add((row["customer_id"], row["region"]))
    return True, "%d rows" % len(got)
if C.run("output_parses", parse):
    C.add("customers", {g[0] for g in got} == {w[0] for w in want}, "missing %s extra %s" % (
        sorted({w[0] for w in want} - {g[0] for g in got}), sorted({g[0] for g in got} - {w[0] for w in want})))
    C.add("regions", got == want, "wrong pairs: %s" % sorted(got ^ want)[:8])
C.finish()
