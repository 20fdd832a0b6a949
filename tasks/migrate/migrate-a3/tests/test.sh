#!/bin/bash
# Verifier: behaviour of the migrated program vs the original (tests/original), plus process checks.
mkdir -p /logs/verifier
cd /tmp && python3 /tests/verify_migrate.py
