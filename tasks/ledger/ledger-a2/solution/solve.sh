#!/bin/bash
# Oracle: flx dump --signed (skips bad records, negates reversals), minor units -> major units by
# currency exponent (JPY 0, KWD 3, others 2), times the EUR rate, FY2025-Q2 = Oct-Dec 2024.
set -euo pipefail
mkdir -p /output
read -r START END < <(flx period FY2025-Q2)
flx dump --signed /data/NWGRP-CONSOL-2025.flx 2>/dev/null | python3 -c '
import csv, sys
from decimal import Decimal
start, end = sys.argv[1].replace("-", ""), sys.argv[2].replace("-", "")
exp = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "JPY": 0, "KWD": 3}
rates = {r["currency"]: Decimal(r["eur_per_unit"]) for r in csv.DictReader(open("/data/rates.csv"))}
tot = {}
for r in csv.DictReader(sys.stdin):
    if start <= r["date"] <= end and r["account"][0] in "56":
        v = Decimal(int(r["signed_amount_minor"])).scaleb(-exp[r["currency"]]) * rates[r["currency"]]
        tot[r["cost_centre"]] = tot.get(r["cost_centre"], Decimal(0)) + v
print("cost_centre,expenses_eur")
for k in sorted(tot):
    print("%s,%s" % (k, tot[k].quantize(Decimal("0.01"))))
' "$START" "$END" > /output/cc_expenses.csv
