#!/bin/bash
set -euo pipefail
cd /root/cal/B24-07
for s in sessions/*.json; do
  unit=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ref_unit"])' "$s")
  calx fit readings.csv --session "$s" --sensors sensors.csv --tref 25 --reject mad35 --drift --ref-unit "$unit" -o "/tmp/fit-$(basename "$s")"
done
python3 - <<'PY'
import glob, json
out = {"batch": "B24-07", "sensors": {}}
for p in sorted(glob.glob("/tmp/fit-*.json")):
    fit = json.load(open(p))
    for s, r in fit["sensors"].items():
        if r["status"] == "OK":
            out["sensors"][s] = {"session": fit["session"], "gain_kPa_per_count": r["gain_kPa_per_kcount"] / 1000, "offset_kPa": r["offset_kPa"]}
json.dump(out, open("coefficients.json", "w"), indent=2)
PY
