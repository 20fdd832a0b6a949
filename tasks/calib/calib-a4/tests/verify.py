"""calib-a4: outlier audit; recompute rejected readings, INSUFFICIENT sensors and coefficients (LP-12 rev C)."""
import json
import sys

sys.path.insert(0, "/tests")
import lp12  # noqa: E402
from vlib import Checks, close  # noqa: E402

OUT = "/root/cal/S24-030/audit.json"
IN = "/tests/inputs/"
c = Checks()
ref = lp12.fit_session(lp12.read_csv(IN + "readings.csv"), json.load(open(IN + "S24-030.json")),
                       lp12.sensors_by_id(lp12.read_csv(IN + "sensors.csv")))
rej = {r for s in ref.values() for r in s["rejected"]}
insuf = {s for s, r in ref.items() if r["status"] != "OK"}
ok = {s: r for s, r in ref.items() if r["status"] == "OK"}
got = {}


def load():
    global got
    got = json.load(open(OUT))
    return True, ""


if c.run("output_parses", load):
    g = set(got.get("rejected", []))
    c.add("rejected_readings", g == rej, f"missing {sorted(rej - g)}, extra {sorted(g - rej)}")
    gi = set(got.get("insufficient", []))
    c.add("insufficient_sensors", gi == insuf, f"expected {sorted(insuf)}, got {sorted(gi)}")
    gs = got.get("sensors", {})
    c.add("sensor_set", set(gs) == set(ok), f"expected {sorted(ok)}, got {sorted(gs)}")
    for s, r in sorted(ok.items()):
        e = gs.get(s, {})
        c.run(f"{s}_coefficients", lambda: (close(e["gain_kPa_per_count"], r["gain"], rel=1e-5) and close(e["offset_kPa"], r["offset"], abs_=1e-3),
                                            f"got {e}, expected gain {r['gain']:.9g} offset {r['offset']:.7f}"))
c.finish()
