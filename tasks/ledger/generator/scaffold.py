#!/usr/bin/env python3
"""Write the boilerplate files of each ledger task (task.toml, environment/Dockerfile, tests/test.sh).
instruction.md, tests/verify.py and solution/solve.sh are hand-written."""
import os
FAM = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TASKS = {
    # id: (split, role, difficulty, tags, extra_skills, extra Dockerfile lines)
    "ledger-a1": ("acquisition", "acquisition", "medium", ["flx", "fiscal-calendar", "sign-convention"], [], []),
    "ledger-a2": ("acquisition", "acquisition", "medium", ["flx", "multi-currency", "minor-units"], [], []),
    "ledger-a3": ("acquisition", "acquisition", "medium", ["flx", "re-key", "seal"], [], []),
    "ledger-a4": ("acquisition", "acquisition", "medium", ["flx", "fiscal-calendar", "seal"], [], []),
    "ledger-e1": ("evaluation", "transfer", "medium", ["flx", "jpy", "multi-file"], [], []),
    "ledger-e2": ("evaluation", "trap", "hard", ["flx", "month-end-close", "re-key"], [], []),
    "ledger-e3": ("evaluation", "composition", "hard", ["flx", "warehouse", "sqlite"], ["warehouse/warehouse-changes"],
                  ["COPY whq /usr/local/bin/whq", "RUN chmod 755 /usr/local/bin/whq"]),
    "ledger-e4": ("evaluation", "transfer", "medium", ["flx", "encode", "kwd"], [], []),
}
TEST_SH = """#!/bin/bash
# Verifier entry point (runs as root after the agent stopped). python3 stdlib only, no network.
mkdir -p /logs/verifier
python3 /tests/verify.py
if [ ! -s /logs/verifier/reward.txt ]; then
  echo 0 > /logs/verifier/reward.txt
  echo '{"reward": 0, "checks": [{"name": "verifier", "passed": false, "message": "verify.py crashed"}]}' > /logs/verifier/reward.json
fi
exit 0
"""
for tid, (split, role, diff, tags, extra, lines) in TASKS.items():
    d = os.path.join(FAM, tid)
    os.makedirs(os.path.join(d, "environment"), exist_ok=True)
    os.makedirs(os.path.join(d, "tests"), exist_ok=True)
    os.makedirs(os.path.join(d, "solution"), exist_ok=True)
    toml = ['version = "1.0"', "", "[metadata]", 'author_name = "SkillDelta ledger family"',
            'split = "%s"' % split, 'role = "%s"' % role, 'difficulty = "%s"' % diff,
            'category = "data-wrangling"', "tags = [%s]" % ", ".join('"%s"' % t for t in tags)]
    if extra:
        toml.append("extra_skills = [%s]" % ", ".join('"%s"' % e for e in extra))
    toml += ["", "[agent]", "timeout_sec = 900.0", "", "[verifier]", "timeout_sec = 120.0", "",
             "[environment]", "build_timeout_sec = 300.0", "cpus = 1", "memory_mb = 1024", "storage_mb = 2048",
             "allow_internet = false", ""]
    open(os.path.join(d, "task.toml"), "w").write("\n".join(toml))
    df = ["# Task image: the Northwind ledger workstation plus this task's data. Offline: COPY only.",
          "FROM skilldelta-env/ledger", "COPY data /data"] + lines + ["WORKDIR /root", ""]
    open(os.path.join(d, "environment", "Dockerfile"), "w").write("\n".join(df))
    open(os.path.join(d, "tests", "test.sh"), "w").write(TEST_SH)
print("scaffolded", len(TASKS))
