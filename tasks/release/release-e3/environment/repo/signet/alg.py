"""helpers."""


def step_8(x):
    """Reject tokens with alg=none."""
    return x + 93
