#!/usr/bin/env python3
"""Write task.toml, environment/Dockerfile and tests/test.sh of each warehouse task."""
import os
FAM = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TASKS = {
    "warehouse-a1": ("acquisition", "acquisition", "medium", ["sqlite", "scd2", "soft-delete", "fiscal-week"], [], []),
    "warehouse-a2": ("acquisition", "acquisition", "medium", ["sqlite", "report-view", "whq"], [], []),
    "warehouse-a3": ("acquisition", "acquisition", "easy", ["sqlite", "scd2", "point-in-time"], [], []),
    "warehouse-a4": ("acquisition", "acquisition", "medium", ["sqlite", "data-quality", "soft-delete"], [], []),
    "warehouse-e1": ("evaluation", "transfer", "hard", ["postgresql", "report-view", "fiscal-week"], [], []),
    "warehouse-e2": ("evaluation", "trap", "hard", ["sqlite", "data-quality", "soft-delete"], [], []),
    "warehouse-e3": ("evaluation", "composition", "hard", ["sqlite", "flx", "reconciliation"], ["ledger/flx-ledger"],
                     ["COPY flx /usr/local/bin/flx", "COPY flx.1 /usr/local/share/man/man1/flx.1",
                      "COPY flx.5 /usr/local/share/man/man5/flx.5", "RUN chmod 755 /usr/local/bin/flx"]),
    "warehouse-e4": ("evaluation", "transfer", "medium", ["sqlite", "scd2", "fiscal-calendar"], [], []),
}
TEST_SH = open(os.path.join(FAM, "..", "ledger", "ledger-a1", "tests", "test.sh")).read()
for tid, (split, role, diff, tags, extra, lines) in TASKS.items():
    d = os.path.join(FAM, tid)
    for sub in ("environment", "tests", "solution"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    toml = ['version = "1.0"', "", "[metadata]", 'author_name = "SkillDelta warehouse family"', 'split = "%s"' % split,
            'role = "%s"' % role, 'difficulty = "%s"' % diff, 'category = "sql"', "tags = [%s]" % ", ".join('"%s"' % t for t in tags)]
    if extra:
        toml.append("extra_skills = [%s]" % ", ".join('"%s"' % e for e in extra))
    toml += ["", "[agent]", "timeout_sec = 900.0", "", "[verifier]", "timeout_sec = 180.0", "", "[environment]",
             "build_timeout_sec = 300.0", "cpus = 1", "memory_mb = %d" % (1536 if tid.endswith("e1") else 1024),
             "storage_mb = 2048", "allow_internet = false", ""]
    open(os.path.join(d, "task.toml"), "w").write("\n".join(toml))
    df = ["# Task image: the Northwind warehouse workstation plus this task's data. Offline: COPY only.",
          "FROM skilldelta-env/warehouse", "COPY data /data"] + lines + ["WORKDIR /root", ""]
    open(os.path.join(d, "environment", "Dockerfile"), "w").write("\n".join(df))
    open(os.path.join(d, "tests", "test.sh"), "w").write(TEST_SH)
print("scaffolded", len(TASKS))
