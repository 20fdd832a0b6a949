"""Input generator for perf-e4 (pipe-separated telemetry export). make(seed, scale) -> bytes."""
import random


def make(seed, scale=1.0):
    r = random.Random(seed)
    vocab = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789-_.") for _ in range(r.randint(0, 12))) for _ in range(700)]
    out = []
    size, target = 0, max(200, int(2500000 * scale))
    while size < target:
        nf = r.randint(3, 14)
        line = "|".join(r.choice(vocab) for _ in range(nf))
        if r.random() < 0.01:
            line = ""
        out.append(line)
        size += len(line) + 1
    return ("\n".join(out) + "\n").encode()
