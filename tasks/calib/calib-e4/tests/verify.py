"""calib-e4 (composition: LP-12 rev C + MAS-DS-7 house style).

Outcome: the coefficient table is recomputed from /tests/inputs with lp12.py; the house-style
checks parse the manifest, the front matter and the register markup of the sources (the calib
workstation has no pandoc, so the deliverable is the buildable source directory).
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
import lp12  # noqa: E402
from vlib import Checks, close  # noqa: E402

DOC = "/root/report"
IN = "/tests/inputs/"
c = Checks()
sens = lp12.sensors_by_id(lp12.read_csv(IN + "S24-058/sensors.csv"))
ref = lp12.fit_session(lp12.read_csv(IN + "S24-058/readings.csv"), json.load(open(IN + "S24-058/S24-058.json")), sens)
verdict = lp12.accept(ref, sens, json.load(open(IN + "S24-058/acceptance.json")))
EXPECT = {"title": "Calibration report S24-058", "doc-id": "MAS-LAB-2024-112", "revision": "1", "classification": "restricted",
          "owner": "dana.whitfield@meridian.example", "issued": "2024-08-31", "review-date": "2025-02-28"}
lab_refs = hc.read_tsv(IN + "registers/refs.tsv")
lab_gloss = hc.read_tsv(IN + "registers/glossary.tsv")
st = {}


def load():
    st["man"], st["fields"], st["body"], st["reg"] = hc.load_doc(DOC)
    return st["fields"] is not None, "front matter found at the top of the first source" if st["fields"] is not None else "no front matter in the first source"


if c.run("manifest_and_sources", load):
    man, fields, body, reg = st["man"], st["fields"], st["body"], st["reg"]
    c.add("filters_order", man.get("filters") == hc.HOUSE_FILTERS, f"filters = {man.get('filters')}")
    c.add("style", man.get("style") == hc.HOUSE_STYLE, f"style = {man.get('style')!r}")
    for f, v in EXPECT.items():
        c.add(f"front_matter_{f}", hc.norm(fields.get(f, "")) == hc.norm(v), f"got {fields.get(f)!r}, expected {v!r}")
    dist = fields.get("distribution")
    c.add("front_matter_distribution", isinstance(dist, list) and {hc.norm(x) for x in dist} == {"calibration laboratory", "quality assurance"}, f"got {dist!r}")
    regs_ok = all(k in reg["references"] and reg["references"][k][3] == v[3] for k, v in lab_refs.items()) and \
        all(k in reg["glossary"] and reg["glossary"][k][1] == v[1] for k, v in lab_gloss.items())
    c.add("lab_registers_used", regs_ok, "manifest must point at the lab's refs.tsv / glossary.tsv (or identical copies)")
    cites = hc.citations(body)
    c.add("cites_lp12c", "lp12c" in cites, f"citations: {cites}")
    c.add("citations_in_register", all(k in reg["references"] for k in cites), f"unknown: {[k for k in cites if k not in reg['references']]}")
    marks = hc.gloss_marks(body)
    c.add("glossary_terms_marked", {"DWT", "DAQ", "MAD"} <= set(marks) and all(m in reg["glossary"] for m in marks), f"marked: {marks}")
    bare = hc.bare_abbrs(body, list(lab_gloss))
    c.add("no_unmarked_abbreviations", not bare, f"written without [[...]]: {bare}")
    c.add("no_level1_headings", not re.search(r"^# ", body, re.M), "use ## for sections")
    heads = [h.strip().lower() for h in re.findall(r"^##\s+(.*)$", body, re.M)]
    c.add("method_and_results_sections", any(h.startswith("method") for h in heads) and any(h.startswith("results") for h in heads), f"sections: {heads}")
    rows = {}
    for line in body.splitlines():
        cells = [x.strip() for x in line.strip().strip("|").split("|")]
        if line.strip().startswith("|") and cells and cells[0] in ref:
            rows[cells[0]] = cells
    c.add("table_rows", set(rows) == set(ref), f"rows for {sorted(rows)}, expected {sorted(ref)}")
    for s, r in sorted(ref.items()):
        cells = rows.get(s, [])

        def chk():
            g, o, v = float(cells[1]), float(cells[2]), cells[3].strip("* ").upper()
            return (close(g, r["gain"], rel=1e-5) and close(o, r["offset"], abs_=1e-3) and v == verdict[s],
                    f"got {cells[1:4]}, expected gain {r['gain']:.7g}, offset {r['offset']:.6f}, {verdict[s]}")
        c.run(f"row_{s}", chk)
    p = subprocess.run(["docbuild", "lint", DOC], capture_output=True, text=True)
    c.add("docbuild_lint", p.returncode == 0, (p.stdout + p.stderr)[-400:])
c.finish()
