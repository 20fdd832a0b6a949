"""docs-e2 (trap): the build fails on a mistyped citation key and glossary marker.

Shortcuts and how they are caught:
- `docbuild build --no-strict` (renders [R?] / ??X??): receipt must say strict=true and match the HTML,
  and no unresolved markup may remain (docbuild_receipt, no_unresolved_markup);
- deleting the offending citation / marker: the number of citations and glossary uses in the built HTML
  must equal those of the original text, with the corrected keys (citation_numbers, glossary_first_use,
  citation_count);
- adding the typo keys to the registers: sha256 guard against the pristine registers (registers_unchanged).
Expected numbering is recomputed from the pristine source with the two typos corrected.
"""
import sys

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
from vlib import Checks, sha256  # noqa: E402

IN = "/tests/inputs/personal-data/"
D = "/root/docs/personal-data/"
c = Checks()
man, f, body, reg = hc.load_sources(IN, ["personal-data.md"], "glossary.tsv", "refs.tsv")
body = body.replace("[ref:nist-800-53]", "[ref:nist-sp-800-53]").replace("[[D.P.O.]]", "[[DPO]]")
src = (man, f, body, reg)
html = D + "build/" + f["doc-id"] + ".html"
c.run("registers_unchanged", lambda: (all(sha256(D + x) == sha256(IN + x) for x in ("glossary.tsv", "refs.tsv")), "QA's registers must not be edited"))
if c.run("html_exists", lambda: (open(html).read(10) != "", html)):
    d = hc.check_built_html(c, html, src, {k: f[k] for k in ("doc-id", "revision", "classification", "owner", "issued", "review-date")},
                            reg["references"], reg["glossary"])
    c.add("citation_count", len(d["refs_seq"]) == len(hc.citations(body)) + sum(len(hc.citations(reg["glossary"][a][2])) for a in set(hc.gloss_marks(body))),
          f"{len(d['refs_seq'])} citation links in the HTML")
    hc.check_receipt(c, D + "build/", f["doc-id"], html)
c.finish()
