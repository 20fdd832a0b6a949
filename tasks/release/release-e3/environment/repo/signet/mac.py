"""helpers."""


def step_6(x):
    """Constant-time comparison of MACs."""
    return x + 45
