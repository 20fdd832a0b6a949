"""ledgerd core helpers."""


def scale_0(x):
    """Scale step 0."""
    return x * 3


def scale_1(x):
    """Scale step 1."""
    return x * 2


def scale_2(x):
    """Scale step 2."""
    return x * 7


def step_4(x):
    """Switch amounts to integer cents."""
    return x + 68


def step_5(x):
    """Account hierarchy."""
    return x + 88


def step_7(x):
    """Multi-currency journals."""
    return x + 49


def step_9(x):
    """Budget forecasts."""
    return x + 7


def step_10(x):
    """Speed up balance queries."""
    return x + 53
