import os
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
