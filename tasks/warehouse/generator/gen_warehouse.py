#!/usr/bin/env python3
"""Seeded generator for the warehouse family: builds each task's SQLite warehouse (or PostgreSQL
dump) in environment/data/ and the expected results in tests/expected.json (computed with the
reference SQL below on the pristine data). Run: python3 tasks/warehouse/generator/gen_warehouse.py"""
import datetime as dt, hashlib, json, os, random, shutil, sqlite3, sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAM = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(FAM))
sys.path.insert(0, os.path.join(ROOT, "tasks", "ledger", "generator"))
import flxlib as F

REGIONS = ["North", "South", "East", "West", "Central"]
SEGMENTS = ["Bronze", "Silver", "Gold"]
CATEGORIES = ["Beverages", "Condiments", "Confections", "Dairy", "Grains", "Seafood"]
FAR = "9999-12-31"

NET_SQL = """
WITH lines AS (
  SELECT l.order_line_id, l.order_date, l.qty, l.unit_price_cents, l.discount_bp, c.region, c.segment, p.category
  FROM fact_order_line l
  JOIN dim_customer c ON c.customer_id = l.customer_id AND l.order_date >= c.valid_from AND l.order_date < c.valid_to AND c.is_deleted = 0
  JOIN dim_product p ON p.product_id = l.product_id AND l.order_date >= p.valid_from AND l.order_date < p.valid_to AND p.is_deleted = 0
  WHERE l.is_deleted = 0),
ev AS (
  SELECT order_date AS d, region, category, (qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000 AS cents FROM lines
  UNION ALL
  SELECT r.return_date, region, category, -((r.qty * unit_price_cents * (10000 - discount_bp) + 5000) / 10000)
  FROM fact_return r JOIN lines ON lines.order_line_id = r.order_line_id WHERE r.is_deleted = 0)
"""


def fweek_start(fy):
    j = dt.date(fy - 1, 7, 1)
    return j - dt.timedelta(days=j.weekday())


def task_dirs(tid):
    base = os.path.join(FAM, tid)
    data, tests = os.path.join(base, "environment", "data"), os.path.join(base, "tests")
    if os.path.isdir(data):
        shutil.rmtree(data)
    os.makedirs(data)
    os.makedirs(tests, exist_ok=True)
    shutil.copy(os.path.join(ROOT, "tasks", "ledger", "generator", "vlib.py"), tests)
    return data, tests


def dump_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def rdate(rng, a, b):
    return (a + dt.timedelta(days=rng.randint(0, (b - a).days))).isoformat()


def build(path, seed, start, end, n_lines=450, n_cust=36, n_prod=20):
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.executescript(open(os.path.join(HERE, "schema.sql")).read())
    for fy in range(2024, 2028):
        s, e = fweek_start(fy), fweek_start(fy + 1)
        w = 1
        while s < e:
            con.execute("INSERT INTO cal_fiscal_week(fiscal_year,fiscal_week,week_start,week_end) VALUES (?,?,?,?)",
                        (fy, w, s.isoformat(), (s + dt.timedelta(days=6)).isoformat()))
            s += dt.timedelta(days=7)
            w += 1
    con.execute("INSERT INTO meta_batch VALUES ('B2024-0101-01','erp:orders','2024-01-01T02:00:00',0,NULL)")
    sk = 1
    for i in range(n_cust):
        cid = "C%04d" % (100 + i)
        cuts = sorted(rdate(rng, start, end) for _ in range(rng.choice([0, 0, 1, 1, 2, 3])))
        bounds = ["2020-01-01"] + cuts + [FAR]
        seg, reg = rng.choice(SEGMENTS), rng.choice(REGIONS)
        for v in range(len(bounds) - 1):
            if bounds[v] == bounds[v + 1]:
                continue
            con.execute("INSERT INTO dim_customer VALUES (?,?,?,?,?,?,?,0,NULL)", (sk, cid, "Customer %s" % cid, seg, reg, bounds[v], bounds[v + 1]))
            sk += 1
            if rng.random() < 0.5:
                seg = rng.choice([s for s in SEGMENTS if s != seg])
            else:
                reg = rng.choice([r for r in REGIONS if r != reg])
        if rng.random() < 0.2:  # an erroneous version, overlapping, already soft-deleted
            con.execute("INSERT INTO dim_customer VALUES (?,?,?,?,?,?,?,1,'wrong segment from CRM sync')",
                        (sk, cid, "Customer %s" % cid, rng.choice(SEGMENTS), rng.choice(REGIONS), rdate(rng, start, end), FAR))
            sk += 1
    psk = 1
    for i in range(n_prod):
        pid = "P%03d" % (10 + i)
        cuts = sorted(rdate(rng, start, end) for _ in range(rng.choice([0, 0, 1])))
        bounds = ["2020-01-01"] + cuts + [FAR]
        cat, price = rng.choice(CATEGORIES), rng.randint(150, 9000)
        for v in range(len(bounds) - 1):
            if bounds[v] == bounds[v + 1]:
                continue
            con.execute("INSERT INTO dim_product VALUES (?,?,?,?,?,?,?,0,NULL)", (psk, pid, "Product %s" % pid, cat, price, bounds[v], bounds[v + 1]))
            psk += 1
            cat = rng.choice([c for c in CATEGORIES if c != cat]) if rng.random() < 0.6 else cat
            price = int(price * rng.choice([1.05, 1.1, 0.95]))
        if rng.random() < 0.15:
            con.execute("INSERT INTO dim_product VALUES (?,?,?,?,?,?,?,1,'duplicate from PIM')",
                        (psk, pid, "Product %s" % pid, rng.choice(CATEGORIES), price, "2020-01-01", FAR))
            psk += 1
    lines = []
    for i in range(n_lines):
        lid = "OL%06d" % (5000 + i)
        d = rdate(rng, start, end)
        deleted = rng.random() < 0.06
        row = (lid, "SO%05d" % (900 + i // 3), d, "C%04d" % (100 + rng.randrange(n_cust)), "P%03d" % (10 + rng.randrange(n_prod)),
               rng.randint(1, 12), rng.randint(150, 9000), rng.choice([0, 0, 0, 250, 500, 1000, 1250]), "B2024-0101-01",
               1 if deleted else 0, "cancelled order" if deleted else None)
        con.execute("INSERT INTO fact_order_line VALUES (?,?,?,?,?,?,?,?,?,?,?)", row)
        lines.append(row)
    for i, l in enumerate(rng.sample(lines, n_lines // 10)):
        rd = (dt.date.fromisoformat(l[2]) + dt.timedelta(days=rng.randint(1, 30))).isoformat()
        deleted = rng.random() < 0.1
        con.execute("INSERT INTO fact_return VALUES (?,?,?,?,?,?,?)", ("RT%05d" % (300 + i), l[0], rd, rng.randint(1, l[5]),
                                                                      "B2024-0101-01", 1 if deleted else 0, "entered twice" if deleted else None))
    con.commit()
    return con, rng


def q(con, sql, *args):
    return [list(r) for r in con.execute(sql, args)]


def region_week(con, fy, w1, w2):
    return q(con, NET_SQL + """SELECT w.fiscal_year, w.fiscal_week, ev.region, SUM(ev.cents) FROM ev
      JOIN cal_fiscal_week w ON ev.d BETWEEN w.week_start AND w.week_end AND w.is_deleted = 0
      WHERE w.fiscal_year = ? AND w.fiscal_week BETWEEN ? AND ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""", fy, w1, w2)


def gen_a1():
    data, tests = task_dirs("warehouse-a1")
    con, _ = build(os.path.join(data, "warehouse.db"), 3101, dt.date(2024, 7, 15), dt.date(2024, 11, 30))
    dump_json(os.path.join(tests, "expected.json"), {"rows": region_week(con, 2025, 10, 13)})


def gen_a2():
    data, tests = task_dirs("warehouse-a2")
    con, _ = build(os.path.join(data, "warehouse.db"), 3202, dt.date(2024, 9, 1), dt.date(2024, 12, 31))
    rows = q(con, NET_SQL + """SELECT w.fiscal_year, w.fiscal_week, ev.category, SUM(ev.cents) FROM ev
      JOIN cal_fiscal_week w ON ev.d BETWEEN w.week_start AND w.week_end AND w.is_deleted = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")
    dump_json(os.path.join(tests, "expected.json"), {"rows": rows})


def asof(con, d):
    return {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT customer_id, segment, region FROM dim_customer WHERE is_deleted = 0 AND valid_from <= ? AND ? < valid_to", (d, d))}


def gen_a3():
    data, tests = task_dirs("warehouse-a3")
    con, _ = build(os.path.join(data, "warehouse.db"), 3303, dt.date(2024, 8, 1), dt.date(2025, 2, 28), n_cust=60)
    snap = asof(con, "2024-11-30")
    dump_json(os.path.join(tests, "expected.json"), {"gold": sorted([c, r] for c, (s, r) in snap.items() if s == "Gold")})


def double_load(con, rng, frac=0.12, batch="B2024-1015-02", loaded="2024-10-15T02:00:00"):
    con.execute("INSERT INTO meta_batch VALUES (?, 'erp:orders (re-run)', ?, 0, NULL)", (batch, loaded))
    ids = [r[0] for r in con.execute("SELECT order_line_id FROM fact_order_line WHERE is_deleted = 0")]
    dups = sorted(rng.sample(ids, int(len(ids) * frac)))
    for i in dups:
        con.execute("INSERT INTO fact_order_line SELECT order_line_id, order_id, order_date, customer_id, product_id, qty, unit_price_cents,"
                    " discount_bp, ?, 0, NULL FROM fact_order_line WHERE order_line_id = ? AND is_deleted = 0", (batch, i))
    con.commit()
    return dups


def gate_expected(con, tests, dups, rerun):
    orphans = [r[0] for r in con.execute("""SELECT r.return_id FROM fact_return r WHERE r.is_deleted = 0
        AND NOT EXISTS (SELECT 1 FROM fact_order_line l WHERE l.order_line_id = r.order_line_id AND l.is_deleted = 0)""")]
    n = {t: con.execute("SELECT COUNT(*) FROM %s" % t).fetchone()[0] for t in ("fact_order_line", "fact_return", "dim_customer", "dim_product")}
    act = {t: con.execute("SELECT COUNT(*) FROM %s WHERE is_deleted = 0" % t).fetchone()[0] for t in ("fact_order_line", "fact_return")}
    checks = os.path.join(ROOT, "environments", "warehouse", "checks.d")
    shas = {f: hashlib.sha256(open(os.path.join(checks, f), "rb").read()).hexdigest() for f in sorted(os.listdir(checks))}
    shutil.copytree(checks, os.path.join(tests, "checks.d"), dirs_exist_ok=True)
    dump_json(os.path.join(tests, "expected.json"), {"dup_ids": dups, "rerun_batch": rerun, "orphan_returns": sorted(orphans),
                                                     "counts": n, "active_after": {"fact_order_line": act["fact_order_line"] - len(dups),
                                                     "fact_return": act["fact_return"] - len(orphans)}, "checks_sha256": shas})


def gen_a4():
    data, tests = task_dirs("warehouse-a4")
    con, rng = build(os.path.join(data, "warehouse.db"), 3404, dt.date(2024, 7, 1), dt.date(2024, 10, 10))
    # the re-run batch was registered EARLIER in the file order but loaded later; original batch loaded first
    dups = double_load(con, rng)
    gate_expected(con, tests, dups, "B2024-1015-02")


def gen_e2():
    data, tests = task_dirs("warehouse-e2")
    con, rng = build(os.path.join(data, "warehouse.db"), 4202, dt.date(2024, 12, 1), dt.date(2025, 3, 10))
    # the re-run batch id sorts BEFORE the original one, but was loaded later: keep the earliest loaded_at
    con.execute("UPDATE meta_batch SET batch_id = 'B2025-0312-07' WHERE batch_id = 'B2024-0101-01'")
    con.execute("UPDATE fact_order_line SET batch_id = 'B2025-0312-07'")
    con.execute("UPDATE fact_return SET batch_id = 'B2025-0312-07'")
    con.execute("UPDATE meta_batch SET loaded_at = '2025-03-12T02:00:00'")
    dups = double_load(con, rng, frac=0.08, batch="B2025-0311-R1", loaded="2025-03-13T02:10:00")
    # orphan returns: returns keyed against order lines that were cancelled (soft-deleted) or never existed
    deleted_lines = [r[0] for r in con.execute("SELECT order_line_id FROM fact_order_line WHERE is_deleted = 1")]
    orphans = []
    for i, lid in enumerate(rng.sample(deleted_lines, 3) + ["OL999901", "OL999902"]):
        rid = "RT9%04d" % i
        con.execute("INSERT INTO fact_return VALUES (?,?,?,?,?,0,NULL)", (rid, lid, "2025-03-11", 1, "B2025-0312-07"))
        orphans.append(rid)
    con.commit()
    gate_expected(con, tests, dups, "B2025-0311-R1")


def gen_e1():
    """PostgreSQL transfer: the data ships as a SQL dump loaded by nw-pg on first start."""
    data, tests = task_dirs("warehouse-e1")
    tmp = os.path.join(tests, "_tmp.db")
    if os.path.exists(tmp):
        os.remove(tmp)
    con, _ = build(tmp, 4101, dt.date(2025, 7, 20), dt.date(2025, 11, 15))
    rows = q(con, NET_SQL + """SELECT w.fiscal_year, w.fiscal_week, ev.region, SUM(ev.cents) FROM ev
      JOIN cal_fiscal_week w ON ev.d BETWEEN w.week_start AND w.week_end AND w.is_deleted = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")
    os.makedirs(os.path.join(data, "pg"))
    out = ["-- Northwind marts (PostgreSQL). Generated.", "BEGIN;"]
    ddl = open(os.path.join(HERE, "schema.sql")).read()
    ddl = ddl.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "SERIAL PRIMARY KEY")
    for t in ("cal_fiscal_week", "dim_customer", "dim_product", "fact_order_line", "fact_return"):
        for c in ("week_start", "week_end", "valid_from", "valid_to", "order_date", "return_date"):
            ddl = ddl.replace("%s TEXT NOT NULL" % c, "%s date NOT NULL" % c)
    out.append(ddl)
    for t in ("meta_batch", "cal_fiscal_week", "dim_customer", "dim_product", "fact_order_line", "fact_return"):
        for r in con.execute("SELECT * FROM %s" % t):
            vals = ",".join("NULL" if v is None else str(v) if isinstance(v, int) else "'%s'" % str(v).replace("'", "''") for v in r)
            out.append("INSERT INTO %s VALUES (%s);" % (t, vals))
    out.append("COMMIT;")
    open(os.path.join(data, "pg", "northwind.sql"), "w").write("\n".join(out) + "\n")
    con.close()
    os.remove(tmp)
    dump_json(os.path.join(tests, "expected.json"), {"rows": rows})


def gen_e3():
    """Composition with the ledger family: warehouse net sales vs GL product-sales revenue (FLX)."""
    data, tests = task_dirs("warehouse-e3")
    con, rng = build(os.path.join(data, "warehouse.db"), 4303, dt.date(2024, 9, 20), dt.date(2025, 1, 10), n_lines=500)
    daily = dict(q(con, NET_SQL + "SELECT d, SUM(cents) FROM ev GROUP BY d"))
    recs, seq = [], 1
    for d in sorted(daily):
        amt = daily[d]
        if rng.random() < 0.08:
            amt += rng.choice([-1, 1]) * rng.randint(500, 20000)   # a real difference the reconciliation must show
        d8 = d.replace("-", "")
        dc = "C" if amt >= 0 else "D"
        recs.append(F.detail("D", seq, d8, "410000", "MU01", dc, abs(amt), "EUR", "POS-%s" % d8)); seq += 1
        recs.append(F.detail("D", seq, d8, "120000", "MU01", "D" if dc == "C" else "C", abs(amt), "EUR", "POS-%s" % d8)); seq += 1
        if rng.random() < 0.1:
            x = rng.randint(1000, 90000)
            recs.append(F.detail("D", seq, d8, "430000", "MU01", "C", x, "EUR", "FREIGHT")); seq += 1
    for i in rng.sample(range(len(recs)), 4):   # posted and reversed later
        r = recs[i]
        rd = (dt.date(int(r[9:13]), int(r[13:15]), int(r[15:17])) + dt.timedelta(days=rng.randint(1, 20))).strftime("%Y%m%d")
        recs.append(F.detail("R", seq, rd, r[17:23], r[23:27], r[27], int(r[28:41]), "EUR", "REV %08d" % int(r[1:9]))); seq += 1
    recs.sort(key=lambda l: (l[9:17], l[1:9]))
    for i in rng.sample(range(len(recs)), 5):
        b = recs[i]
        pos = rng.randrange(28, 41)
        recs[i] = b[:pos] + str((int(b[pos]) + 3) % 10) + b[pos + 1:]
        assert not F.line_ok(recs[i]) or True
    lines = [F.header("NWDE", "EUR", "20250115", "GL000250")] + recs + [F.trailer(recs)]
    open(os.path.join(data, "NWDE-GL-FY2025-Q2.flx"), "w").write("\n".join(lines) + "\n")
    wh = dict(q(con, NET_SQL + """SELECT CAST(substr(d,1,4) AS INTEGER) * 100 + CAST(substr(d,6,2) AS INTEGER), SUM(cents) FROM ev
                                  WHERE d BETWEEN '2024-10-01' AND '2024-12-31' GROUP BY 1"""))
    gl = {}
    for l in recs:
        if not F.line_ok(l):
            continue
        r = F.parse(l)
        if r["account"] == "410000" and "20241001" <= r["date"] <= "20241231":
            k = int(r["date"][:6])
            gl[k] = gl.get(k, 0) + F.natural(r["account"], F.signed_minor(r))
    per = {202410: "FY2025-P04", 202411: "FY2025-P05", 202412: "FY2025-P06"}
    dump_json(os.path.join(tests, "expected.json"), {"rows": [[per[k], wh.get(k, 0), gl.get(k, 0)] for k in sorted(per)]})
    env = os.path.join(FAM, "warehouse-e3", "environment")
    shutil.copy(os.path.join(ROOT, "environments", "ledger", "bin", "flx"), os.path.join(env, "flx"))
    shutil.copy(os.path.join(ROOT, "environments", "ledger", "man", "flx.1"), os.path.join(env, "flx.1"))
    shutil.copy(os.path.join(ROOT, "environments", "ledger", "man", "flx.5"), os.path.join(env, "flx.5"))


def gen_e4():
    data, tests = task_dirs("warehouse-e4")
    con, _ = build(os.path.join(data, "warehouse.db"), 4404, dt.date(2024, 8, 1), dt.date(2025, 3, 31), n_cust=70)
    a, b = asof(con, "2024-10-01"), asof(con, "2024-12-31")
    moves = sorted([c, a[c][0], b[c][0]] for c in a if c in b and a[c][0] != b[c][0])
    dump_json(os.path.join(tests, "expected.json"), {"moves": moves})


if __name__ == "__main__":
    for g in (gen_a1, gen_a2, gen_a3, gen_a4, gen_e1, gen_e2, gen_e3, gen_e4):
        g()
        print("generated", g.__name__)
