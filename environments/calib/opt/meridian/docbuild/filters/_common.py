"""Shared helpers for docbuild filters: apply a text transform outside fenced code blocks."""
import re

FENCE = re.compile(r"^(```|~~~)", re.M)


def outside_code(body, fn):
    parts = re.split(r"(^```.*?^```[ \t]*$|^~~~.*?^~~~[ \t]*$)", body, flags=re.M | re.S)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))
