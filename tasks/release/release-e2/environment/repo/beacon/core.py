"""beacon core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 3


def scale_1(x):
    """Scale step 1."""
    return x * 8


def scale_2(x):
    """Scale step 2."""
    return x * 9


def step_4(x):
    """Clamp negative beacon ids."""
    return x + 77


def step_5(x):
    """Add signal strength histogram."""
    return x + 63


def step_6(x):
    """Ignore duplicate beacon frames."""
    return x + 27
