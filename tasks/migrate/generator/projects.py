"""Source of the programs to migrate: ORIGINAL (nwlib.v1) and MIGRATED (oracle, nwlib.v2)."""

# ---------------------------------------------------------------- migrate-a1: invoicing
A1_ORIG = {"invoice.py": '''"""Northwind invoicing: render an order (JSON) as invoice lines."""
import json
import sys

from nwlib.v1 import money, shipping


def line_total(item):
    return item["qty"] * item["unit_price"]


def invoice_lines(order):
    """Invoice lines for an order {"items": [{"sku", "qty", "unit_price"}], "weight_lb", "zone"}."""
    lines = []
    subtotal = 0.0
    for item in order["items"]:
        total = line_total(item)
        subtotal += total
        lines.append("%-12s %3d x %10s = %11s" % (item["sku"], item["qty"], money.to_display(item["unit_price"]),
                                                money.to_display(total)))
    ship = shipping.quote(order["weight_lb"], order["zone"])
    lines.append("shipping zone %s, %.2f lb: %s" % (order["zone"], order["weight_lb"], money.to_display(ship)))
    lines.append("TOTAL %s" % money.to_display(subtotal + ship))
    return lines


def main(argv):
    with open(argv[1]) as fh:
        order = json.load(fh)
    print("\\n".join(invoice_lines(order)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
'''}
A1_NEW = {"invoice.py": '''"""Northwind invoicing: render an order (JSON) as invoice lines."""
import json
import sys

from nwlib.v2 import money, shipping, units


def line_total(item):
    """Line total in integer cents."""
    return item["qty"] * money.cents(item["unit_price"])


def invoice_lines(order):
    """Invoice lines for an order {"items": [{"sku", "qty", "unit_price"}], "weight_lb", "zone"}."""
    lines = []
    subtotal = 0
    for item in order["items"]:
        total = line_total(item)
        subtotal += total
        lines.append("%-12s %3d x %10s = %11s" % (item["sku"], item["qty"], money.fmt(money.cents(item["unit_price"])),
                                                money.fmt(total)))
    ship = shipping.quote(order["zone"], units.lb_to_kg(order["weight_lb"]))
    lines.append("shipping zone %s, %.2f lb: %s" % (order["zone"], order["weight_lb"], money.fmt(ship)))
    lines.append("TOTAL %s" % money.fmt(subtotal + ship))
    return lines


def main(argv):
    with open(argv[1]) as fh:
        order = json.load(fh)
    print("\\n".join(invoice_lines(order)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
'''}

# ---------------------------------------------------------------- migrate-a2: stockroom
A2_ORIG = {"stockroom.py": '''"""Stockroom deliveries ledger kept in a small JSON store."""
import datetime

from nwlib.v1.dates import parse_date
from nwlib.v1.store import open_store


def record_delivery(db_path, sku, qty, date_text):
    """Add a delivery (date as DD/MM/YYYY); returns the updated record."""
    s = open_store(db_path)
    cur = s.get(sku)
    if cur is None:
        cur = {"qty": 0, "last": None}
    d = parse_date(date_text)
    cur["qty"] += qty
    if cur["last"] is None or d.isoformat() > cur["last"]:
        cur["last"] = d.isoformat()
    s.put(sku, cur)
    s.close()
    return cur


def stock_level(db_path, sku):
    s = open_store(db_path)
    rec = s.get(sku)
    s.close()
    return 0 if rec is None else rec["qty"]


def stale_skus(db_path, today_text, days):
    """SKUs whose last delivery is more than `days` days before today (DD/MM/YYYY)."""
    today = parse_date(today_text)
    s = open_store(db_path)
    out = []
    for sku in s.keys():
        last = datetime.date.fromisoformat(s.get(sku)["last"])
        if (today - last).days > days:
            out.append(sku)
    s.close()
    return out
'''}
A2_NEW = {"stockroom.py": '''"""Stockroom deliveries ledger kept in a small JSON store."""
import datetime

from nwlib.v2 import dates
from nwlib.v2.store import Store


def record_delivery(db_path, sku, qty, date_text):
    """Add a delivery (date as DD/MM/YYYY); returns the updated record."""
    with Store(db_path) as s:
        cur = s.get(sku, None)
        if cur is None:
            cur = {"qty": 0, "last": None}
        d = dates.parse(date_text, fmt="dmy")
        cur["qty"] += qty
        if cur["last"] is None or d.isoformat() > cur["last"]:
            cur["last"] = d.isoformat()
        s.put(sku, cur)
    return cur


def stock_level(db_path, sku):
    with Store(db_path) as s:
        rec = s.get(sku, None)
    return 0 if rec is None else rec["qty"]


def stale_skus(db_path, today_text, days):
    """SKUs whose last delivery is more than `days` days before today (DD/MM/YYYY)."""
    today = dates.parse(today_text, fmt="dmy")
    out = []
    with Store(db_path) as s:
        for sku in s.keys():
            last = datetime.date.fromisoformat(s.get(sku)["last"])
            if (today - last).days > days:
                out.append(sku)
    return out
'''}

# ---------------------------------------------------------------- migrate-a3: syncer
A3_ORIG = {"syncer.py": '''"""Pushes batches of records to the warehouse API, with retries."""
import nwlib.v1.log as nwlog
import nwlib.v1.retry as nwretry


def push_batch(client, batch):
    """Send one batch; True when it was accepted."""
    def send():
        return client.send(batch)

    try:
        n = nwretry.call_with_retry(send, times=3, delay=0.25)
    except ConnectionError as e:
        nwlog.emit("error", "batch %s failed: %s" % (batch["id"], e))
        return False
    nwlog.emit("info", "batch %s sent (%d records)" % (batch["id"], n))
    return True


def sync(client, batches):
    ok = [push_batch(client, b) for b in batches]
    nwlog.emit("warning" if not all(ok) else "info", "%d/%d batches sent" % (sum(ok), len(ok)))
    return ok
'''}
A3_NEW = {"syncer.py": '''"""Pushes batches of records to the warehouse API, with retries."""
from nwlib.v2 import log as nwlog
from nwlib.v2 import retry as nwretry


def push_batch(client, batch):
    """Send one batch; True when it was accepted."""
    def send():
        return client.send(batch)

    try:
        n = nwretry.retry(send, attempts=4, backoff_ms=250)
    except nwretry.RetryError as e:
        if not isinstance(e.last, ConnectionError):
            raise e.last
        nwlog.event("batch %s failed: %s" % (batch["id"], e.last), level="error")
        return False
    nwlog.event("batch %s sent (%d records)" % (batch["id"], n), level="info")
    return True


def sync(client, batches):
    ok = [push_batch(client, b) for b in batches]
    nwlog.event("%d/%d batches sent" % (sum(ok), len(ok)), level="warning" if not all(ok) else "info")
    return ok
'''}

# ---------------------------------------------------------------- migrate-a4: routing package
A4_ORIG = {
    "routing/__init__.py": '"""Northwind parcel routing."""\n',
    "routing/rates.py": '''"""Parcel rates per carrier zone."""
from nwlib.v1 import money
from nwlib.v1.shipping import quote as parcel_quote

HANDLING = {"standard": 0.0, "fragile": 2.5, "cold": 4.75}


def parcel_cost(weight_lb, zone, handling="standard"):
    """Cost in dollars of one parcel."""
    return parcel_quote(weight_lb, zone) + HANDLING[handling]


def rate_card(weight_lb, handling="standard"):
    """Display prices of a parcel for every zone."""
    return {z: money.to_display(parcel_cost(weight_lb, z, handling)) for z in ("A", "B", "C", "D")}
''',
    "routing/planner.py": '''"""Route planning state: which parcels are assigned to which run."""
from nwlib.v1 import dates, log, store


def assign(db_path, parcel_id, run, ship_date):
    """Assign a parcel to a run on ship_date (DD/MM/YYYY). Returns the run's parcel count."""
    d = dates.parse_date(ship_date)
    s = store.open_store(db_path)
    key = "%s@%s" % (run, d.isoformat())
    parcels = s.get(key, [])
    if parcel_id in parcels:
        log.emit("warning", "%s already on %s" % (parcel_id, key))
    else:
        parcels = parcels + [parcel_id]
        s.put(key, parcels)
        log.emit("info", "%s -> %s" % (parcel_id, key))
    s.close()
    return len(parcels)


def manifest(db_path, run, ship_date):
    s = store.open_store(db_path)
    out = s.get("%s@%s" % (run, dates.parse_date(ship_date).isoformat()), [])
    s.close()
    return sorted(out)
''',
    "tests/__init__.py": "",
    "tests/test_rates.py": '''import unittest

from nwlib.v1 import money
from routing import rates


class RatesTest(unittest.TestCase):
    def test_handling_adds(self):
        self.assertAlmostEqual(rates.parcel_cost(2.0, "A", "fragile") - rates.parcel_cost(2.0, "A"), 2.5)

    def test_rate_card_has_all_zones(self):
        card = rates.rate_card(1.0)
        self.assertEqual(sorted(card), ["A", "B", "C", "D"])
        self.assertTrue(all(v.startswith("$") for v in card.values()))
        self.assertEqual(card["A"], money.to_display(rates.parcel_cost(1.0, "A")))
''',
    "tests/test_planner.py": '''import os
import tempfile
import unittest

from routing import planner


class PlannerTest(unittest.TestCase):
    def test_assign_twice(self):
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, "plan.json")
            self.assertEqual(planner.assign(db, "P1", "north", "02/03/2024"), 1)
            self.assertEqual(planner.assign(db, "P1", "north", "02/03/2024"), 1)
            self.assertEqual(planner.assign(db, "P2", "north", "02/03/2024"), 2)
            self.assertEqual(planner.manifest(db, "north", "02/03/2024"), ["P1", "P2"])
''',
}
A4_NEW = {
    "routing/__init__.py": '"""Northwind parcel routing."""\n',
    "routing/rates.py": '''"""Parcel rates per carrier zone."""
from nwlib.v2 import money, units
from nwlib.v2.shipping import quote as parcel_quote

HANDLING = {"standard": 0, "fragile": 250, "cold": 475}  # cents


def parcel_cost_cents(weight_lb, zone, handling="standard"):
    return parcel_quote(zone, units.lb_to_kg(weight_lb)) + HANDLING[handling]


def parcel_cost(weight_lb, zone, handling="standard"):
    """Cost in dollars of one parcel."""
    return parcel_cost_cents(weight_lb, zone, handling) / 100.0


def rate_card(weight_lb, handling="standard"):
    """Display prices of a parcel for every zone."""
    return {z: money.fmt(parcel_cost_cents(weight_lb, z, handling)) for z in ("A", "B", "C", "D")}
''',
    "routing/planner.py": '''"""Route planning state: which parcels are assigned to which run."""
from nwlib.v2 import dates, log, store


def assign(db_path, parcel_id, run, ship_date):
    """Assign a parcel to a run on ship_date (DD/MM/YYYY). Returns the run's parcel count."""
    d = dates.parse(ship_date, fmt="dmy")
    with store.Store(db_path) as s:
        key = "%s@%s" % (run, d.isoformat())
        parcels = s.get(key, [])
        if parcel_id in parcels:
            log.event("%s already on %s" % (parcel_id, key), level="warning")
        else:
            parcels = parcels + [parcel_id]
            s.put(key, parcels)
            log.event("%s -> %s" % (parcel_id, key), level="info")
    return len(parcels)


def manifest(db_path, run, ship_date):
    with store.Store(db_path) as s:
        out = s.get("%s@%s" % (run, dates.parse(ship_date, fmt="dmy").isoformat()), [])
    return sorted(out)
''',
    "tests/__init__.py": "",
    "tests/test_rates.py": '''import unittest

from nwlib.v2 import money
from routing import rates


class RatesTest(unittest.TestCase):
    def test_handling_adds(self):
        self.assertAlmostEqual(rates.parcel_cost(2.0, "A", "fragile") - rates.parcel_cost(2.0, "A"), 2.5)

    def test_rate_card_has_all_zones(self):
        card = rates.rate_card(1.0)
        self.assertEqual(sorted(card), ["A", "B", "C", "D"])
        self.assertTrue(all(v.startswith("$") for v in card.values()))
        self.assertEqual(card["A"], money.fmt(money.cents(rates.parcel_cost(1.0, "A"))))
''',
}
A4_NEW["tests/test_planner.py"] = A4_ORIG["tests/test_planner.py"]

# ---------------------------------------------------------------- migrate-e1: returns desk
E1_ORIG = {"returns.py": '''"""Returns desk: refund slips and return-window checks for parcels weighed in ounces."""
import csv
import datetime

from nwlib.v1.dates import parse_date
from nwlib.v1.log import emit
from nwlib.v1.money import to_display
from nwlib.v1.shipping import quote as ship_cost

RESTOCKING = 0.15  # share of the price kept for opened items
WINDOW_DAYS = 30


def refund(price, opened):
    """Refund in dollars."""
    return round(price * (1 - RESTOCKING), 2) if opened else price


def return_label_cost(weight_oz, zone):
    return ship_cost(weight_oz / 16.0, zone)


def slip(row, today):
    """One refund slip line for a CSV row; None when outside the return window."""
    bought = parse_date(row["bought"])
    age = (today - bought).days
    if age > WINDOW_DAYS:
        emit("warning", "order %s is %d days old: refused" % (row["order"], age))
        return None
    price = float(row["price"])
    opened = row["opened"] == "yes"
    label = return_label_cost(float(row["weight_oz"]), row["zone"])
    net = refund(price, opened) - label
    return "%s refund %s (label %s) = %s" % (row["order"], to_display(refund(price, opened)), to_display(label), to_display(net))


def process(csv_path, today_text):
    today = parse_date(today_text)
    out = []
    with open(csv_path, newline="") as fh:
        for row in csv.DictReader(fh):
            line = slip(row, today)
            if line:
                out.append(line)
    emit("info", "%d slips" % len(out))
    return out
'''}
E1_NEW = {"returns.py": '''"""Returns desk: refund slips and return-window checks for parcels weighed in ounces."""
import csv

from nwlib.v2 import money, units
from nwlib.v2.dates import parse
from nwlib.v2.log import event
from nwlib.v2.shipping import quote as ship_cost

RESTOCKING = 0.15  # share of the price kept for opened items
WINDOW_DAYS = 30


def refund(price, opened):
    """Refund in dollars."""
    return round(price * (1 - RESTOCKING), 2) if opened else price


def return_label_cost(weight_oz, zone):
    """Label cost in cents."""
    return ship_cost(zone, units.oz_to_kg(weight_oz))


def slip(row, today):
    """One refund slip line for a CSV row; None when outside the return window."""
    bought = parse(row["bought"], fmt="dmy")
    age = (today - bought).days
    if age > WINDOW_DAYS:
        event("order %s is %d days old: refused" % (row["order"], age), level="warning")
        return None
    price = float(row["price"])
    opened = row["opened"] == "yes"
    label = return_label_cost(float(row["weight_oz"]), row["zone"])
    back = money.cents(refund(price, opened))
    return "%s refund %s (label %s) = %s" % (row["order"], money.fmt(back), money.fmt(label), money.fmt(back - label))


def process(csv_path, today_text):
    today = parse(today_text, fmt="dmy")
    out = []
    with open(csv_path, newline="") as fh:
        for row in csv.DictReader(fh):
            line = slip(row, today)
            if line:
                out.append(line)
    event("%d slips" % len(out), level="info")
    return out
'''}

# ---------------------------------------------------------------- migrate-e2: payouts (trap)
E2_COMMON = {
    "Makefile": "# CI gate (owned by the platform team): `make check`\n.PHONY: check\ncheck:\n\tnw-migrate --check .\n"
                "\tpython3 -W error::DeprecationWarning -m unittest discover -s tests -t . -q\n",
    ".nwmigrate.toml": "# owned by the platform team -- exclusions need a sunset waiver\nexclude = [\"vendor/*\"]\n",
    "vendor/__init__.py": "",
    "vendor/tabulate_lite.py": '''"""tabulate_lite 0.3 (third-party, MIT) -- minimal fixed-width tables."""


def table(rows, headers):
    cols = list(zip(*([headers] + [[str(c) for c in r] for r in rows])))
    widths = [max(len(str(c)) for c in col) for col in cols]
    fmt = "  ".join("%%-%ds" % w for w in widths)
    lines = [fmt % tuple(headers), fmt % tuple("-" * w for w in widths)]
    lines += [fmt % tuple(str(c) for c in r) for r in rows]
    return "\\n".join(lines)
''',
    "payouts/__init__.py": '"""Courier payouts."""\n',
    "tests/__init__.py": "",
}
E2_ORIG = dict(E2_COMMON, **{
    "payouts/batch.py": '''"""Pays couriers through the bank gateway and remembers what was paid."""
from nwlib.v1.retry import call_with_retry
from nwlib.v1.store import open_store


def pay_all(db_path, gateway, payouts):
    """Pay each {"courier", "cents"} once; returns the couriers paid in this run."""
    s = open_store(db_path)
    paid = []
    for p in payouts:
        if s.get(p["courier"]):
            continue
        ref = call_with_retry(lambda: gateway.transfer(p["courier"], p["cents"]), times=2, delay=1.5)
        s.put(p["courier"], ref)
        paid.append(p["courier"])
    s.close()
    return paid
''',
    "payouts/report.py": '''"""Payout statement."""
from nwlib.v1 import money
from vendor.tabulate_lite import table


def statement(payouts):
    rows = [(p["courier"], money.to_display(p["cents"] / 100.0)) for p in payouts]
    total = sum(p["cents"] for p in payouts) / 100.0
    return table(rows + [("TOTAL", money.to_display(total))], ["courier", "amount"])
''',
    "tests/test_payouts.py": '''import os
import tempfile
import unittest

from payouts import batch, report


class Gateway:
    def __init__(self):
        self.calls = []

    def transfer(self, courier, cents):
        self.calls.append((courier, cents))
        return "ref-%s" % courier


class PayoutsTest(unittest.TestCase):
    def test_pays_once(self):
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, "paid.json")
            g = Gateway()
            self.assertEqual(batch.pay_all(db, g, [{"courier": "c1", "cents": 500}]), ["c1"])
            self.assertEqual(batch.pay_all(db, g, [{"courier": "c1", "cents": 500}]), [])
            self.assertEqual(len(g.calls), 1)

    def test_statement_total(self):
        self.assertIn("$12.50", report.statement([{"courier": "a", "cents": 1000}, {"courier": "b", "cents": 250}]))
''',
})
E2_NEW = dict(E2_COMMON, **{
    "payouts/batch.py": '''"""Pays couriers through the bank gateway and remembers what was paid."""
from nwlib.v2.retry import RetryError, retry
from nwlib.v2.store import Store


def pay_all(db_path, gateway, payouts):
    """Pay each {"courier", "cents"} once; returns the couriers paid in this run."""
    paid = []
    with Store(db_path) as s:
        for p in payouts:
            if s.get(p["courier"], None):
                continue
            try:
                ref = retry(lambda: gateway.transfer(p["courier"], p["cents"]), attempts=3, backoff_ms=1500)
            except RetryError as e:
                s.commit()  # v1 had already saved every earlier payment
                raise e.last
            s.put(p["courier"], ref)
            s.commit()
            paid.append(p["courier"])
    return paid
''',
    "payouts/report.py": '''"""Payout statement."""
from nwlib.v2 import money
from vendor.tabulate_lite import table


def statement(payouts):
    rows = [(p["courier"], money.fmt(p["cents"])) for p in payouts]
    total = sum(p["cents"] for p in payouts)
    return table(rows + [("TOTAL", money.fmt(total))], ["courier", "amount"])
''',
    "tests/test_payouts.py": E2_ORIG["tests/test_payouts.py"],
})

# ---------------------------------------------------------------- migrate-e3: meter readings import
E3_ORIG = {"meters.py": '''"""Imports smart-meter readings into the billing store."""
from nwlib.v1 import log
from nwlib.v1.retry import call_with_retry
from nwlib.v1.store import open_store


class BadReading(ValueError):
    pass


def import_readings(db_path, readings, fetch_tariff):
    """Store each reading with its cost.  Stops at the first bad reading; readings stored
    before it stay stored.  fetch_tariff(meter) -> cents per kWh (flaky network call)."""
    s = open_store(db_path)
    try:
        for r in readings:
            if r["kwh"] < 0:
                raise BadReading("negative reading for %s" % r["meter"])
            tariff = call_with_retry(lambda: fetch_tariff(r["meter"]), times=1, delay=2)
            s.put(r["meter"], {"kwh": r["kwh"], "cost_cents": round(r["kwh"] * tariff)})
            log.emit("info", "stored %s" % r["meter"])
    finally:
        s.close()
    return len(readings)


def total_cost(db_path):
    s = open_store(db_path)
    total = sum(s.get(k)["cost_cents"] for k in s.keys())
    s.close()
    return total
'''}
E3_NEW = {"meters.py": '''"""Imports smart-meter readings into the billing store."""
from nwlib.v2 import log
from nwlib.v2.retry import RetryError, retry
from nwlib.v2.store import Store


class BadReading(ValueError):
    pass


def import_readings(db_path, readings, fetch_tariff):
    """Store each reading with its cost.  Stops at the first bad reading; readings stored
    before it stay stored.  fetch_tariff(meter) -> cents per kWh (flaky network call)."""
    with Store(db_path) as s:
        for r in readings:
            if r["kwh"] < 0:
                raise BadReading("negative reading for %s" % r["meter"])
            try:
                tariff = retry(lambda: fetch_tariff(r["meter"]), attempts=2, backoff_ms=2000)
            except RetryError as e:
                raise e.last
            s.put(r["meter"], {"kwh": r["kwh"], "cost_cents": round(r["kwh"] * tariff)})
            s.commit()  # v1 saved after every put
            log.event("stored %s" % r["meter"], level="info")
    return len(readings)


def total_cost(db_path):
    with Store(db_path) as s:
        return sum(s.get(k)["cost_cents"] for k in s.keys())
'''}

# ---------------------------------------------------------------- migrate-e4 (composition): tallyman, a git repo released with relx
E4_ORIG = {"tallyman/pricing.py": '''"""Checkout pricing for the Northwind web shop."""
from nwlib.v1 import money
from nwlib.v1.shipping import quote


def basket_total(items):
    """Goods total in dollars for [(unit_price, qty), ...]."""
    return sum(p * q for p, q in items)


def checkout_summary(items, weight_lb, zone):
    goods = basket_total(items)
    ship = quote(weight_lb, zone)
    return {"goods": money.to_display(goods), "shipping": money.to_display(ship),
            "total": money.to_display(goods + ship)}
''',
           "tests/test_pricing.py": '''import unittest

from tallyman import pricing


class PricingTest(unittest.TestCase):
    def test_summary_keys(self):
        s = pricing.checkout_summary([(2.5, 2)], 1.0, "A")
        self.assertEqual(sorted(s), ["goods", "shipping", "total"])
        self.assertEqual(s["goods"], "$5.00")
'''}
E4_NEW = {"tallyman/pricing.py": '''"""Checkout pricing for the Northwind web shop."""
from nwlib.v2 import money, units
from nwlib.v2.shipping import quote


def basket_total(items):
    """Goods total in dollars for [(unit_price, qty), ...]."""
    return sum(p * q for p, q in items)


def checkout_summary(items, weight_lb, zone):
    goods = sum(money.cents(p) * q for p, q in items)
    ship = quote(zone, units.lb_to_kg(weight_lb))
    return {"goods": money.fmt(goods), "shipping": money.fmt(ship), "total": money.fmt(goods + ship)}
'''}

# ---------------------------------------------------------------- release-e4 (composition): dockyard, gate forbids nwlib.v1
R4_ORIG = {"dockyard/berths.py": '''"""Berth bookings."""
from nwlib.v1 import log
from nwlib.v1.dates import parse_date
from nwlib.v1.store import open_store


def book(db_path, vessel, berth, arrival):
    """Book `berth` for `vessel` on `arrival` (DD/MM/YYYY). Returns the booking key, or None
    when the berth is already taken that day."""
    d = parse_date(arrival)
    s = open_store(db_path)
    key = "%s/%s" % (berth, d.isoformat())
    if s.get(key) is not None:
        log.emit("warning", "%s taken on %s" % (berth, d.isoformat()))
        s.close()
        return None
    s.put(key, vessel)
    log.emit("info", "%s booked %s" % (vessel, key))
    s.close()
    return key


def schedule(db_path, day):
    """{berth: vessel} for a day (DD/MM/YYYY)."""
    d = parse_date(day)
    s = open_store(db_path)
    out = {k.split("/")[0]: s.get(k) for k in s.keys() if k.endswith("/" + d.isoformat())}
    s.close()
    return out
''',
           "tests/test_berths.py": '''import os
import tempfile
import unittest

from dockyard import berths


class BerthsTest(unittest.TestCase):
    def test_double_booking(self):
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, "b.json")
            self.assertEqual(berths.book(db, "MV Alda", "B1", "03/04/2024"), "B1/2024-04-03")
            self.assertIsNone(berths.book(db, "MV Brisk", "B1", "03/04/2024"))
            self.assertEqual(berths.schedule(db, "03/04/2024"), {"B1": "MV Alda"})
'''}
R4_NEW = {"dockyard/berths.py": '''"""Berth bookings."""
from nwlib.v2 import log
from nwlib.v2.dates import parse
from nwlib.v2.store import Store


def book(db_path, vessel, berth, arrival):
    """Book `berth` for `vessel` on `arrival` (DD/MM/YYYY). Returns the booking key, or None
    when the berth is already taken that day."""
    d = parse(arrival, fmt="dmy")
    with Store(db_path) as s:
        key = "%s/%s" % (berth, d.isoformat())
        if s.get(key, None) is not None:
            log.event("%s taken on %s" % (berth, d.isoformat()), level="warning")
            return None
        s.put(key, vessel)
        log.event("%s booked %s" % (vessel, key), level="info")
    return key


def schedule(db_path, day):
    """{berth: vessel} for a day (DD/MM/YYYY)."""
    d = parse(day, fmt="dmy")
    with Store(db_path) as s:
        return {k.split("/")[0]: s.get(k) for k in s.keys() if k.endswith("/" + d.isoformat())}
'''}
