"""Tiny verifier helper shared by the family's tests (python3 stdlib only).

Collects named checks and always writes /logs/verifier/reward.txt and reward.json,
even when a check crashes (a crash is a failed check, never a pass).
"""
import hashlib
import json
import os
import traceback

LOG = "/logs/verifier"


class Checks:
    def __init__(self):
        self.items = []

    def add(self, name, passed, message=""):
        self.items.append({"name": name, "passed": bool(passed), "message": str(message)[:600]})
        return bool(passed)

    def run(self, name, fn):
        """fn() returns (passed, message); exceptions count as failure."""
        try:
            ok, msg = fn()
        except Exception as e:  # noqa: BLE001
            ok, msg = False, f"{type(e).__name__}: {e} | {traceback.format_exc(limit=2).splitlines()[-1]}"
        return self.add(name, ok, msg)

    def finish(self):
        reward = 1 if self.items and all(c["passed"] for c in self.items) else 0
        os.makedirs(LOG, exist_ok=True)
        with open(os.path.join(LOG, "reward.txt"), "w") as f:
            f.write(f"{reward}\n")
        with open(os.path.join(LOG, "reward.json"), "w") as f:
            json.dump({"reward": reward, "checks": self.items}, f, indent=2)
        for c in self.items:
            print(("PASS " if c["passed"] else "FAIL ") + c["name"] + (f": {c['message']}" if c["message"] else ""))
        print(f"reward={reward}")
        return reward


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def close(a, b, rel=None, abs_=None):
    a, b = float(a), float(b)
    if rel is not None and abs(a - b) <= rel * abs(b):
        return True
    if abs_ is not None and abs(a - b) <= abs_:
        return True
    return False
