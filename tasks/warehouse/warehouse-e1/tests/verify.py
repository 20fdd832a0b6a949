"""warehouse-e1 (PostgreSQL transfer): (re)start the local cluster with the image's nw-pg, query the view
with psql, compare with the generator's reference result (computed in SQLite on the same data)."""
import csv, io, json, subprocess, sys
sys.path.insert(0, "/tests")
from vlib import Checks
want = {(fy, w, r): v for fy, w, r, v in json.load(open("/tests/expected.json"))["rows"]}
C = Checks()
PSQL = ["psql", "-X", "-U", "postgres", "-h", "/var/run/postgresql", "--csv", "-d", "northwind", "-c"]
def start():
    p = subprocess.run(["nw-pg", "start"], capture_output=True, text=True, timeout=120)
    return p.returncode == 0, (p.stdout + p.stderr)[-300:]
got = {}
def view():
    p = subprocess.run(PSQL + ["SELECT fiscal_year, fiscal_week, region, net_sales_cents FROM rpt_sales__region_fweek"],
                       capture_output=True, text=True, timeout=60)
    if p.returncode:
        return False, p.stderr[-300:]
    for r in csv.DictReader(io.StringIO(p.stdout)):
        k = (int(r["fiscal_year"]), int(r["fiscal_week"]), r["region"])
        got[k] = got.get(k, 0) + int(r["net_sales_cents"])
    return True, "%d rows" % len(got)
if C.run("postgres_up", start) and C.run("view_queryable", view):
    C.add("groups", set(got) == set(want), "missing %d extra %d" % (len(set(want) - set(got)), len(set(got) - set(want))))
    bad = {str(k): (got.get(k), v) for k, v in want.items() if abs(got.get(k, 0) - v) > 2}
    C.add("net_sales", not bad, "%d wrong groups, e.g. %s" % (len(bad), dict(list(bad.items())[:4])))
    def reg():
        p = subprocess.run(PSQL + ["SELECT owner FROM meta_view_registry WHERE view_name = 'rpt_sales__region_fweek'"],
                           capture_output=True, text=True, timeout=60)
        return p.returncode == 0 and "sales-analytics" in p.stdout.split(), (p.stdout + p.stderr)[-200:]
    C.run("registered_via_whq", reg)
C.finish()
