#!/usr/bin/env python3
"""Generates every migrate-* task from projects.py (programs) and scenarios.py (hidden
behaviour scenarios), with seeded data.  Usage: python3 gen_migrate.py [task-id ...]"""
import hashlib
import json
import math
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import projects as P  # noqa: E402
import scenarios as S  # noqa: E402

LB_KG = 0.45359237
ZONES = ["A", "B", "C", "D", "X"]


def safe_weight(rng, lo, hi, factor=LB_KG):
    while True:
        w = round(rng.uniform(lo, hi), 2)
        x = w * factor * 10
        if abs(x - round(x)) > 1e-3:
            return w


def ddmmyyyy(rng, year=2024):
    return "%02d/%02d/%d" % (rng.randint(1, 28), rng.randint(1, 12), year)


def data_a1(rng):
    orders = []
    for _ in range(5):
        items = [{"sku": "SKU-%04d" % rng.randint(1, 9999), "qty": rng.randint(1, 40),
                  "unit_price": round(rng.uniform(0.5, 900), 2)} for _ in range(rng.randint(1, 6))]
        orders.append({"items": items, "weight_lb": safe_weight(rng, 0.3, 60), "zone": rng.choice(ZONES)})
    return {"orders": orders}


def data_a2(rng):
    skus = ["BOLT-%d" % rng.randint(10, 99), "NUT-%d" % rng.randint(10, 99), "GEAR-%d" % rng.randint(10, 99)]
    deliveries = [[rng.choice(skus), rng.randint(1, 500), ddmmyyyy(rng)] for _ in range(9)]
    return {"skus": skus, "deliveries": deliveries,
            "stale_queries": [[ddmmyyyy(rng, 2025), rng.choice([30, 90, 200, 400])] for _ in range(3)]}


def data_a3(rng):
    cases = []
    for _ in range(3):
        batches = [{"id": "B%03d" % rng.randint(1, 999), "records": list(range(rng.randint(1, 9)))} for _ in range(4)]
        failures = {b["id"]: rng.choice([0, 0, 1, 2, 3, 4, 6]) for b in batches}
        cases.append({"batches": batches, "failures": failures})
    return {"cases": cases}


def data_a4(rng):
    hs = ["standard", "fragile", "cold"]
    runs = ["north", "south", "harbour"]
    assign = [["P%03d" % rng.randint(1, 30), rng.choice(runs), ddmmyyyy(rng)] for _ in range(6)]
    assign.append(list(assign[0]))  # a duplicate assignment
    return {"cards": [[safe_weight(rng, 0.2, 40), rng.choice(hs)] for _ in range(3)],
            "costs": [[safe_weight(rng, 0.2, 40), rng.choice("ABCD"), rng.choice(hs)] for _ in range(5)],
            "assign": assign, "manifests": [[a[1], a[2]] for a in assign[:3]]}


def data_e1(rng):
    batches = []
    for _ in range(3):
        rows = []
        for k in range(6):
            rows.append(["R%05d" % rng.randint(1, 99999), "%02d/%02d/2024" % (rng.randint(1, 28), rng.choice([5, 6])),
                         "%.2f" % rng.uniform(3, 400), rng.choice(["yes", "no"]), safe_weight(rng, 2, 300, 0.028349523125),
                         rng.choice(ZONES)])
        batches.append([rows, "%02d/06/2024" % rng.randint(10, 28)])
    return {"batches": batches}


def data_e2(rng):
    couriers = ["courier-%02d" % i for i in rng.sample(range(1, 60), 6)]
    runs = []
    first = [{"courier": c, "cents": rng.randint(500, 90000)} for c in couriers[:4]]
    runs.append([first, {couriers[1]: 1}])
    second = [{"courier": c, "cents": rng.randint(500, 90000)} for c in couriers[2:]]
    runs.append([second, {couriers[5]: 2}])
    return {"runs": runs}


def data_e3(rng):
    cases = []
    for k in range(4):
        meters = ["M-%04d" % rng.randint(1, 9999) for _ in range(5)]
        readings = [{"meter": m, "kwh": rng.randint(10, 900)} for m in meters]
        tariffs = {m: rng.randint(18, 41) for m in meters}
        flaky, dead = {}, []
        if k == 1:
            readings[3]["kwh"] = -5
        if k in (1, 2):
            flaky[meters[0]] = 1
        if k == 2:
            dead = [meters[2]]
        cases.append({"readings": readings, "tariffs": tariffs, "flaky": flaky, "dead": dead})
    return {"cases": cases}


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def write_files(base, files):
    for rel, text in files.items():
        full = os.path.join(base, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as fh:
            fh.write(text)


def solve_script(root, files, pre=""):
    out = ["#!/bin/bash", "# Oracle: the hand-migrated program (see the migration guide); then the CI gate.", "set -euo pipefail",
           "cd %s" % root, pre]
    for rel, text in sorted(files.items()):
        out.append("mkdir -p \"$(dirname '%s')\"" % rel)
        out.append("cat > '%s' <<'NWEOF'\n%sNWEOF" % (rel, text))
    out.append("nw-migrate --check .")
    return "\n".join(x for x in out if x) + "\n"


TASKS = {
    # id: (seed, root, ORIG, NEW, scenario, data fn, uses_v2, project_tests, guarded, sample)
    "migrate-a1": (101, "/root/invoicing", P.A1_ORIG, P.A1_NEW, S.A1, data_a1, ["money.fmt", "shipping.quote"], 0, []),
    "migrate-a2": (202, "/root/stockroom", P.A2_ORIG, P.A2_NEW, S.A2, data_a2, ["store.Store", "dates.parse"], 0, []),
    "migrate-a3": (303, "/root/syncer", P.A3_ORIG, P.A3_NEW, S.A3, data_a3, ["retry.retry", "log.event"], 0, []),
    "migrate-a4": (404, "/root/routing", P.A4_ORIG, P.A4_NEW, S.A4, data_a4,
                   ["money.fmt", "shipping.quote", "store.Store", "dates.parse", "log.event"], 3, []),
    "migrate-e1": (505, "/root/returns", P.E1_ORIG, P.E1_NEW, S.E1, data_e1,
                   ["money.fmt", "shipping.quote", "dates.parse", "log.event"], 0, []),
    "migrate-e2": (606, "/root/payouts", P.E2_ORIG, P.E2_NEW, S.E2, data_e2, ["retry.retry", "store.Store", "money.fmt"], 2,
                   [".nwmigrate.toml", "Makefile", "tests/test_payouts.py", "vendor/tabulate_lite.py"]),
    "migrate-e3": (707, "/root/meters", P.E3_ORIG, P.E3_NEW, S.E3, data_e3, ["retry.retry", "store.Store", "log.event"], 0, []),
}


def build(tid):
    seed, root, orig, new, scen, datafn, uses, ptests, guarded = TASKS[tid]
    rng = random.Random(seed)
    data = datafn(rng)
    tdir = os.path.join(FAMILY, tid)
    for sub in ("environment", "tests", "solution"):
        shutil.rmtree(os.path.join(tdir, sub), ignore_errors=True)
    env = os.path.join(tdir, "environment")
    write_files(os.path.join(env, "project"), orig)
    # a sample input for the agent to try the program on (the verifier uses other, hidden inputs)
    sample = datafn(random.Random(seed + 1))
    if tid == "migrate-a1":
        write_files(os.path.join(env, "project"), {"samples/order-1.json": json.dumps(sample["orders"][0], indent=1) + "\n",
                                                    "samples/order-2.json": json.dumps(sample["orders"][1], indent=1) + "\n"})
    elif tid == "migrate-e1":
        rows, today = sample["batches"][0]
        write_files(os.path.join(env, "project"), {
            "samples/returns-%s.csv" % today.replace("/", "-"): "order,bought,price,opened,weight_oz,zone\n"
            + "".join(",".join(str(x) for x in r) + "\n" for r in rows)})
    with open(os.path.join(env, "Dockerfile"), "w") as fh:
        fh.write("FROM skilldelta-env/migrate\nCOPY project/ %s/\nWORKDIR %s\n" % (root, root))
    tests = os.path.join(tdir, "tests")
    write_files(os.path.join(tests, "original"), orig)
    for f in ("runner.py", "verify_migrate.py"):
        shutil.copy(os.path.join(HERE, f), os.path.join(tests, f))
    with open(os.path.join(tests, "scenario.py"), "w") as fh:
        fh.write(scen.replace("__DATA__", json.dumps(data, indent=1, sort_keys=True)))
    exp = {"root": root, "uses_v2": uses, "project_tests": ptests, "guarded": {g: sha(orig[g]) for g in guarded}}
    with open(os.path.join(tests, "expected.json"), "w") as fh:
        json.dump(exp, fh, indent=1, sort_keys=True)
    with open(os.path.join(tests, "test.sh"), "w") as fh:
        fh.write("#!/bin/bash\n# Verifier: behaviour of the migrated program vs the original (tests/original), plus process checks.\n"
                 "mkdir -p /logs/verifier\ncd /tmp && python3 /tests/verify_migrate.py\n")
    os.makedirs(os.path.join(tdir, "solution"), exist_ok=True)
    changed = {k: v for k, v in new.items() if orig.get(k) != v}
    with open(os.path.join(tdir, "solution", "solve.sh"), "w") as fh:
        fh.write(solve_script(root, changed))
    for d in (os.path.join(tdir, "solution", "solve.sh"), os.path.join(tests, "test.sh")):
        os.chmod(d, 0o755)


def main():
    want = sys.argv[1:] or sorted(TASKS)
    for tid in want:
        build(tid)
        print("generated", tid)


if __name__ == "__main__":
    main()
