#!/bin/bash
# Oracle: decode with flx (bad-checksum records are skipped by default, reversals negated by --signed),
# keep FY2025-P03 (= September 2024), flip the sign for credit-normal accounts (2xx, 3xx, 4xx).
set -euo pipefail
mkdir -p /output
read -r START END < <(flx period FY2025-P03)
flx dump --signed /data/NWUK-GL-2024H2.flx 2>/dev/null | python3 -c '
import csv, sys
from decimal import Decimal
start, end = sys.argv[1].replace("-", ""), sys.argv[2].replace("-", "")
bal = {}
for r in csv.DictReader(sys.stdin):
    if start <= r["date"] <= end:
        v = int(r["signed_amount_minor"])
        if r["account"][0] in "234":
            v = -v
        bal[r["account"]] = bal.get(r["account"], 0) + v
print("account,balance")
for a in sorted(bal):
    print("%s,%s" % (a, Decimal(bal[a]) / 100))
' "$START" "$END" > /output/balances.csv
