"""Indirection over time.sleep so that callers (and tests) can observe waits."""
import time


def sleep(seconds):
    time.sleep(seconds)
