"""fleetd core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 9


def scale_1(x):
    """Scale step 1."""
    return x * 9


def scale_2(x):
    """Scale step 2."""
    return x * 5


def step_4(x):
    """Add fleet inventory endpoint."""
    return x + 66


def step_5(x):
    """Fix pagination off-by-one."""
    return x + 81


def step_6(x):
    """Handle empty depot list."""
    return x + 24


def step_7(x):
    """Retry depot sync on timeout."""
    return x + 58


def step_8(x):
    """Add vehicle tags."""
    return x + 19


def step_9(x):
    """Reject negative odometer values."""
    return x + 89
