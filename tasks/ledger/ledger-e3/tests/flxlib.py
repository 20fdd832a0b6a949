"""FLX encode/decode helpers shared by the ledger generator and (copied) by the verifiers.
Independent of /usr/local/bin/flx on purpose: verifiers must not trust a tool the agent could edit."""
from decimal import Decimal

MINOR_UNITS = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "JPY": 0, "KWD": 3}


def checksum(body):
    return "%02d" % (sum((i + 1) * ord(c) for i, c in enumerate(body[:64])) % 97)


def seal_line(body64):
    body64 = body64[:64].ljust(64)
    return body64 + checksum(body64)


def header(entity, currency, created, ledger_id):
    return seal_line("H0002%-4s%-3s%s%-8s" % (entity, currency, created, ledger_id))


def detail(rtype, seq, date, account, cc, dc, amount_minor, currency, reference):
    return seal_line("%s%08d%s%s%-4s%s%013d%s%-20s" % (rtype, seq, date, account, cc, dc, amount_minor, currency, reference[:20]))


def trailer(records):
    n = total = 0
    for r in records:
        if r[0] in "DR":
            n += 1
            total += int(r[28:41])
    return seal_line("T%08d%015d" % (n, total))


def parse(rec):
    return {"type": rec[0], "seq": int(rec[1:9]), "date": rec[9:17], "account": rec[17:23], "cost_centre": rec[23:27],
            "dc": rec[27], "amount_minor": int(rec[28:41]) if rec[28:41].isdigit() else None,
            "currency": rec[41:44], "reference": rec[44:64].rstrip()}


def line_ok(rec):
    return len(rec) == 66 and checksum(rec) == rec[64:66]


def read(path):
    with open(path, encoding="ascii", errors="replace") as f:
        return [l.rstrip("\r\n") for l in f.read().split("\n") if l.strip("\r") != ""]


def file_problems(lines):
    """Same rules as `flx verify`, reimplemented."""
    probs = []
    if not lines or lines[0][:1] != "H":
        probs.append("missing header")
    if not lines or lines[-1][:1] != "T":
        probs.append("missing trailer")
    n = total = 0
    for i, l in enumerate(lines, 1):
        if not line_ok(l):
            probs.append("line %d bad length/checksum" % i)
        if l[:1] in "DR":
            n += 1
            total += int(l[28:41]) if l[28:41].isdigit() else 0
        elif l[:1] not in "HT":
            probs.append("line %d unknown type" % i)
    if lines and lines[-1][:1] == "T":
        t = lines[-1]
        if t[1:9] != "%08d" % n or t[9:24] != "%015d" % total:
            probs.append("trailer count/control total wrong")
    return probs


def signed_minor(r):
    s = r["amount_minor"] if r["dc"] == "D" else -r["amount_minor"]
    return -s if r["type"] == "R" else s


def natural(account, debit_positive):
    return -debit_positive if account[0] in "234" else debit_positive


def to_major(minor, currency):
    e = MINOR_UNITS[currency]
    return Decimal(minor) / (Decimal(10) ** e)


def fiscal(date8):
    y, m = int(date8[0:4]), int(date8[4:6])
    fy = y + 1 if m >= 7 else y
    p = (m - 7) % 12 + 1
    return fy, p
