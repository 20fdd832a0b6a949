"""warehouse-a2: the view is queried; expected rows from the generator's reference SQL on the
pristine data (facts are read-only for this task). Registration is checked in meta_view_registry."""
import json, sqlite3, sys
sys.path.insert(0, "/tests")
from vlib import Checks
want = {(fy, w, c): v for fy, w, c, v in json.load(open("/tests/expected.json"))["rows"]}
C = Checks(); con = sqlite3.connect("/data/warehouse.db"); got = {}
def view():
    cur = con.execute("SELECT fiscal_year, fiscal_week, category, net_sales_cents FROM rpt_sales__category_fweek")
    for fy, w, c, v in cur:
        got[(int(fy), int(w), c)] = got.get((int(fy), int(w), c), 0) + int(v)
    return True, "%d rows" % len(got)
if C.run("view_queryable", view):
    C.add("groups", set(got) == set(want), "missing %d extra %d" % (len(set(want) - set(got)), len(set(got) - set(want))))
    bad = {"%s" % (k,): (got.get(k), v) for k, v in want.items() if abs(got.get(k, 0) - v) > 2}
    C.add("net_sales", not bad, "%d wrong groups, e.g. %s" % (len(bad), dict(list(bad.items())[:4])))
def reg():
    r = con.execute("SELECT owner, grain FROM meta_view_registry WHERE view_name = 'rpt_sales__category_fweek'").fetchone()
    return bool(r) and r[0] == "sales-analytics", "registry row: %s" % (r,)
C.run("registered_via_whq", reg)
C.finish()
