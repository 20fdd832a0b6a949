#!/usr/bin/env python3
"""Seeded generator for the ledger family. Writes each task's environment/data/ and tests/ files
(expected values + copies of flxlib.py and vlib.py). Run: python3 tasks/ledger/generator/gen_ledger.py"""
import csv, datetime as dt, io, json, os, random, shutil, sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
FAM = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import flxlib as F

ACCOUNTS = ["110000", "120000", "130000", "210000", "220000", "310000", "410000", "420000", "430000",
            "510000", "520000", "610000", "620000", "630000", "640000", "710000"]
BIG = {"GBP": (500, 600000), "CHF": (500, 600000), "EUR": (500, 600000), "USD": (500, 600000), "JPY": (800, 2500000), "KWD": (2000, 900000)}


def d8(d):
    return d.strftime("%Y%m%d")


def rand_date(rng, start, end):
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def make_postings(rng, n, start, end, ccs, currencies, seq0=1, n_rev=4, accounts=ACCOUNTS):
    recs, seq = [], seq0
    for _ in range(n):
        cur = rng.choice(currencies)
        lo, hi = BIG[cur]
        date = rand_date(rng, start, end)
        recs.append(dict(type="D", seq=seq, date=d8(date), account=rng.choice(accounts), cc=rng.choice(ccs),
                         dc=rng.choice("DC"), amount=rng.randint(lo, hi), currency=cur,
                         reference="%s%05d" % (rng.choice(["INV", "PO", "JV", "EXP", "BNK"]), rng.randint(0, 99999))))
        seq += 1
    recs.sort(key=lambda r: (r["date"], r["seq"]))
    for i, r in enumerate(recs):
        r["seq"] = seq0 + i
    seq = seq0 + len(recs)
    for orig in rng.sample(recs, n_rev):
        od = dt.datetime.strptime(orig["date"], "%Y%m%d").date()
        rd = min(end, od + dt.timedelta(days=rng.randint(3, 40)))
        recs.append(dict(orig, type="R", seq=seq, date=d8(rd), reference="REV %08d" % orig["seq"]))
        seq += 1
    recs.sort(key=lambda r: (r["date"], r["seq"]))
    return recs


def line(r):
    return F.detail(r["type"], r["seq"], r["date"], r["account"], r["cc"], r["dc"], r["amount"], r["currency"], r["reference"])


def corrupt(rng, l):
    """Flip one digit of the amount or account; keep the old checksum so the record fails verification."""
    while True:
        pos = rng.choice(list(range(28, 41)) + list(range(18, 23)))
        c = l[pos]
        nc = str((int(c) + rng.randint(1, 9)) % 10)
        bad = l[:pos] + nc + l[pos + 1:]
        if not F.line_ok(bad):
            return bad


def write_flx(path, hdr, lines, seal=True, bad=()):
    body = [hdr] + lines
    out = body + [F.trailer(lines)]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def task_dirs(tid):
    base = os.path.join(FAM, tid)
    data = os.path.join(base, "environment", "data")
    tests = os.path.join(base, "tests")
    if os.path.isdir(data):
        shutil.rmtree(data)
    os.makedirs(data)
    os.makedirs(tests, exist_ok=True)
    for lib in ("flxlib.py", "vlib.py"):
        shutil.copy(os.path.join(HERE, lib), os.path.join(tests, lib))
    return data, tests


def dump_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def voucher_text(r):
    cur = r["currency"]
    amt = F.to_major(r["amount"], cur)
    e = F.MINOR_UNITS[cur]
    amt_s = "{:,.{}f}".format(amt, e)
    d = dt.datetime.strptime(r["date"], "%Y%m%d").date()
    typ = "Posting" if r["type"] == "D" else "Reversal of %s" % r["reference"][4:]
    return ("NORTHWIND ACCOUNTING VOUCHER\nVoucher no: NW-%s-%06d\nSequence: %08d\nType: %s\nPosting date: %s\n"
            "Account: %s\nCost centre: %s\nDebit/Credit: %s\nAmount: %s %s\nReference: %s\nApproved by: %s\n") % (
        r["date"][:4], r["seq"], r["seq"], typ, d.strftime("%d/%m/%Y"), r["account"], r["cc"],
        "Debit" if r["dc"] == "D" else "Credit", amt_s, cur, r["reference"], "controller")


def natural_balances(lines, keyf, period_ok):
    out = {}
    for l in lines:
        if not F.line_ok(l):
            continue
        r = F.parse(l)
        if r["type"] not in "DR" or not period_ok(r["date"]):
            continue
        k = keyf(r)
        out[k] = out.get(k, 0) + F.natural(r["account"], F.signed_minor(r))
    return out


# ---------------------------------------------------------------- a1: period balances
def gen_a1():
    rng = random.Random(1101)
    data, tests = task_dirs("ledger-a1")
    recs = make_postings(rng, 140, dt.date(2024, 7, 1), dt.date(2024, 10, 31), ["LN01", "LN02", "MA01"], ["GBP"], n_rev=6)
    # make sure some reversal crosses into P03 from P02
    lines = [line(r) for r in recs]
    for i in rng.sample(range(len(lines)), 5):
        lines[i] = corrupt(rng, lines[i])
    write_flx(os.path.join(data, "NWUK-GL-2024H2.flx"), F.header("NWUK", "GBP", "20241102", "GL000117"), lines)
    bal = natural_balances(lines, lambda r: r["account"], lambda d: F.fiscal(d) == (2025, 3))
    dump_json(os.path.join(tests, "expected.json"), {"period": "FY2025-P03", "currency": "GBP",
                                                     "balances_minor": {k: v for k, v in sorted(bal.items())}})


# ---------------------------------------------------------------- a2: cost-centre expenses in EUR
def gen_a2():
    rng = random.Random(1202)
    data, tests = task_dirs("ledger-a2")
    ccs = ["LN01", "MU02", "KY01", "KW01", "NY01"]
    recs = make_postings(rng, 170, dt.date(2024, 9, 1), dt.date(2025, 1, 31), ccs, ["GBP", "EUR", "JPY", "KWD", "USD"], n_rev=7)
    lines = [line(r) for r in recs]
    for i in rng.sample(range(len(lines)), 6):
        lines[i] = corrupt(rng, lines[i])
    write_flx(os.path.join(data, "NWGRP-CONSOL-2025.flx"), F.header("NWGR", "EUR", "20250203", "CONS0025"), lines)
    rates = {"EUR": "1", "GBP": "1.1862", "USD": "0.9231", "JPY": "0.006153", "KWD": "3.0012", "CHF": "1.0544"}
    with open(os.path.join(data, "rates.csv"), "w") as f:
        f.write("currency,eur_per_unit\n" + "".join("%s,%s\n" % kv for kv in rates.items()))
    tot = {}
    for l in lines:
        if not F.line_ok(l):
            continue
        r = F.parse(l)
        fy, p = F.fiscal(r["date"])
        if (fy, (p - 1) // 3 + 1) != (2025, 2) or r["account"][0] not in "56":
            continue
        v = F.to_major(F.natural(r["account"], F.signed_minor(r)), r["currency"]) * Decimal(rates[r["currency"]])
        tot[r["cost_centre"]] = tot.get(r["cost_centre"], Decimal(0)) + v
    dump_json(os.path.join(tests, "expected.json"), {"quarter": "FY2025-Q2",
                                                     "expenses_eur": {k: str(v.quantize(Decimal("0.0001"))) for k, v in sorted(tot.items())}})


# ---------------------------------------------------------------- a3: corrections + re-key
def gen_a3():
    rng = random.Random(1303)
    data, tests = task_dirs("ledger-a3")
    recs = make_postings(rng, 60, dt.date(2025, 2, 1), dt.date(2025, 2, 28), ["MU01", "MU02"], ["EUR"], n_rev=2)
    truth = [line(r) for r in recs]
    # approved corrections: new amounts for 3 records
    corr_idx = rng.sample([i for i, r in enumerate(recs) if r["type"] == "D"], 3)
    corrections = []
    final = list(truth)
    for i in corr_idx:
        r = dict(recs[i])
        new = r["amount"] + rng.choice([-1, 1]) * rng.randint(100, 5000)
        corrections.append((r["seq"], "amount", "%s" % F.to_major(new, "EUR")))
        r["amount"] = new
        final[i] = line(r)
    lines = list(truth)
    bad_idx = rng.sample([i for i in range(len(recs)) if i not in corr_idx], 2)
    for i in bad_idx:
        lines[i] = corrupt(rng, lines[i])
    write_flx(os.path.join(data, "NWDE-GL-2025-02.flx"), F.header("NWDE", "EUR", "20250303", "GL000201"), lines)
    vdir = os.path.join(data, "vouchers")
    os.makedirs(vdir)
    for r in recs:
        with open(os.path.join(vdir, "NW-%s-%06d.txt" % (r["date"][:4], r["seq"])), "w") as f:
            f.write(voucher_text(r))
    with open(os.path.join(data, "corrections.csv"), "w") as f:
        f.write("sequence,field,new_value,approved_by\n")
        for s, fld, v in corrections:
            f.write("%08d,%s,%s EUR,controller\n" % (s, fld, v))
    dump_json(os.path.join(tests, "expected.json"), {"records": [l[:64] for l in final], "input_records": [l[:64] for l in lines],
                                                     "corrupted_seqs": [recs[i]["seq"] for i in bad_idx],
                                                     "corrected_seqs": [recs[i]["seq"] for i in corr_idx]})


# ---------------------------------------------------------------- a4: split by fiscal period
def gen_a4():
    rng = random.Random(1404)
    data, tests = task_dirs("ledger-a4")
    recs = make_postings(rng, 120, dt.date(2024, 5, 15), dt.date(2024, 9, 20), ["NY01", "NY02", "SF01"], ["USD"], n_rev=5)
    lines = [line(r) for r in recs]
    bad = rng.sample(range(len(lines)), 4)
    for i in bad:
        lines[i] = corrupt(rng, lines[i])
    hdr = F.header("NWUS", "USD", "20240921", "GL000333")
    write_flx(os.path.join(data, "NWUS-GL-2024-Q.flx"), hdr, lines)
    per = {}
    for l in lines:
        if F.line_ok(l):
            fy, p = F.fiscal(l[9:17])
            per.setdefault("FY%d-P%02d" % (fy, p), []).append(l[:64])
    dump_json(os.path.join(tests, "expected.json"), {"header": hdr[:64], "periods": per,
                                                     "rejected_seqs": sorted(int(lines[i][1:9]) for i in bad)})


# ---------------------------------------------------------------- e1: Kyoto JPY, daily files, quarter by account+cc
def gen_e1():
    rng = random.Random(2101)
    data, tests = task_dirs("ledger-e1")
    recs = make_postings(rng, 220, dt.date(2025, 6, 20), dt.date(2025, 10, 10), ["KY01", "KY02", "OS01"], ["JPY"], n_rev=9)
    lines = [line(r) for r in recs]
    for i in rng.sample(range(len(lines)), 7):
        lines[i] = corrupt(rng, lines[i])
    byweek = {}
    for l in lines:
        d = dt.datetime.strptime(l[9:17], "%Y%m%d").date()
        monday = d - dt.timedelta(days=d.weekday())
        byweek.setdefault(monday, []).append(l)
    kdir = os.path.join(data, "kyoto")
    for monday, ls in sorted(byweek.items()):
        write_flx(os.path.join(kdir, "NWJP-GL-%s.flx" % monday.strftime("%Y%m%d")),
                  F.header("NWJP", "JPY", d8(monday + dt.timedelta(days=7)), "GL0000JP"), ls)
    bal = natural_balances(lines, lambda r: "%s|%s" % (r["account"], r["cost_centre"]),
                           lambda d: F.fiscal(d)[0] == 2026 and F.fiscal(d)[1] <= 3)
    dump_json(os.path.join(tests, "expected.json"), {"quarter": "FY2026-Q1", "balances_jpy": dict(sorted(bal.items()))})


# ---------------------------------------------------------------- e2: trap: close re-key
def gen_e2():
    rng = random.Random(2202)
    data, tests = task_dirs("ledger-e2")
    recs = make_postings(rng, 90, dt.date(2025, 1, 1), dt.date(2025, 1, 31), ["MU01", "MU02", "BE01"], ["EUR", "CHF"], n_rev=3)
    truth = [line(r) for r in recs]
    lines = list(truth)
    rev_idx = [i for i, r in enumerate(recs) if r["type"] == "R"]
    bad_idx = sorted(set(rng.sample(range(len(recs)), 4) + rev_idx[:1]))
    for i in bad_idx:
        lines[i] = corrupt(rng, lines[i])
    write_flx(os.path.join(data, "close", "NWDE-GL-2025-01.flx"), F.header("NWDE", "EUR", "20250202", "GL000200"), lines)
    vdir = os.path.join(data, "vouchers", "NWDE-2025-01")
    os.makedirs(vdir)
    for r in recs:
        with open(os.path.join(vdir, "NW-%s-%06d.txt" % (r["date"][:4], r["seq"])), "w") as f:
            f.write(voucher_text(r))
    dump_json(os.path.join(tests, "expected.json"), {"records": [l[:64] for l in truth], "input_records": [l[:64] for l in lines],
                                                     "corrupted_seqs": [recs[i]["seq"] for i in bad_idx]})


# ---------------------------------------------------------------- e3: composition: reload a period into the warehouse
def gen_e3():
    import sqlite3
    rng = random.Random(2303)
    data, tests = task_dirs("ledger-e3")
    recs = make_postings(rng, 80, dt.date(2024, 11, 1), dt.date(2024, 11, 30), ["LN01", "LN02"], ["GBP"], n_rev=3)
    lines = [line(r) for r in recs]
    for i in rng.sample(range(len(lines)), 3):
        lines[i] = corrupt(rng, lines[i])
    write_flx(os.path.join(data, "NWUK-GL-FY2025-P05.flx"), F.header("NWUK", "GBP", "20241202", "GL000121"), lines)
    db = os.path.join(data, "warehouse.db")
    con = sqlite3.connect(db)
    con.executescript(open(os.path.join(FAM, "..", "warehouse", "generator", "schema_gl.sql")).read())
    con.execute("INSERT INTO meta_batch VALUES ('B2024-1130-01','flx:NWUK-GL000119','2024-11-30T22:00:00',0,NULL)")
    con.execute("INSERT INTO meta_batch VALUES ('B2024-1201-02','flx:NWUK-GL000120','2024-12-01T22:00:00',0,NULL)")
    # earlier (wrong) load of P05 and some P04/P06-ish rows that must stay
    wrong = make_postings(random.Random(99), 60, dt.date(2024, 10, 20), dt.date(2024, 12, 3), ["LN01", "LN02"], ["GBP"], n_rev=0)
    pid = 1
    keep_ids, stale_ids = [], []
    for r in wrong:
        ent = "NWUK" if rng.random() < 0.8 else "NWDE"
        con.execute("INSERT INTO fact_gl_posting VALUES (?,?,?,?,?,?,?,?,?,?,0,NULL)",
                    (pid, ent, r["seq"], "%s-%s-%s" % (r["date"][:4], r["date"][4:6], r["date"][6:]), r["account"], r["cc"],
                     r["amount"] * (1 if r["dc"] == "D" else -1), "GBP", "B2024-1130-01" if r["date"] < "20241115" else "B2024-1201-02", None))
        (stale_ids if ent == "NWUK" and r["date"].startswith("202411") else keep_ids).append(pid)
        pid += 1
    # one already soft-deleted stale row
    con.execute("UPDATE fact_gl_posting SET is_deleted=1, deleted_reason='typo' WHERE posting_id=?", (stale_ids[0],))
    con.commit()
    con.close()
    # the warehouse helper ships in this task's image only (composition with the warehouse family)
    shutil.copy(os.path.join(FAM, "..", "..", "environments", "warehouse", "bin", "whq"), os.path.join(FAM, "ledger-e3", "environment", "whq"))
    exp = []
    for l in lines:
        if F.line_ok(l):
            r = F.parse(l)
            exp.append([r["seq"], "%s-%s-%s" % (r["date"][:4], r["date"][4:6], r["date"][6:]), r["account"], r["cost_centre"], F.signed_minor(r), r["currency"]])
    dump_json(os.path.join(tests, "expected.json"), {"new_rows": sorted(exp), "stale_ids": stale_ids[1:], "already_deleted": [stale_ids[0]],
                                                     "keep_ids": keep_ids, "n_rows_before": pid - 1})


# ---------------------------------------------------------------- e4: transfer: write an FLX file from a CSV journal
def gen_e4():
    rng = random.Random(2404)
    data, tests = task_dirs("ledger-e4")
    recs = make_postings(rng, 45, dt.date(2025, 3, 1), dt.date(2025, 3, 31), ["KW01", "KW02"], ["KWD", "USD"], n_rev=2)
    with open(os.path.join(data, "journal-2025-03.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sequence", "posting_date", "account", "cost_centre", "amount", "currency", "reference", "reverses_sequence"])
        for r in recs:
            # the journal shows each line's economic effect: a reversal carries the opposite sign of its original
            amt = F.to_major(F.signed_minor(dict(type=r["type"], dc=r["dc"], amount_minor=r["amount"])), r["currency"])
            rev = ""
            if r["type"] == "R":
                rev = r["reference"][4:]
            d = dt.datetime.strptime(r["date"], "%Y%m%d").date()
            w.writerow([r["seq"], d.strftime("%d/%m/%Y"), r["account"], r["cc"], "{:f}".format(amt), r["currency"],
                        "" if r["type"] == "R" else r["reference"], rev])
    exp = [line(r)[:64] for r in recs]
    dump_json(os.path.join(tests, "expected.json"), {"records": exp, "header": {"entity": "NWKW", "currency": "KWD", "created": "20250401", "ledger_id": "GL000410"}})


if __name__ == "__main__":
    for g in (gen_a1, gen_a2, gen_a3, gen_a4, gen_e1, gen_e2, gen_e3, gen_e4):
        g()
        print("generated", g.__name__)
