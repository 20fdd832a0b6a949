"""docs-e1 (transfer): house-style build inside a repository: shared registers (not copied), chapters
in suffix order, output into the repository's public/ directory, subsections numbered."""
import os
import re
import sys
import tomllib

sys.path.insert(0, "/tests")
import housecheck as hc  # noqa: E402
from vlib import Checks, sha256  # noqa: E402

IN = "/tests/inputs/lab-sops/"
REPO = "/root/repos/lab-sops/"
DOC = REPO + "sops/cleanroom-gowning/"
c = Checks()
src = hc.load_sources(IN, ["sops/cleanroom-gowning/gowning-1.md", "sops/cleanroom-gowning/gowning-2.md", "sops/cleanroom-gowning/gowning-3.md"],
                      "registers/glossary.tsv", "registers/refs.tsv")
f = src[1]
html = REPO + "public/" + f["doc-id"] + ".html"
if c.run("html_exists", lambda: (open(html).read(10) != "", html)):
    d = hc.check_built_html(c, html, src, {k: f[k] for k in ("doc-id", "revision", "classification", "owner", "issued", "review-date")},
                            src[3]["references"], src[3]["glossary"])
    titles = [re.sub(r"^[\d.]+\s+", "", t) for t in d["h2"]]
    c.add("chapter_order", titles[:5] == ["Scope", "Before entry", "Gowning sequence", "Inside the cleanroom", "Exit"], f"sections {titles}")
    h3 = d["h3"]
    c.add("subsections_numbered", h3 and all(re.match(r"^\d+\.\d+ ", t) for t in h3), f"h3: {h3}")
    hc.check_receipt(c, REPO + "public/", f["doc-id"], html)


def shared_registers():
    man = tomllib.load(open(DOC + "docbuild.toml", "rb"))["document"]
    g = os.path.realpath(os.path.join(DOC, man.get("glossary", "")))
    r = os.path.realpath(os.path.join(DOC, man.get("references", "")))
    same = sha256(REPO + "registers/glossary.tsv") == sha256(IN + "registers/glossary.tsv") and sha256(REPO + "registers/refs.tsv") == sha256(IN + "registers/refs.tsv")
    return (g == REPO + "registers/glossary.tsv" and r == REPO + "registers/refs.tsv" and same,
            f"manifest registers: {g}, {r} (must be the repository's shared, unmodified registers)")


c.run("shared_registers", shared_registers)
c.finish()
