import unittest

from tallyman import core


class CoreTest(unittest.TestCase):
    def test_scale(self):
        self.assertEqual(core.scale_0(0), 0)


if __name__ == '__main__':
    unittest.main()
