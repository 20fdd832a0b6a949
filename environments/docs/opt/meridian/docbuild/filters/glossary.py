"""glossary: expand [[ABBR]] markers from the glossary register (MAS-DS-7 section 5).

First use in the document: "Long form (ABBR)"; every later use: "ABBR".
Appends a '## Glossary' section listing the terms used, sorted by abbreviation.
Glossary definitions may cite references ([ref:key]); run 'refnum' AFTER this filter
so that those citations are numbered too.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _common import outside_code  # noqa: E402

MARK = re.compile(r"\[\[([^\]]+)\]\]")


def run(body, ctx):
    reg = ctx["glossary"]
    seen = []

    def repl(m):
        abbr = m.group(1)
        if abbr not in reg:
            if ctx["strict"]:
                raise ctx["error"](f"glossary term [[{abbr}]] is not in the glossary register")
            ctx["warnings"].append(f"unknown glossary term {abbr}")
            return f"??{abbr}??"
        long = reg[abbr]["long"]
        span = f'[{abbr}]{{.mas-gls title="{long}"}}'
        if abbr in seen:
            return span
        seen.append(abbr)
        return f"{long} ({span})"

    body = outside_code(body, lambda t: MARK.sub(repl, t))
    if seen:
        body = body.rstrip("\n") + "\n\n## Glossary\n\n"
        for abbr in sorted(seen, key=str.lower):
            e = reg[abbr]
            body += f"{abbr}\n:   **{e['long']}.** {e['definition']}\n\n"
    return body
