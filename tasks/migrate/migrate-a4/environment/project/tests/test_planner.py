import os
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
