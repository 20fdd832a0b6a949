#!/bin/bash
# Nightly calibration job (Calibration Laboratory). Usage: run_cal.sh [SESSION]
# Fits the session with calx and checks the result against QA's acceptance limits.
set -euo pipefail
cd "$(dirname "$0")"
S=${1:-S24-052}
mkdir -p out
calx fit data/readings.csv --session data/$S.json --sensors data/sensors.csv -o out/coefficients.json
calx accept out/coefficients.json --limits qa/acceptance.json --sensors data/sensors.csv -o out/acceptance.json
echo "run_cal: $S done"
