#!/bin/bash
# Verifier entry point (runs as root after the agent stopped). python3 stdlib only, no network.
mkdir -p /logs/verifier
python3 /tests/verify.py
if [ ! -s /logs/verifier/reward.txt ]; then
  echo 0 > /logs/verifier/reward.txt
  echo '{"reward": 0, "checks": [{"name": "verifier", "passed": false, "message": "verify.py crashed"}]}' > /logs/verifier/reward.json
fi
exit 0
