"""docs-a4: glossary definitions cite references the body never cites, so only the house filter order
(glossary before refnum) numbers them; html + gfm outputs."""
import re
import sys

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
from vlib import Checks  # noqa: E402

IN = "/tests/inputs/lims-access/"
D = "/root/docs/lims-access/build/"
c = Checks()
src = hc.load_sources(IN, ["00-lims-access.md"], "glossary.tsv", "refs.tsv")
f = src[1]
html, md = D + f["doc-id"] + ".html", D + f["doc-id"] + ".md"
if c.run("html_exists", lambda: (open(html).read(10) != "", html)):
    hc.check_built_html(c, html, src, {k: f[k] for k in ("doc-id", "revision", "classification", "owner", "issued", "review-date")},
                        src[3]["references"], src[3]["glossary"])
    hc.check_receipt(c, D, f["doc-id"], html)


def md_ok():
    t = open(md, encoding="utf-8").read()
    seq, order = hc.expected_numbering(src[2], src[3]["glossary"])
    heads = re.findall(r"^## (.*)$", t, re.M)
    got = [int(x) for x in re.findall(r"\[R(\d+)\]\]?\(#ref-", t)] or [int(x) for x in re.findall(r">\[R(\d+)\]<", t)]
    ok = heads[-2:] == [f"{len(heads) - 1} Glossary", f"{len(heads)} References"] and got == seq and "[ref:" not in t and "[[" not in t
    return ok, f"headings {heads}; citation numbers {got}, expected {seq}"


c.run("markdown_output", md_ok)
c.finish()
