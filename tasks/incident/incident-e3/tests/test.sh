#!/bin/bash
# Verifier entry point (Harbor): runs after the agent stopped; writes
# /logs/verifier/reward.txt and /logs/verifier/reward.json.
mkdir -p /logs/verifier
python3 /tests/verify.py /tests/expected.json
status=$?
if [ ! -s /logs/verifier/reward.txt ]; then
  echo 0 > /logs/verifier/reward.txt
  echo '{"reward": 0, "checks": [{"name": "verifier", "passed": false, "message": "verify.py crashed"}]}' > /logs/verifier/reward.json
fi
exit 0
