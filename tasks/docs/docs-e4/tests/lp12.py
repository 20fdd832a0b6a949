"""Reference implementation of Meridian LP-12 rev C (two-point calibration), python3 stdlib only.

Used by the generator to make data and by the verifiers (a copy lives in each task's tests/)
to recompute the expected answer from the task's inputs. Independent of the calx tool.
"""
import csv
import io
import statistics

TREF = 25.0
UNIT_TO_KPA = {"kPa": 1.0, "hPa": 0.1, "mbar": 0.1, "bar": 100.0, "Pa": 0.001}


def read_csv_text(text):
    return list(csv.DictReader(io.StringIO("".join(l for l in text.splitlines(True) if not l.startswith("#")))))


def read_csv(path):
    with open(path, newline="") as f:
        return read_csv_text(f.read())


def sensors_by_id(rows):
    return {r["sensor_id"]: r for r in rows}


def compensate(raw, temp, alpha_ppm, tref=TREF):
    return raw / (1.0 + alpha_ppm * 1e-6 * (temp - tref))


def interp(xs, ys, x):
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    for i in range(1, len(xs)):
        if x <= xs[i]:
            t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
            return ys[i - 1] + t * (ys[i] - ys[i - 1])


def mad_z(values):
    """[(id, value)] -> {id: z} (modified z-scores; empty dict when MAD == 0)."""
    xs = [v for _, v in values]
    med = statistics.median(xs)
    mad = statistics.median([abs(v - med) for v in xs])
    if mad == 0:
        return {}
    return {rid: 0.6745 * (v - med) / mad for rid, v in values}


def corrected_counts(readings, session, sensors, drift=True):
    """Steps 1-2: {reading_id: (row, c')} for the session's rows."""
    sid = session["session"]
    rows = [r for r in readings if r["session"] == sid]
    out = {}
    for r in rows:
        a = float(sensors[r["sensor_id"]]["alpha_ppm_per_K"])
        out[r["reading_id"]] = [r, compensate(float(r["raw_counts"]), float(r["temp_C"]), a)]
    if drift:
        cs = session["check_standard"]
        chk = sorted((r for r in rows if r["point"] == "CHK" and r["sensor_id"] == cs["sensor_id"]), key=lambda r: int(r["seq"]))
        xs = [int(r["seq"]) for r in chk]
        ys = [out[r["reading_id"]][1] - float(cs["certified_counts"]) for r in chk]
        for rid, v in out.items():
            v[1] -= interp(xs, ys, int(v[0]["seq"]))
    return out


def fit_session(readings, session, sensors):
    """LP-12 rev C steps 1-4. Returns {sensor: {...}} with gain in kPa per count."""
    unit = session.get("ref_unit", "kPa")
    pts = {k: float(v) * UNIT_TO_KPA[unit] for k, v in session["points"].items()}
    cc = corrected_counts(readings, session, sensors)
    res = {}
    ids = sorted({v[0]["sensor_id"] for v in cc.values() if v[0]["point"] in ("LO", "HI")})
    for s in ids:
        r = {"rejected": [], "mean": {}, "n": {}, "status": "OK", "z": {}}
        for p in ("LO", "HI"):
            vals = [(rid, v[1]) for rid, v in cc.items() if v[0]["sensor_id"] == s and v[0]["point"] == p]
            z = mad_z(vals) if len(vals) >= 3 else {}
            r["z"].update(z)
            bad = sorted(rid for rid, zz in z.items() if abs(zz) > 3.5)
            kept = [v for rid, v in vals if rid not in bad]
            r["rejected"] += bad
            r["n"][p] = len(kept)
            r["mean"][p] = statistics.mean(kept) if kept else None
            if len(kept) < 3:
                r["status"] = "INSUFFICIENT"
        if r["status"] == "OK":
            g = (pts["HI"] - pts["LO"]) / (r["mean"]["HI"] - r["mean"]["LO"])
            r["gain"] = g
            r["offset"] = pts["LO"] - g * r["mean"]["LO"]
        res[s] = r
    return res


def accept(fit, sensors, limits):
    out = {}
    for s, r in fit.items():
        if r["status"] != "OK":
            out[s] = "FAIL"
            continue
        L = limits["models"][sensors[s]["model"]]
        dev = (r["gain"] - L["nominal_gain_kPa_per_count"]) / L["nominal_gain_kPa_per_count"] * 100.0
        out[s] = "PASS" if abs(dev) <= L["gain_tol_pct"] and abs(r["offset"]) <= L["offset_max_kPa"] else "FAIL"
    return out


def apply(gain, offset, raw, temp, alpha_ppm):
    return gain * compensate(raw, temp, alpha_ppm) + offset
