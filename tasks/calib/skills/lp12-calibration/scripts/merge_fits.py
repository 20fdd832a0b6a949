#!/usr/bin/env python3
"""Merge calx fit outputs into {"sensors": {id: {gain_kPa_per_count, offset_kPa, status, session}}}.

usage: merge_fits.py fit1.json [fit2.json ...] > coefficients.json
INSUFFICIENT sensors are kept with status and without numbers.
"""
import json
import sys

out = {"sensors": {}}
for path in sys.argv[1:]:
    fit = json.load(open(path))
    for sid, r in fit["sensors"].items():
        e = {"session": fit["session"], "status": r["status"]}
        if r["status"] == "OK":
            e["gain_kPa_per_count"] = r["gain_kPa_per_kcount"] / 1000.0
            e["offset_kPa"] = r["offset_kPa"]
        out["sensors"][sid] = e
json.dump(out, sys.stdout, indent=2, sort_keys=True)
print()
