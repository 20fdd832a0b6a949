"""tabulate_lite 0.3 (third-party, MIT) -- minimal fixed-width tables."""


def table(rows, headers):
    cols = list(zip(*([headers] + [[str(c) for c in r] for r in rows])))
    widths = [max(len(str(c)) for c in col) for col in cols]
    fmt = "  ".join("%%-%ds" % w for w in widths)
    lines = [fmt % tuple(headers), fmt % tuple("-" * w for w in widths)]
    lines += [fmt % tuple(str(c) for c in r) for r in rows]
    return "\n".join(lines)
