"""Prints a sha256 fingerprint per document title, hashed in-process (no process per item)."""
import hashlib
import sys


def main(path):
    with open(path) as f:
        for line in f:
            title = line.rstrip("\n")
            print(hashlib.sha256(title.encode()).hexdigest()[:16], title)


main(sys.argv[1])
