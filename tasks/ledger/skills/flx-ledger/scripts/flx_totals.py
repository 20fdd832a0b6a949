#!/usr/bin/env python3
"""Group `flx dump --signed` CSV output into totals in major units.
usage: flx_totals.py ROWS.csv --from YYYY-MM-DD --to YYYY-MM-DD --by account [--by cost_centre]
       [--natural] [--accounts 5,6] [--rates rates.csv]   (rates: currency,eur_per_unit)"""
import argparse, csv, sys
from decimal import Decimal
EXP = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "JPY": 0, "KWD": 3}
ap = argparse.ArgumentParser()
ap.add_argument("rows"); ap.add_argument("--from", dest="start", required=True); ap.add_argument("--to", dest="end", required=True)
ap.add_argument("--by", action="append", default=[]); ap.add_argument("--natural", action="store_true")
ap.add_argument("--accounts", help="comma separated leading digits to keep"); ap.add_argument("--rates")
a = ap.parse_args()
rates = {r["currency"]: Decimal(r["eur_per_unit"]) for r in csv.DictReader(open(a.rates))} if a.rates else None
s, e = a.start.replace("-", ""), a.end.replace("-", "")
tot = {}
for r in csv.DictReader(open(a.rows)):
    if not (s <= r["date"] <= e):
        continue
    if a.accounts and r["account"][0] not in a.accounts.split(","):
        continue
    v = Decimal(int(r["signed_amount_minor"])).scaleb(-EXP[r["currency"]])
    if a.natural and r["account"][0] in "234":
        v = -v
    if rates:
        v *= rates[r["currency"]]
    k = tuple(r[b] for b in a.by) + (() if rates else (r["currency"],))
    tot[k] = tot.get(k, Decimal(0)) + v
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(a.by + (["amount_eur"] if rates else ["currency", "amount"]))
for k in sorted(tot):
    w.writerow(list(k) + [tot[k]])
