"""calib-a3: rig R1 session in mbar; recompute LP-12 rev C coefficients and acceptance verdicts."""
import json
import sys

sys.path.insert(0, "/tests")
import lp12  # noqa: E402
from vlib import Checks, close  # noqa: E402

D = "/root/cal/S24-022/"
IN = "/tests/inputs/"
c = Checks()
sens = lp12.sensors_by_id(lp12.read_csv(IN + "sensors.csv"))
ref = lp12.fit_session(lp12.read_csv(IN + "readings.csv"), json.load(open(IN + "S24-022.json")), sens)
verdicts = lp12.accept(ref, sens, json.load(open(IN + "acceptance.json")))
got, ver = {}, {}


def load():
    global got, ver
    got = json.load(open(D + "coefficients.json"))["sensors"]
    ver = {k: str(v).upper() for k, v in json.load(open(D + "verdicts.json")).items()}
    return True, ""


if c.run("outputs_parse", load):
    c.add("sensor_set", set(got) == set(ref), f"expected {sorted(ref)}, got {sorted(got)}")
    for s, r in sorted(ref.items()):
        e = got.get(s, {})
        c.run(f"{s}_gain", lambda: (close(e["gain_kPa_per_count"], r["gain"], rel=1e-5), f"got {e.get('gain_kPa_per_count')}, expected {r['gain']:.9g}"))
        c.run(f"{s}_offset", lambda: (close(e["offset_kPa"], r["offset"], abs_=1e-3), f"got {e.get('offset_kPa')}, expected {r['offset']:.7f}"))
    c.add("verdicts", ver == verdicts, f"expected {verdicts}, got {ver}")
c.finish()
