"""docs-e3 (transfer): re-issue = revision +1, new issue date, review date recomputed (restricted: +6 months),
everything else unchanged; build with the current style and filter order."""
import re
import sys

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
from vlib import Checks  # noqa: E402

IN = "/tests/inputs/legionella/"
D = "/root/docs/legionella/"
c = Checks()
src = hc.load_sources(IN, ["legionella.md"], "glossary.tsv", "refs.tsv")
f = src[1]
EXPECT = {"doc-id": f["doc-id"], "revision": "3", "classification": "restricted", "owner": f["owner"], "issued": "2024-06-14",
          "review-date": hc.expected_review_date("2024-06-14", "restricted")}
html = D + "build/" + f["doc-id"] + ".html"
if c.run("html_exists", lambda: (open(html).read(10) != "", html)):
    hc.check_built_html(c, html, src, EXPECT, src[3]["references"], src[3]["glossary"])
    raw = open(html, encoding="utf-8").read()
    dist = " ".join(raw.split('class="mas-distribution">', 1)[1].split("</p>", 1)[0].split()) if 'class="mas-distribution">' in raw else ""
    c.add("distribution_kept", "Health, Safety &amp; Environment" in dist and "Facilities" in dist, f"distribution: {dist!r}")
    c.add("title_kept", f"<title>{f['title']}</title>" in raw, "title unchanged")
    hc.check_receipt(c, D + "build/", f["doc-id"], html)


def text_unchanged():
    _, f2, body2 = hc.load_sources(D, ["legionella.md"], "glossary.tsv", "refs.tsv")[:3]
    return body2.strip() == src[2].strip(), "body text must not change"


c.run("text_unchanged", text_unchanged)
c.finish()
