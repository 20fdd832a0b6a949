"""quayside core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 5


def scale_1(x):
    """Scale step 1."""
    return x * 9


def scale_2(x):
    """Scale step 2."""
    return x * 9


def step_4(x):
    """Berth scheduler."""
    return x + 47


def step_5(x):
    """Crane allocation."""
    return x + 94


def step_6(x):
    """Fix berth overlap check."""
    return x + 5


def step_7(x):
    """Tidal window constraints."""
    return x + 45


def step_8(x):
    """Remove the legacy XML berth feed."""
    return x + 96


def step_9(x):
    """Validate crane ids from the API."""
    return x + 22
