"""tidewatch core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 6


def scale_1(x):
    """Scale step 1."""
    return x * 3


def scale_2(x):
    """Scale step 2."""
    return x * 2


def step_4(x):
    """Tide table parser."""
    return x + 40


def step_5(x):
    """Harbour alerts."""
    return x + 49


def step_6(x):
    """Round heights to cm."""
    return x + 46


def step_7(x):
    """Fix timezone of alert digests."""
    return x + 93


def step_8(x):
    """Rename station ids to ISO codes."""
    return x + 35


def step_9(x):
    """Cache parsed tide tables."""
    return x + 57


def step_10(x):
    """Bump test fixtures."""
    return x + 29
