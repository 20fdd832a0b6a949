#!/usr/bin/env python3
"""Hidden behaviour tests for beacon's window module, run on the released tree (argv[1])."""
import sys
import unittest

sys.path.insert(0, sys.argv[1])
from beacon import window  # noqa: E402


class Hidden(unittest.TestCase):
    def test_sliding_windows(self):
        self.assertEqual(window.sliding([1, 2, 3, 4], 2), [[1, 2], [2, 3], [3, 4]])
        self.assertEqual(window.sliding([5, 6, 7], 3), [[5, 6, 7]])
        self.assertEqual(window.sliding([1, 2], 3), [])
        self.assertEqual(window.sliding(list(range(6)), 4), [[0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5]])

    def test_mean(self):
        self.assertEqual(window.rolling_mean([2, 4, 6, 8], 2), [3.0, 5.0, 7.0])


if __name__ == "__main__":
    unittest.main(argv=["hidden"], verbosity=1)
