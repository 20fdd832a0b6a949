import random
import sys

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
for _ in range(20000):
    print(f"D{rng.randrange(40):02d} {rng.randrange(0, 10500)}")
