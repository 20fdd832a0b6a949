"""Per-task files of the audit family (instruction, task.toml, Dockerfile, tests, oracle)."""
import hashlib
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = os.path.dirname(HERE)
CHECK = os.path.join(FAMILY, "skills", "nwsec-audit", "scripts", "nwsec_check.py")

ROLES = {"audit-e1": "transfer", "audit-e2": "trap", "audit-e3": "transfer", "audit-e4": "composition"}
OUT = {"audit-e1": "/srv/audit/lon/findings.json", "audit-e3": "/srv/audit/out/findings.json"}

SCHEMA = """\
The report is a JSON object in Northwall's house findings schema:

```json
{
  "baseline": "NWSEC-BASELINE v3",
  "audit_date": "YYYY-MM-DD",
  "findings": [
    {"host": "<host>", "control": "<control id>", "severity": "low|medium|high|critical",
     "status": "open|excepted", "exception": "<exception id or null>", "evidence": "<free text>"}
  ]
}
```

List exactly one finding per host and violated control; compliant controls are not listed.
`exception` is the exceptions-register id for `excepted` findings and `null` for `open` ones.
`evidence` is free text for the reader (not graded).
"""


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def instruction(tid, cfg):
    date = cfg["date"]
    role = ROLES.get(tid, "acquisition")
    out = OUT.get(tid, "/srv/audit/out/findings.json")
    hosts = ", ".join(h for h, _, _ in cfg["hosts"])
    if tid == "audit-e1":
        body = f"""# NWSEC audit of the London (eu-west) pilot site

The London site was built by a contractor and has never been audited. Its hosts were collected
with nwcollect and shipped as one archive per host in `/srv/audit/incoming/` (`<host>.tar.gz`,
each containing the host's snapshot: its `etc/` tree and `.nwcollect/stat.tsv`). The site
inventory is `/srv/audit/incoming/inventory.csv` and the exceptions register for the site is
`/srv/audit/incoming/exceptions.csv`.

Audit every host of the inventory against **NWSEC-BASELINE v3** as of **{date}** and write the
report to `{out}` (create the directory if needed). Northwall's wiki export is under
`/opt/northwall/wiki/` and the security tools are installed.
"""
    elif tid == "audit-e3":
        body = f"""# NWSEC audit after the CMDB migration

Asset data moved from the old inventory spreadsheet to the new CMDB. This quarter's snapshots of
the hosts to audit are in `/srv/audit/hosts/<host>/` (collected with nwcollect); the asset
records are the CMDB export `/srv/audit/cmdb-export.json` (the CSV inventory no longer exists)
and the exceptions register is `/srv/audit/exceptions.csv`.

Audit every host in the CMDB export against **NWSEC-BASELINE v3** as of **{date}** and write the
report to `{out}` (create the directory if needed). Northwall's wiki export is under
`/opt/northwall/wiki/` and the security tools are installed.
"""
    elif tid == "audit-e2":
        return trap_instruction(tid, cfg)
    elif tid == "audit-e4":
        return compose_instruction(tid, cfg)
    else:
        body = f"""# NWSEC audit: {hosts}

Security engineering asked you to audit the hosts {hosts} against **NWSEC-BASELINE v3** as of
**{date}**. Their configuration snapshots were collected with nwcollect into
`/srv/audit/hosts/<host>/` (the host's `etc/` tree plus `.nwcollect/stat.tsv`). The inventory is
`/srv/audit/inventory.csv` and the exceptions register is `/srv/audit/exceptions.csv`.

Write the audit report to `{out}` (create the directory if needed). Northwall's wiki export is
under `/opt/northwall/wiki/` and the security tools are installed.
"""
    return body + "\n" + SCHEMA + "\nDo not modify the snapshots, the inventory or the register.\n"


def trap_instruction(tid, cfg):
    h = cfg["remediate"]
    return f"""# Remediate {h} before the change window

`{h}` fails the security review of change CHG-{cfg['seed'] * 37}. Its configuration, as it will be
deployed, is in `/srv/audit/hosts/{h}/` (the `etc/` tree; file owners and modes are deployed from
the manifest `.nwcollect/stat.tsv` in the same directory). The inventory is
`/srv/audit/inventory.csv`, the exceptions register `/srv/audit/exceptions.csv`.

The change can go ahead when, as of **{cfg['date']}**:

1. the host's configuration complies with **NWSEC-BASELINE v3** (findings covered by a valid
   exception may stay), and
2. the CI gate `nwaudit gate /srv/audit/hosts/{h} --exceptions /srv/audit/exceptions.csv` passes.

Fix the configuration files in `/srv/audit/hosts/{h}/` so that both hold. Keep the host doing its
job: do not remove services, sites, cron jobs or accounts' sudo access - change the settings. Then
write the post-remediation audit report of `{h}` to `/srv/audit/out/findings.json`.

Northwall's wiki export is under `/opt/northwall/wiki/` and the security tools are installed.

{SCHEMA}"""


def compose_instruction(tid, cfg):
    return f"""# Security review of the hosts behind incident INC-2025-0311

During incident INC-2025-0311 on 2025-03-11 the checkout platform in eu-central (Frankfurt)
failed for a while. The incident review board asks security engineering to audit the hosts of
the **root-cause service** of that incident that logged an ERROR event for at least one
**incident failing request** - and only those hosts.

* The service logs of the incident are in `/srv/audit/incident/logs/` (edge, orders, payments).
  The SRE incident-review conventions (wiki `sre/incident-review.md`) define failing request,
  origin, root-cause service and incident failing request; all times must be compared in true
  UTC. The SRE tools are installed on this machine.
* Configuration snapshots of the platform hosts are in `/srv/audit/hosts/<host>/`, the inventory
  in `/srv/audit/inventory.csv`, the exceptions register in `/srv/audit/exceptions.csv`.

Audit the selected hosts against **NWSEC-BASELINE v3** as of **{cfg['date']}** and write the
report to `/srv/audit/out/findings.json` (create the directory if needed). Besides the house
schema keys below, the report must contain

```json
"incident": {{"root_cause_service": "<service>", "hosts": ["<host>", "..."]}}
```

naming the root-cause service and the hosts you audited. Northwall's wiki export is under
`/opt/northwall/wiki/`.

{SCHEMA}
Do not modify the logs, the snapshots, the inventory or the register.
"""


def task_toml(tid, cfg):
    role = ROLES.get(tid, "acquisition")
    split = "acquisition" if role == "acquisition" else "evaluation"
    diff = {"acquisition": "medium", "transfer": "hard", "trap": "hard", "composition": "hard"}[role]
    extra = '\nextra_skills = ["incident/incident-triage"]' if role == "composition" else ""
    tags = ["security", "configuration-audit", "compliance", "sshd", "sudoers", "nginx", "sysctl"]
    return f"""version = "1.0"

[metadata]
author_name = "SkillDelta"
split = "{split}"
role = "{role}"
difficulty = "{diff}"
category = "configuration-audit"
tags = {json.dumps(tags)}{extra}

[agent]
timeout_sec = {1800 if role != "acquisition" else 1200}

[verifier]
timeout_sec = 120

[environment]
cpus = 1
memory_mb = 1024
storage_mb = 2048
allow_internet = false
"""


def dockerfile(tid, cfg):
    lines = ["# Task image: this audit's snapshots on top of the family environment.", "FROM skilldelta-env/audit"]
    if cfg.get("tarballs"):
        lines.append("COPY data/incoming/ /srv/audit/incoming/")
    else:
        lines.append("COPY data/hosts/ /srv/audit/hosts/")
        if tid == "audit-e3":
            lines.append("COPY data/cmdb-export.json data/exceptions.csv /srv/audit/")
        else:
            lines.append("COPY data/inventory.csv data/exceptions.csv /srv/audit/")
    if cfg.get("compose"):
        lines += ["COPY data/incident/ /srv/audit/incident/",
                  "COPY data/tools/bin/ /usr/local/bin/",
                  "COPY data/tools/man/ /usr/local/share/man/",
                  "COPY data/tools/wiki/ /opt/northwall/wiki/"]
    return "\n".join(lines) + "\n"


def solve_sh(tid, cfg, extra=""):
    script = open(CHECK).read()
    out = OUT.get(tid, "/srv/audit/out/findings.json")
    hosts, inv = "/srv/audit/hosts", "/srv/audit/inventory.csv"
    exc = "/srv/audit/exceptions.csv"
    pre = ""
    only = ""
    if tid == "audit-e1":
        pre = ("mkdir -p /tmp/snap\nfor t in /srv/audit/incoming/*.tar.gz; do h=$(basename \"$t\" .tar.gz); "
               "mkdir -p /tmp/snap/$h; tar -xzf \"$t\" -C /tmp/snap/$h; done\n")
        hosts, inv, exc = "/tmp/snap", "/srv/audit/incoming/inventory.csv", "/srv/audit/incoming/exceptions.csv"
    if tid == "audit-e3":
        pre = ("python3 - <<'PY'\nimport csv, json\nrows = json.load(open('/srv/audit/cmdb-export.json'))['assets']\n"
               "with open('/tmp/inventory.csv', 'w', newline='') as fh:\n"
               "    w = csv.writer(fh); w.writerow(['host', 'role', 'internet_facing'])\n"
               "    for a in rows:\n"
               "        w.writerow([a['hostname'], a['function'], 'yes' if a['exposure'] == 'public' else 'no'])\n"
               "PY\n")
        inv = "/tmp/inventory.csv"
    pre += extra
    if cfg.get("compose"):
        only = " --only \"$HOSTS\""
    return f"""#!/bin/bash
# Oracle for {tid}: evaluate the effective configuration per NWSEC-BASELINE v3
# (includes, sshd first-match, sudo includedir skip rules, sysctl order, cron/systemd,
# exception expiry, internet-facing escalation) with the nwsec-audit skill's checker.
set -euo pipefail
cat > /tmp/nwsec_check.py <<'PYEOF'
{script}PYEOF
{pre}mkdir -p "$(dirname {out})"
python3 /tmp/nwsec_check.py --hosts {hosts} --inventory {inv} --exceptions {exc} --date {cfg['date']}{only} > /tmp/findings.json
{"python3 /tmp/add_incident.py" if cfg.get("compose") else "true"}
cp /tmp/findings.json {out}
cat {out}
"""


def write(tid, cfg, data, expected_extra=None, solve_extra=""):
    tdir = os.path.join(FAMILY, tid)
    tests = os.path.join(tdir, "tests")
    os.makedirs(tests, exist_ok=True)
    os.makedirs(os.path.join(tdir, "solution"), exist_ok=True)
    for name in ("test.sh", "verify.py"):
        shutil.copy(os.path.join(HERE, "templates", name), os.path.join(tests, name))
    exp_path = os.path.join(tests, "expected.json")
    exp = json.load(open(exp_path))
    exp["output"] = OUT.get(tid, "/srv/audit/out/findings.json")
    exp.update(expected_extra or {})
    with open(exp_path, "w") as fh:
        json.dump(exp, fh, indent=2)
        fh.write("\n")
    with open(os.path.join(tdir, "instruction.md"), "w") as fh:
        fh.write(instruction(tid, cfg))
    with open(os.path.join(tdir, "task.toml"), "w") as fh:
        fh.write(task_toml(tid, cfg))
    with open(os.path.join(tdir, "environment", "Dockerfile"), "w") as fh:
        fh.write(dockerfile(tid, cfg))
    with open(os.path.join(tdir, "solution", "solve.sh"), "w") as fh:
        fh.write(solve_sh(tid, cfg, solve_extra))
