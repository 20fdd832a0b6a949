#!/bin/bash
set -euo pipefail
cd /root/cal/S24-022
unit=$(python3 -c 'import json; print(json.load(open("S24-022.json"))["ref_unit"])')
calx fit readings.csv --session S24-022.json --sensors sensors.csv --tref 25 --reject mad35 --drift --ref-unit "$unit" -o /tmp/fit.json
calx accept /tmp/fit.json --limits acceptance.json --sensors sensors.csv -o /tmp/acc.json || true
python3 - <<'PY'
import json
fit = json.load(open("/tmp/fit.json")); acc = json.load(open("/tmp/acc.json"))
json.dump({"session": fit["session"], "sensors": {s: {"gain_kPa_per_count": r["gain_kPa_per_kcount"] / 1000, "offset_kPa": r["offset_kPa"]}
           for s, r in fit["sensors"].items() if r["status"] == "OK"}}, open("coefficients.json", "w"), indent=2)
json.dump({s: v["verdict"] for s, v in acc["sensors"].items()}, open("verdicts.json", "w"), indent=2)
PY
