#!/bin/bash
set -euo pipefail
cd /root/lab/S24-058
calx fit readings.csv --session S24-058.json --sensors sensors.csv --tref 25 --reject mad35 --drift --ref-unit kPa -o /tmp/fit.json
calx accept /tmp/fit.json --limits acceptance.json --sensors sensors.csv -o /tmp/acc.json || true
mkdir -p /root/report
cd /root/report
cp /root/lab/registers/refs.tsv /root/lab/registers/glossary.tsv .
cat > docbuild.toml <<'TOML'
[document]
sources    = ["00-report.md"]
glossary   = "glossary.tsv"
references = "refs.tsv"
style      = "/opt/meridian/style/mas-2024.css"
filters    = ["glossary", "refnum", "sectnum"]
formats    = ["html"]
outdir     = "build"
TOML
python3 - <<'PY'
import json
fit = json.load(open("/tmp/fit.json"))["sensors"]; acc = json.load(open("/tmp/acc.json"))["sensors"]
rows = "\n".join(f"| {s} | {r['gain_kPa_per_kcount'] / 1000:.9g} | {r['offset_kPa']:.7f} | {acc[s]['verdict']} |" for s, r in sorted(fit.items()))
doc = f"""---
title: Calibration report S24-058
doc-id: MAS-LAB-2024-112
revision: 1
classification: restricted
owner: dana.whitfield@meridian.example
issued: 2024-08-31
review-date: 2025-02-28
distribution:
  - Calibration Laboratory
  - Quality Assurance
---

## Scope

Two-point calibration of the PX-200 transducers of session S24-058 (rig R2).

## Method

The session was processed according to LP-12 rev C [ref:lp12c]. Reference pressures were applied
with the [[DWT]] and read through the [[DAQ]]. Readings were compensated to 25.0 degC, corrected for
drift with the check standard, and outliers were rejected with the [[MAD]] rule (modified z-score
above 3.5). Gain and offset follow from the LO and HI means.

## Results

| Sensor | Gain (kPa/count) | Offset (kPa) | Verdict |
|---|---|---|---|
{rows}

Sensors marked FAIL are referred to QA.
"""
open("00-report.md", "w").write(doc)
PY
docbuild lint /root/report
