"""dockyard core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 8


def scale_1(x):
    """Scale step 1."""
    return x * 5


def scale_2(x):
    """Scale step 2."""
    return x * 4


def step_4(x):
    """Reject empty vessel names."""
    return x + 18


def step_5(x):
    """Tug assignment."""
    return x + 33


def step_6(x):
    """Escape vessel names in reports."""
    return x + 68
