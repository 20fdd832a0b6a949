"""v1 log: emit(level, message) prints `[LEVEL] message` to stderr."""
import sys


def emit(level, message):
    sys.stderr.write("[%s] %s\n" % (level.upper(), message))
