#!/bin/bash
# Oracle: (1) re-key every record whose checksum fails from its voucher (DD/MM/YYYY dates, major-unit
# amounts with thousands separators -> minor units), (2) apply the approved amount corrections,
# (3) only then flx seal, (4) flx verify.
set -euo pipefail
mkdir -p /output
cat > /tmp/fix.py <<'PY'
import csv, glob, re, sys
from decimal import Decimal
EXP = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "JPY": 0, "KWD": 3}
src, vdir, corr, dst = sys.argv[1:5]
def ck(b): return "%02d" % (sum((i + 1) * ord(c) for i, c in enumerate(b[:64])) % 97)
def voucher(seq):
    for p in glob.glob(vdir + "/*.txt"):
        t = open(p).read()
        if re.search(r"^Sequence:\s*%08d\s*$" % seq, t, re.M):
            return dict(re.findall(r"^([^:\n]+):\s*(.*?)\s*$", t, re.M))
    raise SystemExit("no voucher for %d" % seq)
def rekey(line):
    v = voucher(int(line[1:9]))
    d, m, y = v["Posting date"].split("/")
    amt, cur = v["Amount"].split()
    minor = int(Decimal(amt.replace(",", "")).scaleb(EXP[cur]))
    rev = v["Type"].startswith("Reversal")
    ref = "REV " + v["Type"].split()[-1] if rev else v["Reference"]
    return "%s%s%s%s%s%s%-4s%s%013d%s%-20s" % ("R" if rev else "D", line[1:9], y, m, d, v["Account"], v["Cost centre"],
                                          v["Debit/Credit"][0], minor, cur, ref[:20])
lines = open(src).read().split("\n")[:-1]
out = []
for l in lines:
    if l[0] in "DR" and ck(l) != l[64:66]:
        l = rekey(l)
    out.append(l[:64].ljust(64) + "00")
if corr != "-":
    for c in csv.DictReader(open(corr)):
        assert c["field"] == "amount"
        amt, cur = c["new_value"].split()
        for i, l in enumerate(out):
            if l[0] in "DR" and int(l[1:9]) == int(c["sequence"]):
                out[i] = l[:28] + "%013d" % int(Decimal(amt).scaleb(EXP[l[41:44]])) + l[41:]
open(dst, "w").write("\n".join(out) + "\n")
PY
python3 /tmp/fix.py /data/NWDE-GL-2025-02.flx /data/vouchers /data/corrections.csv /tmp/draft.flx
flx seal /tmp/draft.flx -o /output/NWDE-GL-2025-02.flx
flx verify /output/NWDE-GL-2025-02.flx
