"""Scenario templates (tests/scenario.py of each task). DATA is filled in by the generator per seed."""

HEAD = '''"""Hidden behaviour scenario (run by runner.py on the original and on the migrated program)."""
import contextlib
import importlib
import io
import json
import os
import shutil
import sys
import tempfile

DATA = __DATA__


def capture(fn, *a, **kw):
    """(return value or exception name+message, stdout, stderr)"""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            value = fn(*a, **kw)
        except Exception as e:  # noqa: BLE001
            value = {"raised": type(e).__name__, "message": str(e)}
    return value, out.getvalue(), err.getvalue()


def store_dump(path):
    """Contents of a store file written by nwlib.v1 (plain JSON) or nwlib.v2 (format 2)."""
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        raw = json.load(fh)
    return raw["data"] if isinstance(raw, dict) and raw.get("_format") == 2 else raw
'''

A1 = HEAD + '''

def run(root):
    inv = importlib.import_module("invoice")
    res = {}
    tmp = tempfile.mkdtemp()
    for i, order in enumerate(DATA["orders"]):
        res["lines_%d" % i] = capture(inv.invoice_lines, order)[0]
        p = os.path.join(tmp, "order%d.json" % i)
        with open(p, "w") as fh:
            json.dump(order, fh)
        res["main_%d" % i] = capture(inv.main, ["invoice.py", p])[:2]
    shutil.rmtree(tmp)
    return res
'''

A2 = HEAD + '''

def run(root):
    st = importlib.import_module("stockroom")
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "stock.json")
    res = {"deliveries": [capture(st.record_delivery, db, *d)[0] for d in DATA["deliveries"]]}
    res["levels"] = {sku: capture(st.stock_level, db, sku)[0] for sku in DATA["skus"] + ["UNKNOWN-1"]}
    res["stale"] = [capture(st.stale_skus, db, t, n)[0] for t, n in DATA["stale_queries"]]
    res["store"] = store_dump(db)
    bad = capture(st.record_delivery, db, DATA["skus"][0], 1, "2024-13-45")[0]
    res["bad_date"] = bad.get("raised") if isinstance(bad, dict) and "raised" in bad else "no error"
    shutil.rmtree(tmp)
    return res
'''

A3 = HEAD + '''

class Client:
    def __init__(self, plan):
        self.plan = dict(plan)
        self.calls = []

    def send(self, batch):
        self.calls.append(batch["id"])
        left = self.plan.get(batch["id"], 0)
        if left:
            self.plan[batch["id"]] = left - 1
            raise (ConnectionResetError if left % 2 else ConnectionError)("gateway %s unavailable" % batch["id"])
        return len(batch["records"])


def run(root):
    sy = importlib.import_module("syncer")
    res = {}
    for i, case in enumerate(DATA["cases"]):
        c = Client(case["failures"])
        value, out, err = capture(sy.sync, c, case["batches"])
        res["case_%d" % i] = {"result": value, "stderr": err, "calls": c.calls}
    return res
'''

A4 = HEAD + '''

def run(root):
    rates = importlib.import_module("routing.rates")
    planner = importlib.import_module("routing.planner")
    res = {"cards": [capture(rates.rate_card, w, h)[0] for w, h in DATA["cards"]],
           "costs": [round(capture(rates.parcel_cost, w, z, h)[0], 6) for w, z, h in DATA["costs"]]}
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "plan.json")
    res["assign"] = [capture(planner.assign, db, *a)[::2] for a in DATA["assign"]]
    res["manifests"] = [capture(planner.manifest, db, r, d)[0] for r, d in DATA["manifests"]]
    res["store"] = store_dump(db)
    shutil.rmtree(tmp)
    return res
'''

E1 = HEAD + '''

def run(root):
    rt = importlib.import_module("returns")
    tmp = tempfile.mkdtemp()
    res = {}
    for i, (rows, today) in enumerate(DATA["batches"]):
        p = os.path.join(tmp, "returns%d.csv" % i)
        with open(p, "w") as fh:
            fh.write("order,bought,price,opened,weight_oz,zone\\n")
            for r in rows:
                fh.write(",".join(str(x) for x in r) + "\\n")
        value, out, err = capture(rt.process, p, today)
        res["batch_%d" % i] = {"slips": value, "stderr": err}
    shutil.rmtree(tmp)
    return res
'''

E2 = HEAD + '''

class Gateway:
    def __init__(self, flaky):
        self.flaky = dict(flaky)
        self.calls = []

    def transfer(self, courier, cents):
        self.calls.append([courier, cents])
        if self.flaky.get(courier, 0):
            self.flaky[courier] -= 1
            raise ConnectionError("bank timeout")
        return "TX-%s-%d" % (courier, cents)


def run(root):
    batch = importlib.import_module("payouts.batch")
    report = importlib.import_module("payouts.report")
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "paid.json")
    res = {}
    for i, (payouts, flaky) in enumerate(DATA["runs"]):
        g = Gateway(flaky)
        res["run_%d" % i] = {"paid": capture(batch.pay_all, db, g, payouts)[0], "calls": g.calls, "store": store_dump(db)}
    res["statements"] = [capture(report.statement, p)[0] for p, _ in DATA["runs"]]
    shutil.rmtree(tmp)
    return res
'''

E3 = HEAD + '''

class Tariffs:
    def __init__(self, table, flaky, dead):
        self.table, self.flaky, self.dead = table, dict(flaky), set(dead)
        self.calls = []

    def __call__(self, meter):
        self.calls.append(meter)
        if meter in self.dead:
            raise TimeoutError("tariff service timeout for %s" % meter)
        if self.flaky.get(meter, 0):
            self.flaky[meter] -= 1
            raise ConnectionError("tariff service reset")
        return self.table[meter]


def run(root):
    m = importlib.import_module("meters")
    res = {}
    for i, case in enumerate(DATA["cases"]):
        tmp = tempfile.mkdtemp()
        db = os.path.join(tmp, "billing.json")
        t = Tariffs(case["tariffs"], case["flaky"], case["dead"])
        value, out, err = capture(m.import_readings, db, case["readings"], t)
        res["case_%d" % i] = {"result": value, "stderr": err, "calls": t.calls, "store": store_dump(db),
                              "total": capture(m.total_cost, db)[0] if os.path.exists(db) else None}
        shutil.rmtree(tmp)
    return res
'''

E4 = HEAD + '''

def run(root):
    pricing = importlib.import_module("tallyman.pricing")
    return {"summary_%d" % i: capture(pricing.checkout_summary, items, w, z)[0]
            for i, (items, w, z) in enumerate(DATA["checkouts"])}
'''

R4 = HEAD + '''

def run(root):
    berths = importlib.import_module("dockyard.berths")
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "berths.json")
    res = {"bookings": [capture(berths.book, db, *b)[::2] for b in DATA["bookings"]]}
    res["schedules"] = [capture(berths.schedule, db, d)[0] for d in DATA["days"]]
    res["store"] = store_dump(db)
    shutil.rmtree(tmp)
    return res
'''
