"""docs-a1: build a multi-file document in house style. Expected structure recomputed from the pristine sources."""
import sys

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
from vlib import Checks  # noqa: E402

IN = "/tests/inputs/handbook-ops/"
OUT = "/root/docs/handbook-ops/build/"
c = Checks()
src = hc.load_sources(IN, ["00-front.md", "10-scope.md", "20-steps.md", "30-records.md"], "glossary.tsv", "refs.tsv")
fields = src[1]
html = OUT + fields["doc-id"] + ".html"
if c.run("html_exists", lambda: (open(html).read(10) != "", html)):
    hc.check_built_html(c, html, src, {k: fields[k] for k in ("doc-id", "revision", "classification", "owner", "issued", "review-date")},
                        src[3]["references"], src[3]["glossary"])
    d = hc.parse_html(html)
    titles = [t.split(" ", 1)[1] for t in d["h2"] if " " in t]
    c.add("chapter_order", titles[:4] == ["Purpose", "Scope", "Induction steps", "Records"], f"sections: {titles}")
    hc.check_receipt(c, OUT, fields["doc-id"], html)
c.finish()
