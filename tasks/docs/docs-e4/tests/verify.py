"""docs-e4 (composition: MAS-DS-7 house style + LP-12 rev C field conversion).
Outcome: the table in the built HTML is compared with statistics recomputed from the pristine raw data
with lp12.py; house-style structure is checked on the HTML against the agent's own sources."""
import collections
import json
import re
import sys

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
import lp12  # noqa: E402
from vlib import Checks, close  # noqa: E402

IN = "/tests/inputs/bulletin/"
D = "/root/docs/bulletin/"
DOC_ID = "MAS-LAB-2024-120"
c = Checks()
fit = json.load(open(IN + "data/fit-S24-044.json"))["sensors"]
sens = lp12.sensors_by_id(lp12.read_csv(IN + "data/sensors.csv"))
vals = collections.defaultdict(list)
for r in lp12.read_csv(IN + "data/field-2024-09.csv"):
    f = fit[r["sensor_id"]]
    vals[r["sensor_id"]].append(lp12.apply(f["gain_kPa_per_kcount"] / 1000, f["offset_kPa"], float(r["raw_counts"]), float(r["temp_C"]),
                                           float(sens[r["sensor_id"]]["alpha_ppm_per_K"])))
sites = {r["sensor_id"]: r["site"] for r in lp12.read_csv(IN + "sites.csv")}
EXPECT = {"doc-id": DOC_ID, "revision": "1", "classification": "internal", "owner": "kofi.mensah@meridian.example",
          "issued": "2024-10-02", "review-date": "2025-10-02"}
html = D + "build/" + DOC_ID + ".html"
st = {}


def load():
    st["src"] = hc.load_doc(D)
    return open(html).read(10) != "", html


if c.run("built_document", load):
    man, fields, body, reg = st["src"]
    d = hc.check_built_html(c, html, st["src"], EXPECT, reg["references"], reg["glossary"])
    c.add("title", hc.norm(fields.get("title")) == "groundwater pressure bulletin, september 2024", f"title {fields.get('title')!r}")
    c.add("cites_lp12c", "lp12c" in hc.citations(body), f"citations {hc.citations(body)}")
    c.add("daq_marked", "DAQ" in hc.gloss_marks(body) and not hc.bare_abbrs(body, list(reg["glossary"])), "DAQ must use glossary markup")
    rows, cur = [], None
    for k, t in d["events"]:
        if k == "open" and t == "tr":
            cur = []
            rows.append(cur)
        elif k == "td" and cur is not None:
            cur.append(t)
    table = {r[0]: r for r in rows if r and r[0] in vals}
    c.add("table_rows", set(table) == set(vals), f"rows {sorted(table)}")
    for s, x in sorted(vals.items()):
        r = table.get(s, [])

        def chk():
            nums = [float(re.sub(r"[^\d.\-]", "", v)) for v in r[2:6]]
            ok = (hc.norm(r[1]) == hc.norm(sites[s]) and int(nums[0]) == len(x) and close(nums[1], sum(x) / len(x), abs_=1.5e-3)
                  and close(nums[2], min(x), abs_=1.5e-3) and close(nums[3], max(x), abs_=1.5e-3))
            return ok, f"got {r[1:6]}, expected {sites[s]}, {len(x)}, {sum(x)/len(x):.3f}, {min(x):.3f}, {max(x):.3f}"
        c.run(f"row_{s}", chk)
    hc.check_receipt(c, D + "build/", DOC_ID, html)
c.finish()
