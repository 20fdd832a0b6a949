"""docs-a2: front matter from a request (dept code, restricted -> review +6 months with month-end rule,
distribution) and the explicit filter order (the manifest had none)."""
import sys

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
from vlib import Checks  # noqa: E402

IN = "/tests/inputs/supplier-audit/"
OUT = "/root/docs/supplier-audit/build/"
DOC_ID = "MAS-QA-2024-037"
EXPECT = {"doc-id": DOC_ID, "revision": "1", "classification": "restricted", "owner": "sven.olsen@meridian.example",
          "issued": "2024-03-31", "review-date": hc.expected_review_date("2024-03-31", "restricted")}
c = Checks()
src = hc.load_sources(IN, ["body.md"], "glossary.tsv", "refs.tsv")
html = OUT + DOC_ID + ".html"
if c.run("html_exists", lambda: (open(html).read(10) != "", html)):
    d = hc.check_built_html(c, html, src, EXPECT, src[3]["references"], src[3]["glossary"])
    raw = open(html, encoding="utf-8").read()
    c.add("title", "<title>Supplier audit report: Norrland Chemicals AB</title>" in raw, "HTML <title>")
    dist = " ".join(raw.split('class="mas-distribution">', 1)[1].split("</p>", 1)[0].split()) if 'class="mas-distribution">' in raw else ""
    c.add("distribution", "Quality Assurance" in dist and "Procurement" in dist, f"distribution line: {dist!r}")
    hc.check_receipt(c, OUT, DOC_ID, html)
c.finish()
