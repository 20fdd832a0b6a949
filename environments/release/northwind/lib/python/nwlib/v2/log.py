"""Structured-ish logging to stderr: event(message, level="info") prints `[LEVEL] message`."""
import sys

LEVELS = ("debug", "info", "warning", "error")


def event(message, level="info", stream=None):
    if level not in LEVELS:
        raise ValueError("unknown level %r" % (level,))
    (stream or sys.stderr).write("[%s] %s\n" % (level.upper(), message))
