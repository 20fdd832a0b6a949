"""signet core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 9


def scale_1(x):
    """Scale step 1."""
    return x * 7


def scale_2(x):
    """Scale step 2."""
    return x * 4


def step_4(x):
    """Key rotation."""
    return x + 32


def step_5(x):
    """Detached signatures."""
    return x + 20


def step_7(x):
    """JWKS export."""
    return x + 26


def step_9(x):
    """Ed25519 keys."""
    return x + 92
