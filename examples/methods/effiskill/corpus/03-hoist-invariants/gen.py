import random
import sys

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
for _ in range(20000):
    print(f"S{rng.randrange(300):03d} {rng.uniform(20, 95):.2f}")
