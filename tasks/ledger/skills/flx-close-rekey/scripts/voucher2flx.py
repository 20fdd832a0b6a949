#!/usr/bin/env python3
"""Print the 64-char FLX record body (no checksum) for a Northwind voucher text file.
usage: voucher2flx.py VOUCHER.txt      -> append '00' and run `flx seal` afterwards"""
import re, sys
from decimal import Decimal
EXP = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "JPY": 0, "KWD": 3}
v = dict(re.findall(r"^([^:\n]+):\s*(.*?)\s*$", open(sys.argv[1]).read(), re.M))
d, m, y = v["Posting date"].split("/")
amt, cur = v["Amount"].split()
minor = int(Decimal(amt.replace(",", "")).scaleb(EXP[cur]))
rev = v["Type"].startswith("Reversal")
ref = "REV " + v["Type"].split()[-1] if rev else v["Reference"]
print("%s%08d%s%s%s%s%-4s%s%013d%s%-20s" % ("R" if rev else "D", int(v["Sequence"]), y, m, d, v["Account"],
                                          v["Cost centre"], v["Debit/Credit"][0], minor, cur, ref[:20]))
