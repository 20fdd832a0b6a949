#!/bin/bash
set -euo pipefail
cd /root/docs/bulletin
calx apply data/fit-S24-044.json data/field-2024-09.csv --sensors data/sensors.csv --tref 25 -o /tmp/cal.csv
python3 - <<'PY'
import csv, collections
site = {r["sensor_id"]: r["site"] for r in csv.DictReader(open("sites.csv"))}
v = collections.defaultdict(list)
for r in csv.DictReader(open("/tmp/cal.csv")):
    v[r["sensor_id"]].append(float(r["pressure_kPa"]))
rows = "\n".join(f"| {s} | {site[s]} | {len(x)} | {sum(x)/len(x):.3f} | {min(x):.3f} | {max(x):.3f} |" for s, x in sorted(v.items()))
open("bulletin.md", "w").write(f"""---
title: "Groundwater pressure bulletin, September 2024"
doc-id: MAS-LAB-2024-120
revision: 1
classification: internal
owner: kofi.mensah@meridian.example
issued: 2024-10-02
review-date: 2025-10-02
---

## Method

Raw readings from the [[DAQ]] were converted with the calibration of session S24-044 following
LP-12 rev C [ref:lp12c]: compensation to 25.0 degC, then gain and offset.

## Results

| Sensor | Site | Readings | Mean (kPa) | Min (kPa) | Max (kPa) |
|---|---|---|---|---|---|
{rows}
""")
PY
cat > docbuild.toml <<'TOML'
[document]
sources    = ["bulletin.md"]
glossary   = "glossary.tsv"
references = "refs.tsv"
style      = "/opt/meridian/style/mas-2024.css"
filters    = ["glossary", "refnum", "sectnum"]
formats    = ["html"]
outdir     = "build"
TOML
docbuild build .
