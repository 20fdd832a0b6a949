#!/bin/bash
# Oracle: fixed-width encoding; minor units by currency exponent (KWD 3, USD 2); an R record repeats the
# ORIGINAL's D/C and amount (the journal shows the reversal's opposite effect) with reference "REV nnnnnnnn";
# checksums and trailer via flx seal.
set -euo pipefail
mkdir -p /output
python3 - <<'PY'
import csv
from decimal import Decimal
EXP = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "JPY": 0, "KWD": 3}
rows = sorted(csv.DictReader(open("/data/journal-2025-03.csv")), key=lambda r: int(r["sequence"]))
out = ["H0002NWKWKWD20250401GL000410".ljust(64) + "00"]
for r in rows:
    d, m, y = r["posting_date"].split("/")
    minor = int(Decimal(r["amount"]).scaleb(EXP[r["currency"]]))
    if r["reverses_sequence"]:
        typ, dc, ref = "R", ("C" if minor > 0 else "D"), "REV %08d" % int(r["reverses_sequence"])
    else:
        typ, dc, ref = "D", ("D" if minor > 0 else "C"), r["reference"]
    out.append(("%s%08d%s%s%s%s%-4s%s%013d%s%-20s" % (typ, int(r["sequence"]), y, m, d, r["account"], r["cost_centre"],
                                                   dc, abs(minor), r["currency"], ref[:20])) + "00")
open("/tmp/draft.flx", "w").write("\n".join(out) + "\n")
PY
flx seal /tmp/draft.flx -o /output/NWKW-GL-2025-03.flx
flx verify /output/NWKW-GL-2025-03.flx
