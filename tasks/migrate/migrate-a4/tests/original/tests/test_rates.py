import unittest

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
