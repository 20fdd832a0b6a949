import random
import sys

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
words = ["invoice", "manifest", "waybill", "credit", "note", "depot", "north", "ledger", "audit", "march"]
for _ in range(300):
    print(" ".join(rng.choice(words) for _ in range(rng.randrange(2, 6))))
