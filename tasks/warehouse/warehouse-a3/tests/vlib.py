"""Tiny verifier helper (python3 stdlib only): collect named checks, write /logs/verifier/reward.{txt,json}."""
import json, os, traceback


class Checks:
    def __init__(self):
        self.items = []

    def add(self, name, passed, message=""):
        self.items.append({"name": name, "passed": bool(passed), "message": str(message)[:500]})
        return bool(passed)

    def run(self, name, fn):
        """fn returns (passed, message); exceptions count as failure."""
        try:
            ok, msg = fn()
        except Exception as e:  # a crash in a check is a failed check, not a verifier error
            ok, msg = False, "exception: %s" % (traceback.format_exception_only(type(e), e)[-1].strip())
        return self.add(name, ok, msg)

    def finish(self):
        reward = 1 if self.items and all(c["passed"] for c in self.items) else 0
        os.makedirs("/logs/verifier", exist_ok=True)
        with open("/logs/verifier/reward.json", "w") as f:
            json.dump({"reward": reward, "checks": self.items}, f, indent=1)
        with open("/logs/verifier/reward.txt", "w") as f:
            f.write("%d\n" % reward)
        for c in self.items:
            print("%s %s %s" % ("PASS" if c["passed"] else "FAIL", c["name"], c["message"]))
        print("reward", reward)
