#!/usr/bin/env python3
"""Seeded generator for the calib family's task data (python3 stdlib only).

    python3 tasks/calib/generator/gen.py        # rewrites environment data + tests/inputs of every task

Each task uses its own seed. Inputs go to <task>/environment/data/ (copied into the image) and a
pristine copy to <task>/tests/inputs/ (the verifier recomputes the expected answer from these with
lp12.py, a copy of which is placed in tests/). Expected answers are never written into the image.
"""
import csv
import io
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import lp12  # noqa: E402

MODELS = {"PX-200": 0.0032, "PX-350": 0.0056, "PX-700": 0.0112}
LIMITS = {"models": {m: {"nominal_gain_kPa_per_count": g, "gain_tol_pct": 2.0, "offset_max_kPa": 1.5} for m, g in MODELS.items()}}
CS = {"R1": ("CS-1", 28731.5), "R2": ("CS-2", 31250.0), "R3": ("CS-3", 30117.25)}


def csv_text(rows, fields):
    b = io.StringIO()
    w = csv.DictWriter(b, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return b.getvalue()


def sensor_register(rng, ids_models):
    rows = []
    for sid, model in ids_models:
        rows.append({"sensor_id": sid, "model": model, "alpha_ppm_per_K": f"{rng.uniform(180, 620):.1f}"})
    for cs, _ in CS.values():
        rows.append({"sensor_id": cs, "model": "PX-REF", "alpha_ppm_per_K": f"{rng.uniform(20, 60):.1f}"})
    return rows


def simulate(rng, sid, rig, sensors, points_kpa, reg=None, unit="kPa", n_rep=6, outliers=(), dropouts=(), chk_mid=False,
             gain_err=None, start_seq=1, date="2024-03-11"):
    """One calibration session. outliers: [(sensor, point, rep, delta_counts)]; dropouts: [(sensor, point, keep_n)]."""
    gain_err = gain_err or {}
    alpha = {r["sensor_id"]: float(r["alpha_ppm_per_K"]) for r in reg}
    model = {r["sensor_id"]: r["model"] for r in reg}
    truth = {}
    for s in sensors:
        g = MODELS[model[s]] * (1 + rng.gauss(0, 0.005) + gain_err.get(s, 0.0))
        truth[s] = (g, rng.gauss(0, 0.35))
    cs_id, cs_cert = CS[rig]
    plan = [("CHK", cs_id, 0)]
    for p in ("LO", "HI"):
        for rep in range(n_rep):
            for s in sensors:
                plan.append((p, s, rep))
        if p == "LO" and chk_mid:
            plan.append(("CHK", cs_id, 1))
    plan.append(("CHK", cs_id, 2))
    drop = {(s, p): n for s, p, n in dropouts}
    plan = [x for x in plan if x[0] == "CHK" or x[2] < drop.get((x[1], x[0]), n_rep)]
    N = len(plan)
    d0, d1 = rng.uniform(-30, 30), rng.uniform(25, 70) * rng.choice([-1, 1])
    t0, t1 = rng.uniform(21.5, 24.0), rng.uniform(26.0, 30.0)
    out_d = {(s, p, rep): d for s, p, rep, d in outliers}
    rows = []
    for i, (p, s, rep) in enumerate(plan):
        seq = start_seq + i
        f = i / (N - 1)
        drift = d0 + (d1 - d0) * f + 6 * f * (1 - f)
        temp = t0 + (t1 - t0) * f + rng.gauss(0, 0.15)
        if p == "CHK":
            true_c = cs_cert
            noise = rng.gauss(0, 0.4)
        else:
            g, o = truth[s]
            true_c = (points_kpa[p] - o) / g
            noise = rng.gauss(0, 2.0) + out_d.get((s, p, rep), 0.0)
        raw = true_c * (1 + alpha[s] * 1e-6 * (temp - 25.0)) + drift + noise
        rows.append({"reading_id": "", "session": sid, "seq": seq, "sensor_id": s, "point": p,
                     "raw_counts": f"{raw:.1f}", "temp_C": f"{temp:.2f}"})
    k = 1 / lp12.UNIT_TO_KPA[unit]
    sess = {"session": sid, "rig": rig, "date": date, "ref_unit": unit,
            "points": {p: round(v * k, 3) for p, v in points_kpa.items()},
            "check_standard": {"sensor_id": cs_id, "certified_counts": cs_cert}}
    return rows, sess


def robust(rows, sess, reg):
    """True when no modified z-score sits near the 3.5 threshold (so verdicts cannot flip on rounding)."""
    fit = lp12.fit_session(rows, sess, lp12.sensors_by_id(reg))
    return all(not (3.0 < abs(z) < 4.2) for r in fit.values() for z in r["z"].values())


def make_session(seed, *args, **kw):
    rng = random.Random(seed)
    reg = kw.pop("reg")
    prefix, first = kw.pop("id_prefix", "r"), kw.pop("first_id", 1)
    for _ in range(200):
        rows, sess = simulate(rng, *args, reg=reg, **kw)
        if robust(number(rows, prefix, first), sess, reg):
            return rows, sess
    raise SystemExit(f"could not make a robust session for seed {seed}")


def number(rows, prefix="r", first=1):
    for i, r in enumerate(rows):
        r["reading_id"] = f"{prefix}{first + i:04d}"
    return rows


READ_FIELDS = ["reading_id", "session", "seq", "sensor_id", "point", "raw_counts", "temp_C"]


def calx_fit_json(sess, fit):
    """The structure `calx fit` writes (rev C options), for certified fit files given as inputs."""
    sensors = {}
    for s, r in fit.items():
        e = {"mean_counts": r["mean"], "n_used": r["n"], "rejected": r["rejected"], "status": r["status"]}
        if r["status"] == "OK":
            e["gain_kPa_per_kcount"] = r["gain"] * 1000.0
            e["offset_kPa"] = r["offset"]
        sensors[s] = e
    pts = {p: v * lp12.UNIT_TO_KPA[sess["ref_unit"]] for p, v in sess["points"].items()}
    return {"tool": "calx 2.3.0", "session": sess["session"], "drift": None, "points_kPa": pts,
            "options": {"tref_C": 25.0, "reject": "mad35", "drift": True, "ref_unit": sess["ref_unit"]}, "sensors": sensors}


# --------------------------------------------------------------------------- writing
def reset(task):
    d = os.path.join(FAMILY, task)
    for sub in ("environment/data", "tests/inputs"):
        shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
        os.makedirs(os.path.join(d, sub))
    shutil.copy2(os.path.join(HERE, "lp12.py"), os.path.join(d, "tests", "lp12.py"))
    shutil.copy2(os.path.join(HERE, "vlib.py"), os.path.join(d, "tests", "vlib.py"))
    return d


def put(task_dir, rel, text, tests_copy=True):
    for base in (["environment/data"] + (["tests/inputs"] if tests_copy else [])):
        p = os.path.join(task_dir, base, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)


def jtext(o):
    return json.dumps(o, indent=2) + "\n"


def reg_ids(prefix, n, model, start=1):
    return [(f"{prefix}-{start + i:03d}", model) for i in range(n)]


def task_a1():
    d = reset("calib-a1")
    rng = random.Random(101)
    ids = reg_ids("P", 6, "PX-200", 201)
    reg = sensor_register(rng, ids + reg_ids("P", 4, "PX-350", 301))
    rows, sess = make_session(1011, "S24-017", "R2", [i for i, _ in ids], {"LO": 20.0, "HI": 180.0},
                              outliers=[("P-202", "HI", 3, 517.0), ("P-205", "LO", 1, -240.0)], reg=reg)
    put(d, "readings.csv", csv_text(number(rows), READ_FIELDS))
    put(d, "S24-017.json", jtext(sess))
    put(d, "sensors.csv", csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))


def task_a2():
    d = reset("calib-a2")
    rng = random.Random(102)
    ids = reg_ids("P", 4, "PX-200", 221)
    reg = sensor_register(rng, ids)
    rows, sess = make_session(1021, "S24-009", "R2", [i for i, _ in ids], {"LO": 20.0, "HI": 180.0}, reg=reg)
    fit = lp12.fit_session(number(rows), sess, lp12.sensors_by_id(reg))
    put(d, "fit-S24-009.json", jtext(calx_fit_json(sess, fit)))
    put(d, "sensors.csv", csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))
    alpha = {r["sensor_id"]: float(r["alpha_ppm_per_K"]) for r in reg}
    field = []
    for i in range(48):
        s = ids[i % 4][0]
        temp = rng.uniform(4.0, 36.0)
        p = rng.uniform(60, 140)
        c = (p - fit[s]["offset"]) / fit[s]["gain"] * (1 + alpha[s] * 1e-6 * (temp - 25.0)) + rng.gauss(0, 2)
        field.append({"reading_id": f"F{i + 1:03d}", "time": f"2024-04-{3 + i // 12:02d}T{(i % 12) * 2:02d}:00:00Z",
                      "site": rng.choice(["well-3", "well-5", "tank-A"]), "sensor_id": s,
                      "raw_counts": f"{c:.1f}", "temp_C": f"{temp:.2f}"})
    put(d, "field-2024-04.csv", csv_text(field, ["reading_id", "time", "site", "sensor_id", "raw_counts", "temp_C"]))


def task_a3():
    d = reset("calib-a3")
    rng = random.Random(103)
    ids = reg_ids("P", 5, "PX-200", 241)
    reg = sensor_register(rng, ids)
    rows, sess = make_session(1031, "S24-022", "R1", [i for i, _ in ids], {"LO": 20.0, "HI": 180.0}, unit="mbar",
                              outliers=[("P-243", "LO", 4, 333.0)], gain_err={"P-244": 0.031}, reg=reg)
    put(d, "readings.csv", csv_text(number(rows), READ_FIELDS))
    put(d, "S24-022.json", jtext(sess))
    put(d, "sensors.csv", csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))
    put(d, "acceptance.json", jtext(LIMITS))


def task_a4():
    d = reset("calib-a4")
    rng = random.Random(104)
    ids = reg_ids("P", 6, "PX-200", 261)
    reg = sensor_register(rng, ids)
    rows, sess = make_session(1041, "S24-030", "R3", [i for i, _ in ids], {"LO": 25.0, "HI": 175.0}, chk_mid=True,
                              outliers=[("P-261", "HI", 0, 96.0), ("P-263", "LO", 2, -8192.0), ("P-266", "HI", 5, 41.0)],
                              dropouts=[("P-264", "HI", 2)], reg=reg)
    put(d, "readings.csv", csv_text(number(rows), READ_FIELDS))
    put(d, "S24-030.json", jtext(sess))
    put(d, "sensors.csv", csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))


def task_e1():
    d = reset("calib-e1")
    rng = random.Random(201)
    a = reg_ids("P", 4, "PX-200", 281)
    b = reg_ids("Q", 4, "PX-350", 301)
    reg = sensor_register(rng, a + b)
    r1, s1 = make_session(2011, "S24-061", "R1", [i for i, _ in a], {"LO": 20.0, "HI": 180.0}, unit="mbar",
                          outliers=[("P-282", "HI", 2, 150.0)], reg=reg, date="2024-07-02")
    r2, s2 = make_session(2012, "S24-062", "R3", [i for i, _ in b], {"LO": 30.0, "HI": 320.0}, chk_mid=True,
                          outliers=[("Q-303", "LO", 0, -95.0)], reg=reg, date="2024-07-03", id_prefix="r", first_id=len(r1) + 1)
    rows = number(r1) + number(r2, "r", len(r1) + 1)
    put(d, "readings.csv", csv_text(rows, READ_FIELDS))
    put(d, "sessions/S24-061.json", jtext(s1))
    put(d, "sessions/S24-062.json", jtext(s2))
    put(d, "sensors.csv", csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))


RUN_CAL = """#!/bin/bash
# Nightly calibration job (Calibration Laboratory). Usage: run_cal.sh [SESSION]
# Fits the session with calx and checks the result against QA's acceptance limits.
set -euo pipefail
cd "$(dirname "$0")"
S=${1:-S24-052}
mkdir -p out
calx fit data/readings.csv --session data/$S.json --sensors data/sensors.csv -o out/coefficients.json
calx accept out/coefficients.json --limits qa/acceptance.json --sensors data/sensors.csv -o out/acceptance.json
echo "run_cal: $S done"
"""


def task_e2():
    d = reset("calib-e2")
    rng = random.Random(202)
    ids = reg_ids("P", 6, "PX-200", 321)
    reg = sensor_register(rng, ids)
    rows, sess = make_session(2021, "S24-052", "R2", [i for i, _ in ids], {"LO": 20.0, "HI": 180.0},
                              outliers=[("P-322", "HI", 4, 8192.0), ("P-325", "HI", 1, 8192.0)],
                              gain_err={"P-326": 0.027}, reg=reg, date="2024-06-12")
    put(d, "caljob/data/readings.csv", csv_text(number(rows), READ_FIELDS))
    put(d, "caljob/data/S24-052.json", jtext(sess))
    put(d, "caljob/data/sensors.csv", csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))
    put(d, "caljob/qa/acceptance.json", jtext(LIMITS))
    put(d, "caljob/run_cal.sh", RUN_CAL)
    put(d, "caljob/out/.keep", "")


def task_e3():
    d = reset("calib-e3")
    rng = random.Random(203)
    ids = reg_ids("P", 4, "PX-200", 341)
    reg = sensor_register(rng, ids)
    sensors = [i for i, _ in ids]
    ra, sa = make_session(2031, "S24-040", "R2", sensors, {"LO": 20.0, "HI": 180.0}, reg=reg, date="2024-04-02")
    rb, sb = make_session(2032, "S24-071", "R3", sensors[1:3], {"LO": 20.0, "HI": 180.0}, reg=reg, date="2024-07-15")
    by = lp12.sensors_by_id(reg)
    fa = lp12.fit_session(number(ra), sa, by)
    fb = lp12.fit_session(number(rb), sb, by)
    put(d, "certs/fit-S24-040.json", jtext(calx_fit_json(sa, fa)))
    put(d, "certs/fit-S24-071.json", jtext(calx_fit_json(sb, fb)))
    idx = [{"sensor_id": s, "fit_file": "fit-S24-040.json", "valid_from": "2024-04-02"} for s in sensors]
    idx += [{"sensor_id": s, "fit_file": "fit-S24-071.json", "valid_from": "2024-07-15"} for s in sensors[1:3]]
    put(d, "certs/certs.csv", csv_text(idx, ["sensor_id", "fit_file", "valid_from"]))
    put(d, "sensors.csv", csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))
    alpha = {r["sensor_id"]: float(r["alpha_ppm_per_K"]) for r in reg}
    field, n = [], 0
    for day in range(8, 22):
        for hour in range(0, 24, 3):
            for s in sensors:
                if rng.random() < 0.08:
                    continue  # telemetry gaps
                n += 1
                fit = fb if (day >= 15 and s in sensors[1:3]) else fa
                temp = 14 + 9 * rng.random() + (6 if 11 <= hour <= 17 else 0)
                p = 95 + 10 * rng.random()
                c = (p - fit[s]["offset"]) / fit[s]["gain"] * (1 + alpha[s] * 1e-6 * (temp - 25.0)) + rng.gauss(0, 2)
                field.append({"reading_id": f"T{n:05d}", "time": f"2024-07-{day:02d}T{hour:02d}:{rng.randint(0, 59):02d}:00Z",
                              "sensor_id": s, "raw_counts": f"{c:.1f}", "temp_C": f"{temp:.2f}"})
    put(d, "telemetry-2024-07.csv", csv_text(field, ["reading_id", "time", "sensor_id", "raw_counts", "temp_C"]))


REFS = """key\tauthor\tyear\ttitle\tpublisher
lp12c\tMeridian Calibration Laboratory\t2023\tLP-12 rev C: Two-point calibration of pressure transducers\tMeridian Applied Sciences
lp07\tMeridian Calibration Laboratory\t2021\tLP-07: Calibration of laboratory balances\tMeridian Applied Sciences
iso17025\tISO/IEC\t2017\tISO/IEC 17025: General requirements for the competence of testing and calibration laboratories\tISO
iglewicz93\tIglewicz, B. and Hoaglin, D.\t1993\tHow to Detect and Handle Outliers\tASQC Quality Press
dwt7\tDH-Budenberg\t2021\tDWT-7 dead-weight tester operating manual\tDH-Budenberg
"""
GLOSSARY = """abbr\tlong\tdefinition
DAQ\tdata acquisition system\tThe lab's 24-bit acquisition chassis that reads transducers in raw counts.
DWT\tdead-weight tester\tPrimary pressure standard that generates reference pressures with calibrated masses [ref:dwt7].
MAD\tmedian absolute deviation\tRobust spread estimate used by the outlier rule of LP-12 rev C [ref:iglewicz93].
CMC\tcalibration and measurement capability\tThe smallest uncertainty the lab claims under its accreditation [ref:iso17025].
NCR\tnonconformance report\tQA record opened when a product or process does not meet requirements.
"""


def task_e4():
    d = reset("calib-e4")
    rng = random.Random(204)
    ids = reg_ids("P", 5, "PX-200", 361)
    reg = sensor_register(rng, ids)
    rows, sess = make_session(2041, "S24-058", "R2", [i for i, _ in ids], {"LO": 20.0, "HI": 180.0},
                              outliers=[("P-363", "LO", 2, 212.0)], gain_err={"P-365": -0.024}, reg=reg, date="2024-08-29")
    put(d, "S24-058/readings.csv", csv_text(number(rows), READ_FIELDS))
    put(d, "S24-058/S24-058.json", jtext(sess))
    put(d, "S24-058/sensors.csv", csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))
    put(d, "S24-058/acceptance.json", jtext(LIMITS))
    put(d, "registers/refs.tsv", REFS)
    put(d, "registers/glossary.tsv", GLOSSARY)


if __name__ == "__main__":
    for t in (task_a1, task_a2, task_a3, task_a4, task_e1, task_e2, task_e3, task_e4):
        t()
        print("generated", t.__name__)
