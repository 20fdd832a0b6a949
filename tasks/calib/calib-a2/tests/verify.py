"""calib-a2: recompute every calibrated field value (LP-12 rev C: compensation at 25 degC) and compare."""
import csv
import json
import sys

sys.path.insert(0, "/tests")
import lp12  # noqa: E402
from vlib import Checks, close  # noqa: E402

OUT = "/root/field/calibrated-2024-04.csv"
IN = "/tests/inputs/"
c = Checks()
fit = json.load(open(IN + "fit-S24-009.json"))["sensors"]
sens = lp12.sensors_by_id(lp12.read_csv(IN + "sensors.csv"))
ref = {}
for r in lp12.read_csv(IN + "field-2024-04.csv"):
    f = fit[r["sensor_id"]]
    ref[r["reading_id"]] = lp12.apply(f["gain_kPa_per_kcount"] / 1000, f["offset_kPa"], float(r["raw_counts"]),
                                      float(r["temp_C"]), float(sens[r["sensor_id"]]["alpha_ppm_per_K"]))
got = {}


def load():
    with open(OUT, newline="") as fh:
        for row in csv.DictReader(fh):
            got[row["reading_id"].strip()] = float(row["pressure_kPa"])
    return True, f"{len(got)} rows"


if c.run("output_parses", load):
    c.add("reading_set", set(got) == set(ref), f"missing {sorted(set(ref) - set(got))[:5]}, extra {sorted(set(got) - set(ref))[:5]}")
    bad = [k for k in ref if k in got and not close(got[k], ref[k], abs_=1e-3)]
    c.add("values", not bad, "all within 0.001 kPa" if not bad else
          f"{len(bad)} wrong, e.g. {bad[0]}: got {got[bad[0]]}, expected {ref[bad[0]]:.4f}")
c.finish()
