#!/bin/bash
# Oracle: decode with flx (postable records only, signed debit-positive minor units), retire the
# period's active NWUK rows with whq softdelete (audited), load the new rows with whq load (batch).
set -euo pipefail
read -r START END < <(flx period FY2025-P05)
flx dump --signed /data/NWUK-GL-FY2025-P05.flx 2>/dev/null | python3 -c '
import csv, sys
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["entity", "seq", "posting_date", "account", "cost_centre", "amount_minor", "currency", "source_ref"])
for r in csv.DictReader(sys.stdin):
    d = r["date"]
    w.writerow(["NWUK", int(r["seq"]), "%s-%s-%s" % (d[:4], d[4:6], d[6:]), r["account"], r["cost_centre"],
                r["signed_amount_minor"], r["currency"], r["reference"]])
' > /tmp/gl.csv
whq softdelete fact_gl_posting --where "entity = 'NWUK' AND posting_date BETWEEN '$START' AND '$END'" \
    --reason "superseded by reload from flx:NWUK-GL000121"
whq load fact_gl_posting /tmp/gl.csv --source flx:NWUK-GL000121
