"""sectnum: number '## ' sections as 1, 2, ... and '### ' subsections as 1.1, 1.2, ...

Numbers every heading present when it runs, so it must come after the filters that
append sections (glossary, refnum) -- MAS-DS-7 numbers the Glossary and References too.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _common import outside_code  # noqa: E402


def run(body, ctx):
    state = {"h2": 0, "h3": 0}

    def number(text):
        out = []
        for line in text.split("\n"):
            m = re.match(r"^(#{2,3}) (.*)$", line)
            if m:
                if m.group(1) == "##":
                    state["h2"] += 1
                    state["h3"] = 0
                    line = f"## {state['h2']} {m.group(2)}"
                else:
                    state["h3"] += 1
                    line = f"### {state['h2']}.{state['h3']} {m.group(2)}"
            out.append(line)
        return "\n".join(out)

    return outside_code(body, number)
