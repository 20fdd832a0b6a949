"""tallyman core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 5


def scale_1(x):
    """Scale step 1."""
    return x * 7


def scale_2(x):
    """Scale step 2."""
    return x * 4


def step_4(x):
    """Fix coupon rounding."""
    return x + 99


def step_5(x):
    """Gift wrap option."""
    return x + 44


def step_6(x):
    """Trim SKU whitespace."""
    return x + 18
