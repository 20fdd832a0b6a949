#!/usr/bin/env python3
"""Seeded generator for the `incident` family.

For every task it writes the evidence (service logs in their native formats,
the clock-skew register page of the ops wiki at the time of the incident) into
tasks/incident/<id>/environment/, the ground truth into tests/expected.json and
regenerates the per-task Dockerfile, tests/ and solution/solve.sh.

Ground truth comes from the generator's own model of the requests (true UTC
times), not from tracecat; `--selfcheck` then runs tracecat with the right
and with typical wrong flags to prove that the oracle agrees with the truth
and that each quirk the task targets changes the answer.

    python3 gen.py            # regenerate everything
    python3 gen.py --selfcheck
"""
import collections
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(FAMILY))
TRACECAT = os.path.join(ROOT, "environments", "incident", "bin", "tracecat")
SUMMARY = os.path.join(FAMILY, "skills", "incident-triage", "scripts", "incident_summary.py")
UTC = dt.timezone.utc
ZONES = {"eu-central": "Europe/Berlin", "eu-north": "Europe/Helsinki", "us-east": "America/New_York",
         "ap-south": "Australia/Sydney"}

TASKS = {
    "incident-a1": dict(seed=101, site="eu-central", start="2024-07-14T09:00:00", minutes=60, n=380,
                        inc=(31, 44), root="payments", services=["edge", "orders", "payments"],
                        skew={"orders": -37.2}, rotate=None, out="/srv/incident/out/summary.json"),
    "incident-a2": dict(seed=202, site="eu-central", start="2024-01-23T14:00:00", minutes=60, n=420,
                        inc=(29, 51), root="payments", services=["edge", "orders", "payments", "inventory"],
                        skew={"orders": -8.4, "inventory": 4.5}, rotate=38, out="/srv/incident/out/summary.json"),
    "incident-a3": dict(seed=303, site="eu-central", start="2024-10-27T00:10:00", minutes=90, n=520,
                        inc=(38, 72), root="payments", services=["edge", "orders", "payments"],
                        skew={"orders": -21.0}, rotate=None, out="/srv/incident/out/summary.json"),
    "incident-a4": dict(seed=404, site="eu-central", start="2024-05-06T18:00:00", minutes=120, n=1150,
                        inc=(99, 119), root="orders", services=["edge", "orders", "payments", "inventory"],
                        skew={"orders": 6.3}, rotate=None, out="/srv/incident/out/summary.json"),
    "incident-e1": dict(seed=505, site="us-east", start="2024-08-19T13:00:00", minutes=75, n=600,
                        inc=(40, 58), root="inventory", services=["edge", "orders", "payments", "inventory"],
                        skew={"inventory": 14.2, "orders": -3.1}, rotate=44, rotate2=20, bundle="INC-2024-0819",
                        out="/srv/incident/INC-2024-0819/summary.json"),
    "incident-e2": dict(seed=606, site="eu-north", start="2024-02-12T07:00:00", minutes=60, n=450,
                        inc=(22, 37), root="payments", services=["edge", "orders", "payments"],
                        skew={"orders": -45.5}, rotate=None, out="/srv/incident/out/summary.json",
                        prelim=True, sealed=True),
    "incident-e3": dict(seed=707, site="eu-central", start="2024-09-03T10:00:00", minutes=60, n=420,
                        inc=(27, 40), root="payments", services=["edge", "orders", "payments"],
                        skew={"orders": -18.9}, rotate=None, out="/srv/incident/out/summary.json",
                        compose=True),
    "incident-e4": dict(seed=808, site="ap-south", start="2024-04-06T15:05:00", minutes=110, n=1250,
                        inc=(58, 106), root="payments", services=["edge", "orders", "payments", "inventory"],
                        skew={"orders": -26.7}, rotate=70, out="/srv/incident/apac/summary.json"),
}

ROOT_ERR = {
    "payments": "authorisation failed: connection pool exhausted (db-pay-2)",
    "inventory": "reservation failed: lock wait timeout on invdb",
    "orders": "order commit failed: deadlock detected on orders_db",
}
PRECURSOR = {
    "payments": "pool wait exceeded 800ms, retrying authorisation",
    "inventory": "lock wait exceeded 500ms, retrying reservation",
    "orders": "deadlock detected, retrying transaction",
}


class Model:
    def __init__(self, tid, cfg):
        self.tid, self.cfg = tid, cfg
        self.rnd = random.Random(cfg["seed"])
        self.events = []  # dicts with true ts (aware UTC)
        self.requests = {}

    def ev(self, ts, svc, level, trace, msg, **kw):
        host = kw.pop("host", None)
        self.events.append(dict(ts=ts, service=svc, level=level, trace=trace, msg=msg, host=host, **kw))

    def hex_id(self):
        return "%012x" % self.rnd.getrandbits(48)

    def build(self):
        c, r = self.cfg, self.rnd
        t0 = dt.datetime.fromisoformat(c["start"]).replace(tzinfo=UTC)
        span = c["minutes"] * 60.0
        inc_a, inc_b = (t0 + dt.timedelta(minutes=m) for m in c["inc"])
        customers = ["C-%05d" % r.randint(10000, 99999) for _ in range(260)]
        svcs = set(c["services"])
        root = c["root"]
        hosts = {"orders": ["orders-1", "orders-2", "orders-3"], "payments": ["payments-1", "payments-2", "payments-3"],
                 "inventory": ["inv-1", "inv-2"], "edge": ["edge-1", "edge-2"]}
        if c["site"] == "us-east":
            hosts = {k: [h.replace("-", "-us-", 1) if k != "edge" else h for h in v] for k, v in hosts.items()}
        # pick request start times
        starts = sorted(t0 + dt.timedelta(seconds=r.uniform(5, span - 30)) for _ in range(c["n"]))
        noise_slots = set(r.sample(range(len(starts)), 4))
        precursor_slots = set()
        for i, s in enumerate(starts):
            if inc_a - dt.timedelta(minutes=6) < s < inc_a - dt.timedelta(seconds=20):
                if r.random() < 0.25:
                    precursor_slots.add(i)
        for i, s in enumerate(starts):
            rid = self.hex_id()
            ms = lambda a, b: dt.timedelta(milliseconds=r.randint(a, b))
            kind = r.choices(["checkout", "lookup", "catalog"], [0.55, 0.25, 0.20])[0]
            cust = r.choice(customers)
            eh = r.choice(hosts["edge"])
            oh = r.choice(hosts["orders"])
            t = s
            status = 200
            if kind == "catalog":
                t = s + ms(5, 60)
                status = 404 if r.random() < 0.03 else 200
                self.edge(t, eh, rid, "GET", "/api/catalog", status, s)
                continue
            t = s + ms(3, 15)
            if kind == "lookup":
                self.ev(t, "orders", "INFO", rid, "order lookup", host=oh, customer=cust)
                failing = (root == "orders" and inc_a <= s <= inc_b and r.random() < 0.5)
                if failing:
                    t += ms(800, 2500)
                    self.ev(t, "orders", "ERROR", rid, ROOT_ERR["orders"], host=oh)
                    status = 500
                else:
                    t += ms(10, 80)
                self.edge(t + ms(2, 8), eh, rid, "GET", "/api/orders/%d" % r.randint(100000, 999999), status, s)
                continue
            # checkout
            self.ev(t, "orders", "INFO", rid, "order received", host=oh, customer=cust)
            in_inc = inc_a <= s <= inc_b and r.random() < 0.7
            mode = root if in_inc else None
            if i in noise_slots and not in_inc:
                mode = "noise"
            if mode == "orders":
                t += ms(900, 2600)
                self.ev(t, "orders", "ERROR", rid, ROOT_ERR["orders"], host=oh)
                self.edge(t + ms(2, 9), eh, rid, "POST", "/api/checkout", 500, s)
                continue
            if mode == "noise" and root != "orders":
                t += ms(20, 60)
                self.ev(t, "orders", "ERROR", rid, "promo code handler crashed: KeyError 'currency'", host=oh)
                self.edge(t + ms(2, 9), eh, rid, "POST", "/api/checkout", 500, s)
                continue
            if "inventory" in svcs:
                ih = r.choice(hosts["inventory"])
                t += ms(5, 20)
                self.ev(t, "inventory", "INFO", rid, "reserve start", host=ih)
                if mode == "inventory":
                    t += ms(1500, 3000)
                    self.ev(t, "inventory", "ERROR", rid, ROOT_ERR["inventory"], host=ih)
                    t += ms(5, 25)
                    self.ev(t, "orders", "ERROR", rid, "stock reservation failed: upstream returned 503", host=oh)
                    self.edge(t + ms(2, 9), eh, rid, "POST", "/api/checkout", 503, s)
                    continue
                if i in precursor_slots and root == "inventory":
                    t += ms(500, 700)
                    self.ev(t, "inventory", "ERROR", rid, PRECURSOR["inventory"], host=ih)
                t += ms(15, 90)
                self.ev(t, "inventory", "INFO", rid, "reserved", host=ih)
            ph = r.choice(hosts["payments"])
            t += ms(5, 20)
            self.ev(t, "payments", "INFO", rid, "authorisation start", host=ph)
            if mode == "payments":
                t += ms(1500, 3000)
                self.ev(t, "payments", "ERROR", rid, ROOT_ERR["payments"], host=ph)
                t += ms(5, 25)
                self.ev(t, "orders", "ERROR", rid, "payment authorisation failed: upstream returned 503", host=oh)
                self.edge(t + ms(2, 9), eh, rid, "POST", "/api/checkout", 502, s)
                continue
            if mode == "noise" and root == "orders":
                t += ms(3000, 3100)
                self.ev(t, "payments", "ERROR", rid, "3-D Secure provider timeout", host=ph)
                t += ms(5, 25)
                self.ev(t, "orders", "ERROR", rid, "payment authorisation failed: upstream returned 504", host=oh)
                self.edge(t + ms(2, 9), eh, rid, "POST", "/api/checkout", 502, s)
                continue
            if i in precursor_slots and root == "payments":
                t += ms(800, 900)
                self.ev(t, "payments", "ERROR", rid, PRECURSOR["payments"], host=ph)
            t += ms(40, 300)
            self.ev(t, "payments", "INFO", rid, "authorised", host=ph)
            if i in precursor_slots and root == "orders":
                t += ms(30, 60)
                self.ev(t, "orders", "ERROR", rid, PRECURSOR["orders"], host=oh)
            t += ms(5, 30)
            self.ev(t, "orders", "INFO", rid, "order committed", host=oh)
            self.edge(t + ms(2, 9), eh, rid, "POST", "/api/checkout", 201, s)
        self.events.sort(key=lambda e: e["ts"])

    def edge(self, t, host, rid, method, path, status, start):
        dur = int((t - start).total_seconds() * 1000)
        self.ev(t, "edge", "ERROR" if status >= 500 else "WARN" if status >= 400 else "INFO", rid,
                f"{method} {path}", host=host, method=method, path=path, status=status, dur_ms=dur)

    # ---- ground truth, from the true model -------------------------------------------------
    def truth(self):
        by = collections.defaultdict(list)
        for e in self.events:
            by[e["trace"]].append(e)
        failing = {}
        for tid, evs in by.items():
            edge = [e for e in evs if e["service"] == "edge"]
            if edge and edge[-1]["status"] >= 500:
                errs = sorted((e for e in evs if e["level"] == "ERROR"), key=lambda e: e["ts"])
                failing[tid] = (edge[-1]["ts"], errs[0]["service"], {e.get("customer") for e in evs} - {None}, errs)
        origins = collections.Counter(f[1] for f in failing.values())
        root = origins.most_common(1)[0][0]
        assert root == self.cfg["root"], (self.tid, origins)
        inc = {t: f for t, f in failing.items() if f[1] == root}
        first = min(inc, key=lambda t: inc[t][0])
        fe = min(e["ts"] for f in inc.values() for e in f[3] if e["service"] == root)
        fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
        return {
            "root_cause_service": root,
            "first_failing_request": first,
            "failing_requests": len(inc),
            "affected_customers": len(set().union(*(f[2] for f in inc.values()))),
            "timeline": {"first_error": fmt(fe), "last_failure": fmt(max(f[0] for f in inc.values()))},
            "root_hosts": sorted({e["host"] for f in inc.values() for e in f[3] if e["service"] == root}),
            "noise_failures": sum(1 for f in failing.values() if f[1] != root),
        }

    # ---- rendering in the native formats ---------------------------------------------------
    def render(self, logdir):
        c = self.cfg
        zone = ZoneInfo(ZONES[c["site"]])
        lines = collections.defaultdict(list)  # service -> [(true ts, line)]
        seq = collections.Counter()
        for e in self.events:
            svc = e["service"]
            logged = e["ts"] + dt.timedelta(seconds=c["skew"].get(svc, 0.0))
            if svc == "edge":
                ts = logged.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (logged.microsecond // 1000)
                line = (f'{ts} {e["host"]} req_id={e["trace"]} method={e["method"]} path={e["path"]} '
                        f'status={e["status"]} dur_ms={e["dur_ms"]}')
            elif svc == "orders":
                rec = {"t": int(logged.timestamp() * 1000), "lvl": e["level"].lower(), "host": e["host"],
                       "correlation_id": e["trace"]}
                if e.get("customer"):
                    rec["customer"] = e["customer"]
                rec["msg"] = e["msg"]
                line = json.dumps(rec)
            elif svc == "payments":
                loc = logged.astimezone(zone)
                seq[e["host"]] += 1
                line = (loc.strftime("%d/%m/%Y %H:%M:%S,") + "%03d" % (loc.microsecond // 1000) +
                        f' [{e["level"]:<5}] {e["host"]} xref=PAY-{e["trace"].upper()} seq={seq[e["host"]]:06d} msg="{e["msg"]}"')
            else:
                ts = logged.isoformat(timespec="milliseconds")
                line = f'ts={ts} level={e["level"].lower()} host={e["host"]} trace=inv:{e["trace"]} msg="{e["msg"]}"'
            lines[svc].append((e["ts"], line))
        os.makedirs(logdir, exist_ok=True)
        t0 = dt.datetime.fromisoformat(c["start"]).replace(tzinfo=UTC)
        for svc, items in lines.items():
            name = "orders.jsonl" if svc == "orders" else f"{svc}.log"
            cut = c.get("rotate")
            if svc == "edge" and cut:
                cut_t = t0 + dt.timedelta(minutes=cut)
                old = [l for t, l in items if t < cut_t]
                new = [l for t, l in items if t >= cut_t]
                cut2 = c.get("rotate2")
                if cut2:
                    cut2_t = t0 + dt.timedelta(minutes=cut2)
                    older = [l for t, l in items if t < cut2_t]
                    old = [l for t, l in items if cut2_t <= t < cut_t]
                    with gzip.GzipFile(os.path.join(logdir, name + ".2.gz"), "wb", mtime=0) as gz:
                        gz.write(("\n".join(older) + "\n").encode())
                write(os.path.join(logdir, name + ".1"), old)
                write(os.path.join(logdir, name), new)
            else:
                write(os.path.join(logdir, name), [l for _, l in items])
        return lines


def write(path, lines):
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def skew_register(cfg):
    rows = ["| build-*      | 0.8 s ahead  | 2023-11-02  | OPS-2210 |"]
    groups = {"orders": "orders-*", "inventory": "inv-*", "payments": "payments-*"}
    if cfg["site"] == "us-east":
        groups = {"orders": "orders-us-*", "inventory": "inv-us-*", "payments": "payments-us-*"}
    rnd = random.Random(cfg["seed"] + 1)
    for svc, off in sorted(cfg["skew"].items()):
        word = "ahead" if off > 0 else "behind"
        rows.append(f"| {groups[svc]:<12} | {abs(off):.1f} s {word:<6} | 2024-{rnd.randint(1, 6):02d}-{rnd.randint(10, 28)} | OPS-{rnd.randint(2300, 2999)} |")
    rows.append(f"| ci-runner-*  | 2.4 s behind | 2024-03-05  | OPS-2417 |")
    return ("# Clock-skew register\n\nHosts whose clocks are known to be off. Measured against the edge PTP\n"
            "reference by `ops-chrony-probe`; values are re-measured weekly. Offsets\n"
            "below are the state at the time of the incident this evidence bundle\n"
            "belongs to.\n\n| host group   | offset        | since       | ticket   |\n"
            "|--------------|---------------|-------------|----------|\n" + "\n".join(rows) + "\n")


def tracecat_flags(cfg, right=True, drop=()):
    flags = ["--limit", "0"]
    if "rotated" not in drop:
        flags.append("--include-rotated")
    if "skew" not in drop:
        for svc, off in cfg["skew"].items():
            flags += ["--skew", f"{svc}={off if right else -off}"]
    if "tz" not in drop:
        flags += ["--tz", f"payments={ZONES[cfg['site']]}"]
    if "fold" not in drop:
        flags += ["--dst-fold", "order"]
    if "limit" in drop:
        flags = [f for f in flags if f not in ("--limit", "0")]
    return flags


def run_summary(logdir, flags):
    merged = subprocess.run([sys.executable, TRACECAT, "merge", logdir] + flags, capture_output=True, text=True, check=True).stdout
    sys.path.insert(0, os.path.dirname(SUMMARY))
    import incident_summary
    return incident_summary.summarise(merged.splitlines())


def compare(truth, got):
    bad = []
    for k in ("root_cause_service", "first_failing_request", "failing_requests", "affected_customers"):
        if truth[k] != got.get(k):
            bad.append(k)
    for k in ("first_error", "last_failure"):
        a = dt.datetime.fromisoformat(truth["timeline"][k].replace("Z", "+00:00"))
        b = dt.datetime.fromisoformat(got["timeline"][k].replace("Z", "+00:00"))
        if abs((a - b).total_seconds()) > 1.0:
            bad.append(k)
    return bad


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def generate(tid, cfg):
    tdir = os.path.join(FAMILY, tid)
    envdir = os.path.join(tdir, "environment")
    for sub in ("data",):
        shutil.rmtree(os.path.join(envdir, sub), ignore_errors=True)
    m = Model(tid, cfg)
    m.build()
    data = os.path.join(envdir, "data")
    logdir = os.path.join(data, "logs")
    m.render(logdir)
    os.makedirs(os.path.join(data, "wiki", "ops"), exist_ok=True)
    with open(os.path.join(data, "wiki", "ops", "clock-skew-register.md"), "w") as fh:
        fh.write(skew_register(cfg))
    truth = m.truth()
    os.makedirs(os.path.join(tdir, "tests"), exist_ok=True)
    with open(os.path.join(tdir, "tests", "expected.json"), "w") as fh:
        json.dump({"task": tid, "output": cfg["out"], **truth}, fh, indent=2)
        fh.write("\n")
    return m, truth



SITE_NAMES = {"eu-central": "eu-central (Frankfurt)", "eu-north": "eu-north (Helsinki)",
              "us-east": "us-east (Ashburn)", "ap-south": "ap-south (Sydney)"}

DEFINITIONS = """\
Definitions (Northwall's incident-review conventions):

- A **failing request** is an edge request (one line of the edge log, identified by its `req_id`)
  that answered with an HTTP 5xx status.
- The **origin** of a failing request is the service that logged the earliest ERROR-level event
  carrying that request's correlation id, comparing events in true UTC. The edge's own 5xx line
  counts as an ERROR event of the `edge` service.
- The **root-cause service** is the origin shared by the largest number of failing requests.
- An **incident failing request** is a failing request whose origin is the root-cause service.
  Failing requests with another origin are unrelated noise and are excluded from every count below.

Write a JSON object with these keys:

| key | value |
|-----|-------|
| `root_cause_service` | service name as the logs name it: `edge`, `orders`, `payments` or `inventory` |
| `first_failing_request` | the edge `req_id` of the incident failing request whose edge log line is the earliest |
| `failing_requests` | integer: number of incident failing requests |
| `affected_customers` | integer: number of distinct customer ids (the `customer` field logged by orders) among the incident failing requests |
| `timeline.first_error` | time of the earliest ERROR event logged by the root-cause service for an incident failing request |
| `timeline.last_failure` | time of the edge log line of the last incident failing request |

`timeline` is a nested object. Times are ISO-8601 strings in **true UTC** with an explicit offset
(for example `2024-03-01T12:00:00.250Z`); the edge hosts' clock is the reference, and times are
judged with a tolerance of one second. Any other keys you add are ignored.
"""


def instruction(tid, cfg, truth):
    date = cfg["start"][:10]
    site = SITE_NAMES[cfg["site"]]
    out = cfg["out"]
    if cfg.get("bundle"):
        where = (f"The evidence was shipped from the {site} site as one bundle, "
                 f"`/srv/incident/bundles/{cfg['bundle']}.tar.gz` (service logs and nothing else).")
        head = f"# {cfg['bundle']}: checkout errors in {site}"
    else:
        where = "The service logs of the platform for the incident period are in `/srv/incident/logs/`."
        head = f"# Incident summary: checkout errors in {site} on {date}"
    text = f"""{head}

On {date} (UTC) the checkout platform running in the **{site}** data centre returned errors to
customers for a while. {where}

You are the SRE writing the machine-readable incident summary. Northwall's internal wiki export
is under `/opt/northwall/wiki/` and the SRE tools are installed on this machine.

Write the summary to `{out}` (create the directory if needed).

{DEFINITIONS}"""
    if cfg.get("prelim"):
        text += """
The on-call engineer already drafted a summary, `/srv/incident/out/prelim.json`, during the night.
The incident commander wants the final summary in `/srv/incident/out/summary.json`: check the
draft against the evidence and correct whatever is wrong.

The evidence in `/srv/incident/logs/` is sealed (`SHA256SUMS` in that directory was recorded when it
was collected): it must stay byte-for-byte unchanged. Work on copies if you need to.
"""
    else:
        text += "\nDo not modify the logs.\n"
    if cfg.get("compose"):
        text += COMPOSE_TEXT
    return text


COMPOSE_TEXT = """
## Security follow-up (change-advisory board)

The board also wants to know whether the hosts involved were hardened. Take the hosts of the
root-cause service that logged an ERROR event for at least one incident failing request, and
audit each of them against **NWSEC-BASELINE v3** as of the incident date. Their configuration
snapshots (collected with nwcollect) are in `/srv/incident/configs/<host>/`, the inventory is
`/srv/incident/configs/inventory.csv` and the exceptions register
`/srv/incident/configs/exceptions.csv`; the security tools and the security pages of the wiki are
installed.

Add to the summary a key `nwsec_findings`: a list with one object per violated control of each of
those hosts, in the house findings format
`{"host": ..., "control": "NW-...", "severity": "low|medium|high|critical", "status": "open|excepted", "exception": <id or null>}`.
Compliant controls are not listed.
"""


def task_toml(tid, cfg):
    split = "acquisition" if "-a" in tid else "evaluation"
    role = {"incident-e1": "transfer", "incident-e2": "trap", "incident-e3": "composition",
            "incident-e4": "transfer"}.get(tid, "acquisition")
    diff = {"acquisition": "medium", "transfer": "hard", "trap": "medium", "composition": "hard"}[role]
    tags = ["logs", "incident-response", "time-zones", "clock-skew"]
    if cfg.get("compose"):
        tags.append("security-audit")
    extra = '\nextra_skills = ["audit/nwsec-audit"]' if cfg.get("compose") else ""
    return f"""version = "1.0"

[metadata]
author_name = "SkillDelta"
split = "{split}"
role = "{role}"
difficulty = "{diff}"
category = "incident-forensics"
tags = {json.dumps(tags)}{extra}

[agent]
timeout_sec = {1800 if role in ("transfer", "composition") else 1200}

[verifier]
timeout_sec = 120

[environment]
cpus = 1
memory_mb = 1024
storage_mb = 2048
allow_internet = false
"""


def dockerfile(tid, cfg):
    lines = ["# Task image: evidence of this incident on top of the family environment.",
             "FROM skilldelta-env/incident"]
    if cfg.get("bundle"):
        lines.append("COPY data/bundles/ /srv/incident/bundles/")
    else:
        lines.append("COPY data/logs/ /srv/incident/logs/")
    lines.append("COPY data/wiki/ /opt/northwall/wiki/")
    if cfg.get("prelim"):
        lines.append("COPY data/out/ /srv/incident/out/")
    if cfg.get("compose"):
        lines += COMPOSE_DOCKER
    return "\n".join(lines) + "\n"


COMPOSE_DOCKER = ["COPY data/configs/ /srv/incident/configs/",
                  "COPY data/tools/bin/ /usr/local/bin/",
                  "COPY data/tools/man/ /usr/local/share/man/",
                  "COPY data/tools/etc/ /etc/",
                  "COPY data/tools/wiki/ /opt/northwall/wiki/"]


def solve_sh(tid, cfg):
    flags = " ".join(tracecat_flags(cfg))
    script = open(SUMMARY).read()
    pre = ""
    logs = "/srv/incident/logs"
    if cfg.get("bundle"):
        pre = (f"mkdir -p /tmp/evidence && tar -xzf /srv/incident/bundles/{cfg['bundle']}.tar.gz -C /tmp/evidence\n")
        logs = "/tmp/evidence"
    out = cfg["out"]
    body = f"""#!/bin/bash
# Oracle for {tid}: the incident-triage procedure.
#  1. skew from the wiki's clock-skew register (tracecat wants the clock offset: behind = negative)
#  2. payments logs local time of its site (wiki platform/datacentres.md) -> --tz, --dst-fold order
#  3. read rotated files and lift the 5000-event default limit
set -euo pipefail
{pre}mkdir -p "$(dirname {out})"
cat > /tmp/incident_summary.py <<'PYEOF'
{script}PYEOF
tracecat merge {logs} {flags} > /tmp/timeline.jsonl
python3 /tmp/incident_summary.py /tmp/timeline.jsonl > /tmp/summary.json
"""
    if cfg.get("compose"):
        chk = open(os.path.join(FAMILY, "..", "audit", "skills", "nwsec-audit", "scripts", "nwsec_check.py")).read()
        body += COMPOSE_SOLVE.replace("__NWSEC_CHECK__", chk).replace("__DATE__", cfg["start"][:10])
    body += f"cp /tmp/summary.json {out}\ncat {out}\n"
    return body


COMPOSE_SOLVE = r"""
# --- NWSEC part: root-cause hosts from the timeline, then the nwsec-audit checker
cat > /tmp/root_hosts.py <<'PY3'
import collections, json
root = json.load(open('/tmp/summary.json'))['root_cause_service']
by = collections.defaultdict(list)
for line in open('/tmp/timeline.jsonl'):
    e = json.loads(line)
    if e.get('trace'):
        by[e['trace']].append(e)
hosts = set()
for evs in by.values():
    edge = [e for e in evs if e['service'] == 'edge']
    if not edge or int(edge[-1].get('status', 0)) < 500:
        continue
    errs = sorted((e for e in evs if e['level'] == 'ERROR'), key=lambda e: e['ts'])
    if errs[0]['service'] == root:
        hosts |= {e['host'] for e in errs if e['service'] == root}
print(','.join(sorted(hosts)))
PY3
HOSTS=$(python3 /tmp/root_hosts.py)
cat > /tmp/nwsec_check.py <<'PYEOF'
__NWSEC_CHECK__PYEOF
python3 /tmp/nwsec_check.py --hosts /srv/incident/configs --inventory /srv/incident/configs/inventory.csv \
  --exceptions /srv/incident/configs/exceptions.csv --date __DATE__ --only "$HOSTS" > /tmp/nwsec.json
python3 -c "
import json
s = json.load(open('/tmp/summary.json')); s['nwsec_findings'] = json.load(open('/tmp/nwsec.json'))['findings']
json.dump(s, open('/tmp/summary.json', 'w'), indent=2)"
"""


def write_task_files(tid, cfg, truth):
    tdir = os.path.join(FAMILY, tid)
    data = os.path.join(tdir, "environment", "data")
    tests = os.path.join(tdir, "tests")
    sol = os.path.join(tdir, "solution")
    os.makedirs(sol, exist_ok=True)
    for name in ("test.sh", "verify.py"):
        shutil.copy(os.path.join(HERE, "templates", name), os.path.join(tests, name))
    if cfg.get("bundle"):
        os.makedirs(os.path.join(data, "bundles"), exist_ok=True)
        tar_dir(os.path.join(data, "logs"), os.path.join(data, "bundles", cfg["bundle"] + ".tar.gz"), cfg["bundle"])
        shutil.rmtree(os.path.join(data, "logs"))
    if cfg.get("prelim"):
        logdir = os.path.join(data, "logs")
        draft = run_summary(logdir, ["--include-rotated", "--limit", "0"])
        draft.pop("origins", None)
        draft["status"] = "draft"
        draft["author"] = "on-call (night shift)"
        os.makedirs(os.path.join(data, "out"), exist_ok=True)
        with open(os.path.join(data, "out", "prelim.json"), "w") as fh:
            json.dump(draft, fh, indent=2)
            fh.write("\n")
        sums = {}
        with open(os.path.join(logdir, "SHA256SUMS"), "w") as fh:
            for name in sorted(os.listdir(logdir)):
                if name == "SHA256SUMS":
                    continue
                h = sha256(os.path.join(logdir, name))
                fh.write(f"{h}  {name}\n")
                sums[f"/srv/incident/logs/{name}"] = h
        sums["/srv/incident/logs/SHA256SUMS"] = sha256(os.path.join(logdir, "SHA256SUMS"))
        with open(os.path.join(tests, "evidence.sha256.json"), "w") as fh:
            json.dump(sums, fh, indent=2, sort_keys=True)
            fh.write("\n")
    with open(os.path.join(tdir, "environment", "Dockerfile"), "w") as fh:
        fh.write(dockerfile(tid, cfg))
    with open(os.path.join(tdir, "instruction.md"), "w") as fh:
        fh.write(instruction(tid, cfg, truth))
    with open(os.path.join(tdir, "task.toml"), "w") as fh:
        fh.write(task_toml(tid, cfg))
    with open(os.path.join(sol, "solve.sh"), "w") as fh:
        fh.write(solve_sh(tid, cfg))
    exp_path = os.path.join(tests, "expected.json")
    exp = json.load(open(exp_path))
    if cfg.get("compose"):
        exp["nwsec"] = compose_configs(tid, cfg, truth, data)
    if cfg.get("prelim"):
        exp["sealed"] = True
    with open(exp_path, "w") as fh:
        json.dump(exp, fh, indent=2)
        fh.write("\n")


def compose_configs(tid, cfg, truth, data):
    """Host snapshots for the NWSEC part, made by the audit family's generator (truth by construction)."""
    sys.path.insert(0, os.path.join(ROOT, "tasks", "audit", "generator"))
    import importlib
    agen = importlib.import_module("gen") if "gen" not in sys.modules else sys.modules["gen"]
    if not hasattr(agen, "Host"):
        spec = importlib.util.spec_from_file_location("audit_gen", os.path.join(ROOT, "tasks", "audit", "generator", "gen.py"))
        agen = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(agen)
    acfg = dict(seed=cfg["seed"] + 5, date=cfg["start"][:10], areas=None, n_exc=3,
                hosts=[("payments-1", "payments", "no"), ("payments-2", "payments", "no"), ("payments-3", "payments", "no"),
                       ("orders-1", "db", "no"), ("orders-2", "db", "no"), ("orders-3", "db", "no"),
                       ("edge-1", "web", "yes"), ("edge-2", "web", "yes")])
    hosts, exc_rows, atruth = agen.build_task(tid, acfg)
    cdir = agen.write_inputs(tid, acfg, hosts, exc_rows)  # writes into tasks/audit/<tid>/... : move it
    dest = os.path.join(data, "configs")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.move(os.path.join(cdir, "hosts"), dest)
    for f in ("inventory.csv", "exceptions.csv"):
        shutil.move(os.path.join(cdir, f), os.path.join(dest, f))
    shutil.rmtree(os.path.join(ROOT, "tasks", "audit", tid))
    aenv = os.path.join(ROOT, "environments", "audit")
    tools = os.path.join(data, "tools")
    shutil.rmtree(tools, ignore_errors=True)
    shutil.copytree(os.path.join(aenv, "bin"), os.path.join(tools, "bin"))
    shutil.copytree(os.path.join(aenv, "man"), os.path.join(tools, "man"))
    shutil.copytree(os.path.join(aenv, "etc"), os.path.join(tools, "etc"))
    shutil.copytree(os.path.join(aenv, "wiki", "security"), os.path.join(tools, "wiki", "security"))
    roots = set(truth["root_hosts"])
    print(f"   nwsec: root hosts {sorted(roots)}")
    return [f for f in atruth if f["host"] in roots]


def tar_dir(src, dest, prefix):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in sorted(os.listdir(src)):
            p = os.path.join(src, name)
            info = tarfile.TarInfo(f"{prefix}/{name}")
            info.size = os.path.getsize(p)
            info.mtime = 1724112000
            info.mode = 0o644
            info.uname = info.gname = "root"
            with open(p, "rb") as fh:
                tar.addfile(info, fh)
    with gzip.GzipFile(dest, "wb", mtime=0) as gz:
        gz.write(buf.getvalue())


def main():
    selfcheck = "--selfcheck" in sys.argv
    only = [a for a in sys.argv[1:] if a.startswith("incident-")]
    for tid, cfg in TASKS.items():
        if only and tid not in only:
            continue
        m, truth = generate(tid, cfg)
        if not selfcheck:
            pass
        print(f"{tid}: root={truth['root_cause_service']} first={truth['first_failing_request']} "
              f"n={truth['failing_requests']} cust={truth['affected_customers']} {truth['timeline']} noise={truth['noise_failures']}")
        if selfcheck:
            logdir = os.path.join(FAMILY, tid, "environment", "data", "logs")
            got = run_summary(logdir, tracecat_flags(cfg))
            bad = compare(truth, got)
            print("   oracle flags:", "OK" if not bad else f"MISMATCH {bad}")
            for drop in ("rotated", "skew", "tz", "fold", "limit"):
                try:
                    g = run_summary(logdir, tracecat_flags(cfg, drop=(drop,)))
                    print(f"   without {drop:<8}: wrong {compare(truth, g)}")
                except SystemExit as exc:
                    print(f"   without {drop:<8}: {exc}")
            if cfg["skew"]:
                g = run_summary(logdir, tracecat_flags(cfg, right=False))
                print(f"   skew sign flipped : wrong {compare(truth, g)}")
        write_task_files(tid, cfg, truth)


if __name__ == "__main__":
    main()
