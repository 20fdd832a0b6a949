"""Sliding windows over samples."""


def sliding(xs, n):
    """All contiguous windows of length n."""
    out = []
    for i in range(len(xs) - n):
        out.append(xs[i:i + n])
    return out


def rolling_mean(xs, n):
    return [sum(w) / n for w in sliding(xs, n)]
