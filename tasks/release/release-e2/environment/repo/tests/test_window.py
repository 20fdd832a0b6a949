import unittest

from beacon import window


class WindowTest(unittest.TestCase):
    def test_sliding(self):
        self.assertEqual(window.sliding([1, 2, 3], 2), [[1, 2], [2, 3]])

    def test_too_short(self):
        self.assertEqual(window.sliding([1], 2), [])

    def test_mean(self):
        self.assertEqual(window.rolling_mean([1, 3, 5], 2), [2.0, 4.0])
