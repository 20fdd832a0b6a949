"""calib-e3 (transfer): apply certificates with validity dates to telemetry; daily means recomputed here."""
import collections
import csv
import json
import sys

sys.path.insert(0, "/tests")
import lp12  # noqa: E402
from vlib import Checks, close  # noqa: E402

OUT = "/root/monitor/daily-2024-07.csv"
IN = "/tests/inputs/"
c = Checks()
sens = lp12.sensors_by_id(lp12.read_csv(IN + "sensors.csv"))
fits = {f: json.load(open(IN + "certs/" + f))["sensors"] for f in ("fit-S24-040.json", "fit-S24-071.json")}
certs = sorted(lp12.read_csv(IN + "certs/certs.csv"), key=lambda r: r["valid_from"])
daily = collections.defaultdict(list)
for r in lp12.read_csv(IN + "telemetry-2024-07.csv"):
    day = r["time"][:10]
    fit = [x for x in certs if x["sensor_id"] == r["sensor_id"] and x["valid_from"] <= day][-1]["fit_file"]
    f = fits[fit][r["sensor_id"]]
    daily[(day, r["sensor_id"])].append(lp12.apply(f["gain_kPa_per_kcount"] / 1000, f["offset_kPa"], float(r["raw_counts"]),
                                                   float(r["temp_C"]), float(sens[r["sensor_id"]]["alpha_ppm_per_K"])))
ref = {k: sum(v) / len(v) for k, v in daily.items()}
got = {}


def load():
    with open(OUT, newline="") as fh:
        for row in csv.DictReader(fh):
            got[(row["date"].strip(), row["sensor_id"].strip())] = float(row["mean_kPa"])
    return True, f"{len(got)} rows"


if c.run("output_parses", load):
    c.add("day_sensor_set", set(got) == set(ref), f"missing {sorted(set(ref) - set(got))[:4]}, extra {sorted(set(got) - set(ref))[:4]}")
    for period, keep in (("before_recalibration", lambda d: d < "2024-07-15"), ("after_recalibration", lambda d: d >= "2024-07-15")):
        ks = [k for k in ref if keep(k[0])]
        bad = [k for k in ks if k in got and not close(got[k], ref[k], abs_=5e-4)]
        c.add(f"means_{period}", not bad, "all within 0.0005 kPa" if not bad else f"{len(bad)} wrong, e.g. {bad[0]}: got {got[bad[0]]}, expected {ref[bad[0]]:.5f}")
c.finish()
