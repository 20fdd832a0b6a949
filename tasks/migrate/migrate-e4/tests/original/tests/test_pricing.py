import unittest

from tallyman import pricing


class PricingTest(unittest.TestCase):
    def test_summary_keys(self):
        s = pricing.checkout_summary([(2.5, 2)], 1.0, "A")
        self.assertEqual(sorted(s), ["goods", "shipping", "total"])
        self.assertEqual(s["goods"], "$5.00")
