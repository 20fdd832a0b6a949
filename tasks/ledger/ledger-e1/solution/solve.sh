#!/bin/bash
# Oracle: same procedure as a period balance, over many files, quarter FY2026-Q1 = Jul-Sep 2025, JPY has 0 decimals.
set -euo pipefail
mkdir -p /output
read -r START END < <(flx period FY2026-Q1)
flx dump --signed /data/kyoto/*.flx 2>/dev/null | python3 -c '
import csv, sys
start, end = sys.argv[1].replace("-", ""), sys.argv[2].replace("-", "")
bal = {}
for r in csv.DictReader(sys.stdin):
    if start <= r["date"] <= end:
        v = int(r["signed_amount_minor"])
        if r["account"][0] in "234":
            v = -v
        k = (r["account"], r["cost_centre"])
        bal[k] = bal.get(k, 0) + v
print("account,cost_centre,balance")
for (a, c) in sorted(bal):
    print("%s,%s,%d" % (a, c, bal[(a, c)]))
' "$START" "$END" > /output/kyoto_q1.csv
