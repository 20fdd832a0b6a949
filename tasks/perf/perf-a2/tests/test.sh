#!/bin/bash
# Verifier entry point (root, after the agent stopped). python3 stdlib only, no network.
mkdir -p /logs/verifier
python3 /tests/verify_perf.py
if [ ! -s /logs/verifier/reward.txt ]; then
  echo 0 > /logs/verifier/reward.txt
  echo '{"reward": 0, "checks": [{"name": "verifier", "passed": false, "message": "verify_perf.py crashed"}]}' > /logs/verifier/reward.json
fi
exit 0
