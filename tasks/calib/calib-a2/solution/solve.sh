#!/bin/bash
set -euo pipefail
cd /root/field
calx apply fit-S24-009.json field-2024-04.csv --sensors sensors.csv --tref 25 -o /tmp/applied.csv
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("/tmp/applied.csv")))
with open("/root/field/calibrated-2024-04.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["reading_id", "pressure_kPa"])
    for r in rows: w.writerow([r["reading_id"], r["pressure_kPa"]])
PY
