"""helpers."""


def step_11(x):
    """Faster JWKS cache."""
    return x + 62
