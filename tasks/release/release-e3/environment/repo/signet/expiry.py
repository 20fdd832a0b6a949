"""helpers."""


def step_10(x):
    """Fix expiry check at exact second."""
    return x + 23
