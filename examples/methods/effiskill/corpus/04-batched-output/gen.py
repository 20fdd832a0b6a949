import random
import sys

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
for _ in range(60000):
    print(f"SKU{rng.randrange(10**6):06d},{rng.randrange(-500, 5000)},DEP{rng.randrange(12)}")
