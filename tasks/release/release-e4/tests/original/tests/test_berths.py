import os
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
