#!/bin/bash
# Verifier: judges the repository's tags, tree, notes and relx receipt (see verify_release.py).
mkdir -p /logs/verifier
python3 /tests/verify_release.py
