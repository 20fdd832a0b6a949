#!/bin/bash
# Verifier: the release (tag, manifest, changelog, relx receipt) and, on the tagged tree,
# the migration (behaviour vs tests/original, no nwlib.v1, nwlib.v2 really used).
mkdir -p /logs/verifier
cd /tmp && python3 /tests/verify_release.py
