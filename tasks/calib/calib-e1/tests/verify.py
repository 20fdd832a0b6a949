"""calib-e1 (transfer): two sessions in one export, one in mbar (rig R1), one with a mid-session check.
Recompute LP-12 rev C per session from /tests/inputs and compare."""
import json
import sys

sys.path.insert(0, "/tests")
import lp12  # noqa: E402
from vlib import Checks, close  # noqa: E402

OUT = "/root/cal/B24-07/coefficients.json"
IN = "/tests/inputs/"
c = Checks()
rows = lp12.read_csv(IN + "readings.csv")
sens = lp12.sensors_by_id(lp12.read_csv(IN + "sensors.csv"))
ref = {}
for sid in ("S24-061", "S24-062"):
    for s, r in lp12.fit_session(rows, json.load(open(f"{IN}sessions/{sid}.json")), sens).items():
        r["session"] = sid
        ref[s] = r
got = {}


def load():
    global got
    got = json.load(open(OUT))["sensors"]
    return True, f"{len(got)} sensors"


if c.run("output_parses", load):
    c.add("sensor_set", set(got) == set(ref), f"expected {sorted(ref)}, got {sorted(got)}")
    for s, r in sorted(ref.items()):
        e = got.get(s, {})
        c.add(f"{s}_session", e.get("session") == r["session"], f"got {e.get('session')}, expected {r['session']}")
        c.run(f"{s}_gain", lambda: (close(e["gain_kPa_per_count"], r["gain"], rel=1e-5), f"got {e.get('gain_kPa_per_count')}, expected {r['gain']:.9g}"))
        c.run(f"{s}_offset", lambda: (close(e["offset_kPa"], r["offset"], abs_=1e-3), f"got {e.get('offset_kPa')}, expected {r['offset']:.7f}"))
c.finish()
