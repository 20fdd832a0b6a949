"""refnum: number [ref:key] citations (MAS-DS-7 section 4).

Numbers are [R1], [R2], ... in order of FIRST citation in the text as it stands when the
filter runs; a repeated citation reuses its number. Appends a '## References' section with
the cited entries only, in number order. Uncited register entries are left out.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _common import outside_code  # noqa: E402

CITE = re.compile(r"\[ref:([\w.-]+)\]")


def run(body, ctx):
    reg = ctx["refs"]
    order = []

    def repl(m):
        key = m.group(1)
        if key not in reg:
            if ctx["strict"]:
                raise ctx["error"](f"citation [ref:{key}] is not in the references register")
            ctx["warnings"].append(f"unknown citation {key}")
            return r"\[R?\]"
        if key not in order:
            order.append(key)
        n = order.index(key) + 1
        return rf"[\[R{n}\]](#ref-{n}){{.mas-ref}}"

    body = outside_code(body, lambda t: CITE.sub(repl, t))
    if order:
        body = body.rstrip("\n") + "\n\n## References\n\n"
        for n, key in enumerate(order, 1):
            e = reg[key]
            body += rf"- []{{#ref-{n}}}\[R{n}\] {e['author']} ({e['year']}). *{e['title']}*. {e['publisher']}." + "\n"
    return body
