"""calib-a1: recompute LP-12 rev C coefficients from the pristine inputs in /tests/inputs and compare."""
import json
import sys

sys.path.insert(0, "/tests")
import lp12  # noqa: E402
from vlib import Checks, close  # noqa: E402

OUT = "/root/cal/S24-017/coefficients.json"
IN = "/tests/inputs/"
c = Checks()
ref = lp12.fit_session(lp12.read_csv(IN + "readings.csv"), json.load(open(IN + "S24-017.json")),
                       lp12.sensors_by_id(lp12.read_csv(IN + "sensors.csv")))
got = {}


def load():
    global got
    got = json.load(open(OUT))["sensors"]
    return isinstance(got, dict), f"{len(got)} sensors"


if c.run("output_parses", load):
    c.add("sensor_set", set(got) == set(ref), f"expected {sorted(ref)}, got {sorted(got)}")
    for s, r in sorted(ref.items()):
        e = got.get(s, {})
        c.run(f"{s}_gain", lambda: (close(e["gain_kPa_per_count"], r["gain"], rel=1e-5),
                                    f"got {e.get('gain_kPa_per_count')}, expected {r['gain']:.9g}"))
        c.run(f"{s}_offset", lambda: (close(e["offset_kPa"], r["offset"], abs_=1e-3),
                                      f"got {e.get('offset_kPa')}, expected {r['offset']:.7f}"))
c.finish()
