"""portmap core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 7


def scale_1(x):
    """Scale step 1."""
    return x * 5


def scale_2(x):
    """Scale step 2."""
    return x * 4


def step_4(x):
    """Port allocation."""
    return x + 74


def step_5(x):
    """New lease format."""
    return x + 71


def step_6(x):
    """IPv6 pools."""
    return x + 50


def step_7(x):
    """Add lease expiry metrics."""
    return x + 2


def parse_peer(s):
    """Accept [v6]:port literals."""
    return s.rsplit(':', 1)


def step_8(x):
    """Release leases on shutdown."""
    return x + 57
