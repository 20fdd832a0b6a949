#!/bin/bash
# Oracle for incident-e3: the incident-triage procedure.
#  1. skew from the wiki's clock-skew register (tracecat wants the clock offset: behind = negative)
#  2. payments logs local time of its site (wiki platform/datacentres.md) -> --tz, --dst-fold order
#  3. read rotated files and lift the 5000-event default limit
set -euo pipefail
mkdir -p "$(dirname /srv/incident/out/summary.json)"
cat > /tmp/incident_summary.py <<'PYEOF'
#!/usr/bin/env python3
"""Summarise an incident from a tracecat timeline (JSON lines on stdin or a file).

    tracecat merge LOGDIR --include-rotated --limit 0 --skew ... --tz ... --dst-fold order \
        | incident_summary.py > summary.json

Implements the SRE incident-review vocabulary (wiki sre/incident-review.md):
failing request = edge 5xx; origin = service of the earliest ERROR event of
that request's trace; root cause = most common origin; incident failing
requests = failing requests whose origin is the root cause.
"""
import collections
import json
import sys


def summarise(lines):
    by_trace = collections.defaultdict(list)
    for line in lines:
        line = line.strip()
        if not line:
            continue
        ev = json.loads(line)
        if ev.get("trace"):
            by_trace[ev["trace"]].append(ev)
    failing = {}
    for tid, evs in by_trace.items():
        edge = [e for e in evs if e["service"] == "edge"]
        if not edge or int(edge[-1].get("status", 0)) < 500:
            continue
        errors = sorted((e for e in evs if e["level"] == "ERROR"), key=lambda e: e["ts"])
        failing[tid] = {"edge_ts": edge[-1]["ts"], "origin": errors[0]["service"],
                        "customers": {e["customer"] for e in evs if e.get("customer")},
                        "root_errors": errors}
    if not failing:
        raise SystemExit("no failing requests in the timeline")
    origins = collections.Counter(f["origin"] for f in failing.values())
    root = origins.most_common(1)[0][0]
    inc = {t: f for t, f in failing.items() if f["origin"] == root}
    first = min(inc, key=lambda t: inc[t]["edge_ts"])
    first_error = min(e["ts"] for f in inc.values() for e in f["root_errors"] if e["service"] == root)
    customers = set().union(*(f["customers"] for f in inc.values()))
    return {
        "root_cause_service": root,
        "first_failing_request": first,
        "failing_requests": len(inc),
        "affected_customers": len(customers),
        "timeline": {
            "first_error": first_error,
            "last_failure": max(f["edge_ts"] for f in inc.values()),
        },
        "origins": dict(origins),
    }


if __name__ == "__main__":
    src = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    print(json.dumps(summarise(src), indent=2))
PYEOF
tracecat merge /srv/incident/logs --limit 0 --include-rotated --skew orders=-18.9 --tz payments=Europe/Berlin --dst-fold order > /tmp/timeline.jsonl
python3 /tmp/incident_summary.py /tmp/timeline.jsonl > /tmp/summary.json

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
#!/usr/bin/env python3
"""Full NWSEC-BASELINE v3 evaluation of collected host snapshots.

Written by security engineering to cover what nwaudit 1.x misses (include
files, sshd first-match, cron and systemd controls, exception expiry,
internet-facing escalation).  Output is the house findings schema.

    nwsec_check.py --hosts /srv/audit/hosts --inventory inventory.csv \
        --exceptions exceptions.csv --date 2024-11-04 [--only web-01,db-02] > findings.json

A host snapshot is the host's /etc tree under <hosts>/<host>/etc plus the
collector's stat table <hosts>/<host>/.nwcollect/stat.tsv (path owner group mode).
"""
import argparse
import csv
import datetime as dt
import glob
import json
import os
import re
import sys

BASE = {
    "NW-SSH-01": "high", "NW-SSH-02": "high", "NW-SSH-03": "medium", "NW-SSH-04": "low",
    "NW-SUDO-01": "high", "NW-SUDO-02": "medium",
    "NW-WEB-01": "low", "NW-WEB-02": "high", "NW-WEB-03": "medium",
    "NW-KRN-01": "medium", "NW-KRN-02": "high", "NW-KRN-03": "medium",
    "NW-CRN-01": "medium", "NW-CRN-02": "high",
    "NW-SVC-01": "medium",
}
LADDER = ["low", "medium", "high", "critical"]


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return None


def host_path(root, abspath):
    return os.path.join(root, abspath.lstrip("/"))


# ---------------------------------------------------------------- sshd (first value wins)
def sshd_effective(root):
    seen = {}

    def walk(path, depth=0):
        text = read(path)
        if text is None or depth > 8:
            return False
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split(None, 1)
            key = parts[0].lower()
            val = parts[1].strip() if len(parts) > 1 else ""
            if key == "match":
                return True  # settings after the first Match are conditional
            if key == "include":
                for pat in val.split():
                    if not pat.startswith("/"):
                        pat = "/etc/ssh/" + pat
                    for inc in sorted(glob.glob(host_path(root, pat))):
                        if walk(inc, depth + 1):
                            return True
                continue
            seen.setdefault(key, val)
        return False

    walk(host_path(root, "/etc/ssh/sshd_config"))
    return seen


def check_ssh(root):
    if read(host_path(root, "/etc/ssh/sshd_config")) is None:
        return {}
    s = sshd_effective(root)
    out = {}
    prl = s.get("permitrootlogin", "prohibit-password").lower()
    out["NW-SSH-01"] = (prl != "no", f"PermitRootLogin {prl}")
    pa = s.get("passwordauthentication", "yes").lower()
    out["NW-SSH-02"] = (pa != "no", f"PasswordAuthentication {pa}")
    try:
        mat = int(s.get("maxauthtries", "6"))
    except ValueError:
        mat = 6
    out["NW-SSH-03"] = (mat > 4, f"MaxAuthTries {mat}")
    x11 = s.get("x11forwarding", "no").lower()
    out["NW-SSH-04"] = (x11 != "no", f"X11Forwarding {x11}")
    return out


# ---------------------------------------------------------------- sudoers
def sudoers_lines(root):
    lines = []

    def walk(path, depth=0):
        text = read(path)
        if text is None or depth > 8:
            return
        for raw in text.splitlines():
            s = raw.strip()
            m = re.match(r"^[@#]includedir\s+(\S+)", s)
            if m:
                d = host_path(root, m.group(1))
                for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                    # sudo skips names ending in '~' or containing a '.'
                    if name.endswith("~") or "." in name:
                        continue
                    walk(os.path.join(d, name), depth + 1)
                continue
            m = re.match(r"^[@#]include\s+(\S+)", s)
            if m:
                walk(host_path(root, m.group(1)), depth + 1)
                continue
            s = s.split("#", 1)[0].strip()
            if s:
                lines.append((os.path.relpath(path, root), s))

    walk(host_path(root, "/etc/sudoers"))
    return lines


def check_sudo(root):
    if read(host_path(root, "/etc/sudoers")) is None:
        return {}
    lines = sudoers_lines(root)
    nopw = [f"{p}: {l}" for p, l in lines
            if not l.startswith("Defaults") and re.search(r"NOPASSWD:\s*ALL\s*$", l)]
    pty = any(re.match(r"^Defaults\s+.*\buse_pty\b", l) and "!use_pty" not in l for _, l in lines)
    return {"NW-SUDO-01": (bool(nopw), "; ".join(nopw) or "no NOPASSWD: ALL rule"),
            "NW-SUDO-02": (not pty, "Defaults use_pty " + ("set" if pty else "missing"))}


# ---------------------------------------------------------------- nginx
def nginx_text(root):
    out = []

    def walk(path, depth=0):
        text = read(path)
        if text is None or depth > 8:
            return
        for raw in text.splitlines():
            s = raw.split("#", 1)[0].strip()
            m = re.match(r"^include\s+([^;]+);", s)
            if m:
                pat = m.group(1).strip()
                if not pat.startswith("/"):
                    pat = "/etc/nginx/" + pat
                for inc in sorted(glob.glob(host_path(root, pat))):
                    walk(inc, depth + 1)
                continue
            if s:
                out.append(s)

    walk(host_path(root, "/etc/nginx/nginx.conf"))
    return out


def check_web(root):
    if read(host_path(root, "/etc/nginx/nginx.conf")) is None:
        return {}
    lines = nginx_text(root)
    tokens = [l for l in lines if l.startswith("server_tokens")]
    off = any(re.match(r"server_tokens\s+off\s*;", l) for l in tokens)
    on = any(not re.match(r"server_tokens\s+off\s*;", l) for l in tokens)
    protos = [l for l in lines if l.startswith("ssl_protocols")]
    weak = [l for l in protos if re.search(r"\b(SSLv3|TLSv1|TLSv1\.1)(?=[\s;])", l)]
    uses_ssl = any(re.match(r"listen\s+.*\bssl\b", l) for l in lines)
    auto = [l for l in lines if re.search(r"(^|[\s{;])autoindex\s+on\s*;", l)]
    return {"NW-WEB-01": (not off or on, "; ".join(tokens) or "server_tokens not set (default on)"),
            "NW-WEB-02": (bool(weak) or (uses_ssl and not protos), "; ".join(protos) or "ssl_protocols not set"),
            "NW-WEB-03": (bool(auto), "; ".join(auto) or "autoindex off")}


# ---------------------------------------------------------------- sysctl
def sysctl_effective(root):
    files = {}
    for p in glob.glob(host_path(root, "/etc/sysctl.d/*.conf")):
        files[os.path.basename(p)] = p
    main = host_path(root, "/etc/sysctl.conf")
    if os.path.exists(main):
        files.setdefault("99-sysctl.conf", main)
    vals = {}
    for name in sorted(files):
        for raw in (read(files[name]) or "").splitlines():
            s = raw.strip()
            if not s or s[0] in "#;" or "=" not in s:
                continue
            k, v = s.split("=", 1)
            vals[k.strip().lstrip("-").replace("/", ".")] = (v.strip(), name)
    return vals


def check_krn(root, role):
    if not os.path.exists(host_path(root, "/etc/sysctl.conf")) and not glob.glob(host_path(root, "/etc/sysctl.d/*.conf")):
        return {}  # sysctl not collected for this snapshot
    v = sysctl_effective(root)
    get = lambda k, d: v.get(k, (d, "default"))
    out = {}
    if role != "router":
        f = get("net.ipv4.ip_forward", "0")
        out["NW-KRN-01"] = (f[0] != "0", f"net.ipv4.ip_forward={f[0]} ({f[1]})")
    r = get("kernel.randomize_va_space", "2")
    out["NW-KRN-02"] = (r[0] != "2", f"kernel.randomize_va_space={r[0]} ({r[1]})")
    a = get("net.ipv4.conf.all.accept_redirects", "1")
    out["NW-KRN-03"] = (a[0] != "0", f"net.ipv4.conf.all.accept_redirects={a[0]} ({a[1]})")
    return out


# ---------------------------------------------------------------- cron
def stat_table(root):
    table = {}
    text = read(os.path.join(root, ".nwcollect", "stat.tsv")) or ""
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and not line.startswith("#"):
            table[parts[0]] = (parts[1], parts[2], int(parts[3], 8))
    return table


def check_cron(root):
    st = stat_table(root)
    files = sorted(glob.glob(host_path(root, "/etc/cron.d/*")))
    crontab = host_path(root, "/etc/crontab")
    bad_perm, bad_cmd = [], []
    for p in files:
        rel = "/" + os.path.relpath(p, root)
        owner, group, mode = st.get(rel, ("root", "root", 0o644))
        if owner != "root" or mode & 0o022:
            bad_perm.append(f"{rel} {owner}:{group} {mode:04o}")
    for p in files + ([crontab] if os.path.exists(crontab) else []):
        rel = "/" + os.path.relpath(p, root)
        for raw in (read(p) or "").splitlines():
            s = raw.strip()
            if not s or s.startswith("#") or re.match(r"^[A-Z_]+=", s):
                continue
            if re.search(r"(^|[\s'\"=])(/tmp|/var/tmp|/dev/shm)/", s):
                bad_cmd.append(f"{rel}: {s}")
    if not files and not os.path.exists(crontab):
        return {}
    return {"NW-CRN-01": (bool(bad_perm), "; ".join(bad_perm) or "ok"),
            "NW-CRN-02": (bool(bad_cmd), "; ".join(bad_cmd) or "ok")}


# ---------------------------------------------------------------- systemd
def unit_settings(path):
    vals = {}
    for p in [path] + sorted(glob.glob(path + ".d/*.conf")):
        section = None
        for raw in (read(p) or "").splitlines():
            s = raw.strip()
            if not s or s[0] in "#;":
                continue
            if s.startswith("["):
                section = s
                continue
            if section == "[Service]" and "=" in s:
                k, v = s.split("=", 1)
                vals[k.strip()] = v.strip()
    return vals


def check_svc(root):
    units = sorted(glob.glob(host_path(root, "/etc/systemd/system/*.service")))
    if not units:
        return {}
    bad = []
    for u in units:
        v = unit_settings(u)
        user = v.get("User", "root") or "root"
        if user in ("root", "0") and v.get("NoNewPrivileges", "no").lower() not in ("yes", "true", "1", "on"):
            bad.append(os.path.basename(u))
    return {"NW-SVC-01": (bool(bad), ", ".join(bad) or "ok")}


# ---------------------------------------------------------------- glue
def load_inventory(path):
    inv = {}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            inv[row["host"].strip()] = {k: (v or "").strip() for k, v in row.items()}
    return inv


def load_exceptions(path):
    if not path or not os.path.exists(path):
        return []
    with open(path, newline="") as fh:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)]


def evaluate(hosts_dir, inventory, exceptions, date, only=None):
    audit_date = dt.date.fromisoformat(date)
    findings = []
    for host in sorted(inventory):
        if only and host not in only:
            continue
        root = os.path.join(hosts_dir, host)
        if not os.path.isdir(root):
            continue
        info = inventory[host]
        res = {}
        for part in (check_ssh(root), check_sudo(root), check_web(root), check_krn(root, info.get("role")),
                     check_cron(root), check_svc(root)):
            res.update(part)
        exposed = info.get("internet_facing", "").lower() in ("yes", "true", "1")
        for control in sorted(res):
            bad, evidence = res[control]
            if not bad:
                continue
            sev = BASE[control]
            if exposed:
                sev = LADDER[min(LADDER.index(sev) + 1, 3)]
            exc = None
            for e in exceptions:
                if e["host"] == host and e["control"] == control and dt.date.fromisoformat(e["expires"]) >= audit_date:
                    exc = e["id"]
            findings.append({"host": host, "control": control, "severity": sev,
                             "status": "excepted" if exc else "open", "exception": exc, "evidence": evidence})
    return findings


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", required=True)
    ap.add_argument("--inventory", required=True)
    ap.add_argument("--exceptions")
    ap.add_argument("--date", required=True, help="audit date YYYY-MM-DD")
    ap.add_argument("--only", help="comma-separated hosts")
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else None
    findings = evaluate(a.hosts, load_inventory(a.inventory), load_exceptions(a.exceptions), a.date, only)
    json.dump({"baseline": "NWSEC-BASELINE v3", "audit_date": a.date, "findings": findings}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
PYEOF
python3 /tmp/nwsec_check.py --hosts /srv/incident/configs --inventory /srv/incident/configs/inventory.csv \
  --exceptions /srv/incident/configs/exceptions.csv --date 2024-09-03 --only "$HOSTS" > /tmp/nwsec.json
python3 -c "
import json
s = json.load(open('/tmp/summary.json')); s['nwsec_findings'] = json.load(open('/tmp/nwsec.json'))['findings']
json.dump(s, open('/tmp/summary.json', 'w'), indent=2)"
cp /tmp/summary.json /srv/incident/out/summary.json
cat /srv/incident/out/summary.json
