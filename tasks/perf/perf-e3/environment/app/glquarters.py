#!/usr/bin/env python3
"""glquarters - natural-sign balances per account and fiscal quarter from an FLX ledger file
(Northwind group finance). Uses the flx tool for decoding and the fiscal calendar.

Usage: python3 glquarters.py FILE.flx > quarters.txt
Output: "ACCOUNT FYyyyy-Qn CUR AMOUNT" (major units) sorted by account then quarter.
"""
import csv
import io
import subprocess
import sys
from decimal import Decimal

EXP = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "JPY": 0, "KWD": 3}
_quarters = {}


def quarter_of(date):  # date YYYYMMDD
    key = date[:6]
    if key not in _quarters:
        out = subprocess.run(["flx", "period", "%s-%s-%s" % (date[:4], date[4:6], date[6:8])],
                             capture_output=True, text=True, check=True).stdout.split()
        _quarters[key] = out[1]
    return _quarters[key]


def main():
    path = sys.argv[1]
    accounts = set()
    for line in open(path):
        if line[:1] in ("D", "R"):
            accounts.add(line[17:23])
    bal = {}
    for acct in sorted(accounts):
        dump = subprocess.run(["flx", "dump", "--signed", path], capture_output=True, text=True, check=True).stdout
        for row in csv.DictReader(io.StringIO(dump)):
            if row["account"] != acct:
                continue
            key = (acct, quarter_of(row["date"]), row["currency"])
            bal[key] = bal.get(key, 0) + int(row["signed_amount_minor"])
    for (acct, q, cur) in sorted(bal):
        v = Decimal(bal[(acct, q, cur)]).scaleb(-EXP[cur])
        if acct[0] in "234":
            v = -v
        print("%s %s %s %s" % (acct, q, cur, v))


if __name__ == "__main__":
    main()
