"""docs-a3: current style (absolute path to mas-2024.css), html + txt outputs, text and metadata unchanged."""
import re
import sys

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
from vlib import Checks, sha256  # noqa: E402

IN = "/tests/inputs/workshop-electrical/"
D = "/root/docs/workshop-electrical/"
c = Checks()
src = hc.load_sources(IN, ["workshop.md"], "glossary.tsv", "refs.tsv")
f = src[1]
html, txt = D + "build/" + f["doc-id"] + ".html", D + "build/" + f["doc-id"] + ".txt"
c.run("source_unchanged", lambda: (sha256(D + "workshop.md") == sha256(IN + "workshop.md"), "workshop.md must not change"))
if c.run("html_exists", lambda: (open(html).read(10) != "", html)):
    hc.check_built_html(c, html, src, {k: f[k] for k in ("doc-id", "revision", "classification", "owner", "issued", "review-date")},
                        src[3]["references"], src[3]["glossary"])
    hc.check_receipt(c, D + "build/", f["doc-id"], html)


def txt_ok():
    t = open(txt, encoding="utf-8").read()
    seq, order = hc.expected_numbering(src[2], src[3]["glossary"])
    lines = [l.strip() for l in t.splitlines()]
    heads = [l for l in lines if re.match(r"^\d+ (Glossary|References)$", l)]
    refs = [l for l in lines if re.match(r"^-?\s*\[R\d+\] ", l.lstrip("- "))]
    problems = []
    if len(heads) != 2 or not heads[0].endswith("Glossary"):
        problems.append(f"numbered Glossary then References headings: {heads}")
    if len(refs) != len(order):
        problems.append(f"{len(refs)} reference entries, expected {len(order)}")
    if "[ref:" in t or "[[" in t:
        problems.append("unresolved markup")
    for a in set(hc.gloss_marks(src[2])):
        if t.replace("\n", " ").count(f"{src[3]['glossary'][a][1]} ({a})") != 1:
            problems.append(f"{a} not expanded exactly once")
    return not problems, "; ".join(problems) or "plain text has the house structure"


c.run("plain_text_output", txt_ok)
c.finish()
