#!/usr/bin/env python3
"""Generates the two composition tasks that need both families' skills:
  migrate-e4  migrate tallyman to nwlib.v2, then cut its release with relx  (extra skill: release/relx-release)
  release-e4  cut dockyard's release; relx's sunset gate forbids nwlib.v1  (extra skill: migrate/nwlib-v2-migration)
Both are git repositories built with the release family's generator; their verifier is the release
verifier plus the migrate verifier run on the tagged tree (hidden_tests)."""
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TASKS = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TASKS, "release", "generator"))
import gen_release as R  # noqa: E402
import projects as P  # noqa: E402
import scenarios as S  # noqa: E402
from gen_migrate import safe_weight, ddmmyyyy, solve_script  # noqa: E402

CHECK = 'check = "python3 -m unittest discover -s tests -q"\n'


def finish(tid, family, b, exp_release, orig, new, scen, data, uses, solve_tail):
    R.FAMILY = os.path.join(TASKS, family)
    tdir = os.path.join(TASKS, family, tid)
    for sub in ("environment", "tests", "solution"):
        shutil.rmtree(os.path.join(tdir, sub), ignore_errors=True)
    R.write_task(tid, b, exp_release)
    with open(os.path.join(tdir, "environment", "Dockerfile")) as fh:
        text = fh.read().replace("FROM skilldelta-env/release", "FROM skilldelta-env/%s" % family)
    with open(os.path.join(tdir, "environment", "Dockerfile"), "w") as fh:
        fh.write(text)
    tests = os.path.join(tdir, "tests")
    for f in ("runner.py", "verify_migrate.py"):
        shutil.copy(os.path.join(HERE, f), os.path.join(tests, f))
    for rel, text in orig.items():
        os.makedirs(os.path.dirname(os.path.join(tests, "original", rel)), exist_ok=True)
        with open(os.path.join(tests, "original", rel), "w") as fh:
            fh.write(text)
    with open(os.path.join(tests, "scenario.py"), "w") as fh:
        fh.write(scen.replace("__DATA__", json.dumps(data, indent=1, sort_keys=True)))
    with open(os.path.join(tests, "expected_migrate.json"), "w") as fh:
        json.dump({"root": "/root/%s" % b.pkg, "uses_v2": uses, "project_tests": 0, "guarded": {}}, fh, indent=1, sort_keys=True)
    with open(os.path.join(tests, "test.sh"), "w") as fh:
        fh.write("#!/bin/bash\n# Verifier: the release (tag, manifest, changelog, relx receipt) and, on the tagged tree,\n"
                 "# the migration (behaviour vs tests/original, no nwlib.v1, nwlib.v2 really used).\n"
                 "mkdir -p /logs/verifier\ncd /tmp && python3 /tests/verify_release.py\n")
    os.makedirs(os.path.join(tdir, "solution"), exist_ok=True)
    changed = {k: v for k, v in new.items() if orig.get(k) != v}
    script = solve_script("/root/%s" % b.pkg, changed).replace("nw-migrate --check .\n", "nw-migrate --check .\n" + solve_tail)
    with open(os.path.join(tdir, "solution", "solve.sh"), "w") as fh:
        fh.write(script)
    for p in (os.path.join(tdir, "solution", "solve.sh"), os.path.join(tests, "test.sh")):
        os.chmod(p, 0o755)


def release_tail(pkg, ticket, ctype):
    return ("python3 -m unittest discover -s tests -q\n"
            "git add -A\n"
            "git commit -q -m 'Migrate to nwlib.v2' -m 'nwlib.v1 is past its sunset.' -m 'Change-Type: %s\nTicket: %s'\n"
            "v=$(relx next)\necho \"$v\" > VERSION\nrelx changelog --write\ngit add -A\nrelx manifest --write\ngit add -A\n"
            "git commit -q -m \"Release %s $v\" -m 'Change-Type: release'\nrelx cut\n" % (ctype, ticket, pkg))


def migrate_e4():
    b = R.Builder("migrate-e4", "tallyman", 88, start="2.0.0", relx_extra=CHECK)
    b.r.commit(dict(P.E4_ORIG), "Add checkout pricing", trailers=[("Change-Type", "feature"), ("Ticket", b.next_ticket())])
    b.history([[("fix", "Fix coupon rounding")]])
    tickets = []
    for ctype, subj in [("feature", "Gift wrap option"), ("fix", "Trim SKU whitespace")]:
        tickets.append(b.change(ctype, subj)[1])
    rng = random.Random(8801)
    data = {"checkouts": [[[[round(rng.uniform(0.5, 300), 2), rng.randint(1, 12)] for _ in range(rng.randint(1, 5))],
                           safe_weight(rng, 0.2, 50), rng.choice("ABCDX")] for _ in range(6)]}
    exp = R.common_expected(b, {}, "2.2.0", tickets, check="passed", release_branch="release/2.2.x",
                            tickets_optional=["NW-7003", "no-ticket"], hidden_tests="verify_migrate.py")
    finish("migrate-e4", "migrate", b, exp, P.E4_ORIG, P.E4_NEW, S.E4, data, ["money.fmt", "shipping.quote"],
           release_tail("tallyman", "NW-7003", "chore"))


def release_e4():
    b = R.Builder("release-e4", "dockyard", 99, start="1.6.0", relx_extra=CHECK)
    b.r.commit(dict(P.R4_ORIG), "Add berth bookings", trailers=[("Change-Type", "feature"), ("Ticket", b.next_ticket())])
    b.history([[("fix", "Reject empty vessel names")]])
    # the platform team adds the sunset gate
    b.r.commit({".relx.toml": b.r.read(".relx.toml") + 'forbid_imports = ["nwlib.v1"]\n'}, "Enforce the nwlib.v1 sunset in releases",
               body="Platform sunset gate, see the nwlib v2 migration guide.", trailers=[("Change-Type", "chore"), ("Ticket", "NW-8000")])
    tickets = []
    for ctype, subj in [("feature", "Tug assignment"), ("security", "Escape vessel names in reports")]:
        tickets.append(b.change(ctype, subj)[1])
    rng = random.Random(9901)
    days = [ddmmyyyy(rng) for _ in range(3)]
    bookings = [["MV %s" % rng.choice(["Alda", "Brisk", "Corran", "Dunmore", "Eider", "Fenna"]), rng.choice(["B1", "B2", "B3"]),
                 rng.choice(days)] for _ in range(9)]
    data = {"bookings": bookings, "days": days}
    exp = R.common_expected(b, {}, "1.8.0", tickets, check="passed", release_branch="release/1.8.x",
                            tickets_optional=["NW-8120", "no-ticket"], hidden_tests="verify_migrate.py")
    finish("release-e4", "release", b, exp, P.R4_ORIG, P.R4_NEW, S.R4, data, ["store.Store", "dates.parse", "log.event"],
           release_tail("dockyard", "NW-8120", "chore"))


if __name__ == "__main__":
    migrate_e4()
    release_e4()
    print("generated migrate-e4 release-e4")
