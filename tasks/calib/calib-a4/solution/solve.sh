#!/bin/bash
set -euo pipefail
cd /root/cal/S24-030
calx fit readings.csv --session S24-030.json --sensors sensors.csv --tref 25 --reject mad35 --drift --ref-unit kPa -o /tmp/fit.json
python3 - <<'PY'
import json
fit = json.load(open("/tmp/fit.json"))["sensors"]
out = {"rejected": sorted(r for s in fit.values() for r in s["rejected"]),
       "insufficient": sorted(s for s, r in fit.items() if r["status"] != "OK"),
       "sensors": {s: {"gain_kPa_per_count": r["gain_kPa_per_kcount"] / 1000, "offset_kPa": r["offset_kPa"]}
                   for s, r in fit.items() if r["status"] == "OK"}}
json.dump(out, open("audit.json", "w"), indent=2)
PY
