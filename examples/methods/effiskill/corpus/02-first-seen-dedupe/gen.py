import random
import sys

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
for _ in range(20000):
    print(f"C{rng.randrange(3000):05d}")
