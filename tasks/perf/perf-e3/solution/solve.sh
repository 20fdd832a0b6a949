#!/bin/bash
# Oracle for perf-e3: OP-08 decode FLX and compute the fiscal calendar in-process instead of one flx subprocess per account/month
set -euo pipefail
cat > /app/glquarters.py <<'NW_ORACLE_EOF'
#!/usr/bin/env python3
"""glquarters - natural-sign balances per account and fiscal quarter from an FLX ledger file
(Northwind group finance).

Usage: python3 glquarters.py FILE.flx > quarters.txt
Output: "ACCOUNT FYyyyy-Qn CUR AMOUNT" (major units) sorted by account then quarter.
OP-08 (no subprocess per item): FLX decoded in-process - records whose checksum fails are not
postable, R records are negated - and the fiscal calendar (July start, FY named by its end year)
computed instead of asking `flx period`.
"""
import sys
from decimal import Decimal

EXP = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "JPY": 0, "KWD": 3}


def ck(body):
    return "%02d" % (sum((i + 1) * ord(c) for i, c in enumerate(body[:64])) % 97)


def main():
    bal = {}
    for line in open(sys.argv[1]):
        line = line.rstrip("\r\n")
        if line[:1] not in ("D", "R") or len(line) != 66 or ck(line) != line[64:66]:
            continue
        amt = line[28:41]
        if not amt.isdigit():
            continue
        s = int(amt) if line[27] == "D" else -int(amt)
        if line[0] == "R":
            s = -s
        y, m = int(line[9:13]), int(line[13:15])
        fy = y + 1 if m >= 7 else y
        q = "FY%d-Q%d" % (fy, ((m - 7) % 12) // 3 + 1)
        key = (line[17:23], q, line[41:44])
        bal[key] = bal.get(key, 0) + s
    out = []
    for (acct, q, cur) in sorted(bal):
        v = Decimal(bal[(acct, q, cur)]).scaleb(-EXP[cur])
        if acct[0] in "234":
            v = -v
        out.append("%s %s %s %s\n" % (acct, q, cur, v))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
NW_ORACLE_EOF
