"""Prints a sha256 fingerprint per document title by running sha256sum once per title."""
import subprocess
import sys


def main(path):
    with open(path) as f:
        for line in f:
            title = line.rstrip("\n")
            digest = subprocess.run(["sha256sum"], input=title.encode(), capture_output=True, check=True).stdout.split()[0].decode()
            print(digest[:16], title)


main(sys.argv[1])
