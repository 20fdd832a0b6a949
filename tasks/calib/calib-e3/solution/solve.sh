#!/bin/bash
set -euo pipefail
cd /root/monitor
python3 - <<'PY'
import csv, collections, subprocess
certs = sorted(csv.DictReader(open("certs/certs.csv")), key=lambda r: r["valid_from"])
rows = list(csv.DictReader(open("telemetry-2024-07.csv")))
def cert_for(r):
    day = r["time"][:10]
    c = [x for x in certs if x["sensor_id"] == r["sensor_id"] and x["valid_from"] <= day]
    return c[-1]["fit_file"]
groups = collections.defaultdict(list)
for r in rows:
    groups[cert_for(r)].append(r)
val = {}
for fit, rs in groups.items():
    with open(f"/tmp/in-{fit}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=rows[0].keys()); w.writeheader(); w.writerows(rs)
    subprocess.run(["calx", "apply", f"certs/{fit}", f"/tmp/in-{fit}.csv", "--sensors", "sensors.csv", "--tref", "25", "-o", f"/tmp/out-{fit}.csv"], check=True)
    for o in csv.DictReader(open(f"/tmp/out-{fit}.csv")):
        val[o["reading_id"]] = float(o["pressure_kPa"])
daily = collections.defaultdict(list)
for r in rows:
    daily[(r["time"][:10], r["sensor_id"])].append(val[r["reading_id"]])
with open("daily-2024-07.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["date", "sensor_id", "mean_kPa"])
    for (d, s), v in sorted(daily.items()):
        w.writerow([d, s, f"{sum(v) / len(v):.6f}"])
PY
