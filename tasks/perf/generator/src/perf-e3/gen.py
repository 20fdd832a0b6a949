"""Input generator for perf-e3 (an FLX/2 general-ledger file, sealed, with a few corrupted records
and reversals). make(seed, scale) -> bytes. Self-contained FLX writer (see flx(5))."""
import datetime as dt
import random

CUR = {"EUR": 2, "JPY": 0, "KWD": 3}


def ck(body):
    return "%02d" % (sum((i + 1) * ord(c) for i, c in enumerate(body[:64])) % 97)


def make(seed, scale=1.0):
    r = random.Random(seed)
    cur = r.choice(["EUR", "EUR", "JPY", "KWD"])
    accounts = r.sample(["110000", "120000", "130000", "210000", "220000", "310000", "410000", "420000",
                         "510000", "520000", "610000", "620000", "630000", "710000"], 4 if scale >= 0.5 else 3)
    start = dt.date(2023, 7, 1) + dt.timedelta(days=r.randint(0, 60))
    span = 360 if scale >= 0.5 else 70
    recs = []
    n = max(6, int(600 * scale))
    for seq in range(1, n + 1):
        d = start + dt.timedelta(days=r.randint(0, span))
        acct = r.choice(accounts)
        amt = r.randint(1, 9_000_000)
        dc = r.choice("DC")
        if recs and r.random() < 0.05:
            o = r.choice(recs)
            body = "R%08d%s%s%s%s%013d%s%-20s" % (seq, d.strftime("%Y%m%d"), o[17:23], o[23:27], o[27], int(o[28:41]), cur, "REV " + o[1:9])
        else:
            body = "D%08d%s%s%s%s%013d%s%-20s" % (seq, d.strftime("%Y%m%d"), acct, "CC%02d" % r.randint(1, 9), dc, amt, cur, "INV%05d" % r.randint(0, 99999))
        recs.append(body)
    lines = [("H0002NWDE%s%s%s" % (cur, start.strftime("%Y%m%d"), "GL%06d" % r.randint(0, 999999))).ljust(64)]
    lines += recs
    total = sum(int(b[28:41]) for b in recs)
    lines.append(("T%08d%015d" % (len(recs), total)).ljust(64))
    out = [l + ck(l) for l in lines]
    for _ in range(max(1, n // 150)):          # transmission damage: a few records fail their checksum
        i = r.randint(1, len(recs))
        l = out[i]
        p = r.randint(28, 40)
        out[i] = l[:p] + str((int(l[p]) + 1) % 10) + l[p + 1:]
    return ("\n".join(out) + "\n").encode()
