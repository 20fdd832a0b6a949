#!/usr/bin/env python3
"""Seeded generator for the `audit` family (NWSEC-BASELINE v3 audits).

For every task it writes host snapshots (an /etc tree per host plus the
collector's stat table), the inventory and the exceptions register into
tasks/audit/<id>/environment/data/, and the expected findings into
tests/expected.json.

Ground truth is *by construction*: each control of each host is given a
scenario (where the setting lives, which value, shadowed or not) whose
verdict is known when it is written.  The reference evaluator of the skill
(skills/nwsec-audit/scripts/nwsec_check.py) is then run on the written
files and must agree; nwaudit's own (partial) answer is printed to show
what the tool misses.

    python3 gen.py [--selfcheck] [audit-a1 ...]
"""
import csv
import datetime as dt
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(FAMILY))
NWAUDIT = os.path.join(ROOT, "environments", "audit", "bin", "nwaudit")
CHECK = os.path.join(FAMILY, "skills", "nwsec-audit", "scripts", "nwsec_check.py")
sys.path.insert(0, os.path.dirname(CHECK))
import nwsec_check  # noqa: E402

BASE = nwsec_check.BASE
LADDER = nwsec_check.LADDER

# role -> which config areas the host has
ROLE_AREAS = {"web": {"ssh", "sudo", "web", "krn", "cron", "svc"}, "db": {"ssh", "sudo", "krn", "cron", "svc"},
              "bastion": {"ssh", "sudo", "krn"}, "router": {"ssh", "sudo", "krn"},
              "batch": {"ssh", "sudo", "krn", "cron", "svc"}, "payments": {"ssh", "sudo", "krn", "svc"}}

TASKS = {
    "audit-a1": dict(seed=11, date="2024-11-04", areas={"ssh", "sudo"},
                     hosts=[("web-01", "web", "yes"), ("db-01", "db", "no"), ("bastion-01", "bastion", "yes")],
                     n_exc=2),
    "audit-a2": dict(seed=22, date="2024-11-18", areas={"web", "krn"},
                     hosts=[("web-01", "web", "yes"), ("web-02", "web", "no"), ("edge-rtr-01", "router", "yes"),
                            ("db-02", "db", "no")], n_exc=2),
    "audit-a3": dict(seed=33, date="2024-12-02", areas={"cron", "svc"},
                     hosts=[("batch-01", "batch", "no"), ("batch-02", "batch", "no"), ("web-03", "web", "yes")],
                     n_exc=2),
    "audit-a4": dict(seed=44, date="2025-01-13", areas=None,
                     hosts=[("web-01", "web", "yes"), ("web-02", "web", "yes"), ("db-01", "db", "no"),
                            ("batch-01", "batch", "no"), ("rtr-01", "router", "yes")], n_exc=4),
    "audit-e1": dict(seed=55, date="2025-02-17", areas=None, tarballs=True,
                     hosts=[("lon-web-01", "web", "yes"), ("lon-rtr-01", "router", "yes"), ("lon-db-01", "db", "no"),
                            ("lon-bastion-01", "bastion", "yes")], n_exc=3),
    "audit-e2": dict(seed=66, date="2025-03-03", areas=None, remediate="pay-web-01",
                     hosts=[("pay-web-01", "web", "yes")], n_exc=1),
    "audit-e3": dict(seed=77, date="2025-03-10", areas=None, cmdb=True,
                     hosts=[("fra-web-04", "web", "yes"), ("fra-web-05", "web", "no"), ("fra-batch-02", "batch", "no"),
                            ("fra-bastion-02", "bastion", "yes"), ("fra-rtr-02", "router", "no")], n_exc=3),
    "audit-e4": dict(seed=88, date="2025-03-24", areas=None,
                     hosts=[("payments-1", "payments", "no"), ("payments-2", "payments", "no"),
                            ("payments-3", "payments", "no"), ("orders-1", "db", "no"), ("orders-2", "db", "no"),
                            ("web-01", "web", "yes")], n_exc=3, compose=True),
}


class Host:
    def __init__(self, name, role, exposed, rnd):
        self.name, self.role, self.exposed, self.rnd = name, role, exposed, rnd
        self.files = {}   # abs path -> text
        self.stat = {}    # abs path -> (owner, group, mode)
        self.verdict = {}  # control -> violated?

    def add(self, path, text, owner="root", group="root", mode=0o644):
        self.files[path] = self.files.get(path, "") + text
        self.stat[path] = (owner, group, mode)

    # ---------------- sshd
    def ssh(self):
        r = self.rnd
        spec = {"NW-SSH-01": ("PermitRootLogin", "no", ["yes", "prohibit-password"], True),
                "NW-SSH-02": ("PasswordAuthentication", "no", ["yes"], True),
                "NW-SSH-03": ("MaxAuthTries", "3", ["6", "10"], True),
                "NW-SSH-04": ("X11Forwarding", "no", ["yes"], False)}
        main = ["# Northwall sshd_config (managed by config-mgmt)", "Include /etc/ssh/sshd_config.d/*.conf", "",
                "Port 22", "KbdInteractiveAuthentication no", "UsePAM yes"]
        drop = {"50-cloud-init.conf": [], "60-hardening.conf": []}
        tail = []
        for control, (key, good, bads, unset_bad) in spec.items():
            bad = r.choice(bads)
            sc = r.choice(["main_good", "main_bad", "drop_bad", "drop_good", "unset", "dup", "match_only"])
            if sc == "main_good":
                main.append(f"{key} {good}"); v = False
            elif sc == "main_bad":
                main.append(f"{key} {bad}"); v = True
            elif sc == "drop_bad":
                main.append(f"{key} {good}"); drop[r.choice(list(drop))].append(f"{key} {bad}"); v = True
            elif sc == "drop_good":
                main.append(f"{key} {bad}"); drop["60-hardening.conf"].append(f"{key} {good}"); v = False
            elif sc == "unset":
                v = unset_bad
            elif sc == "dup":  # first value wins; nwaudit reads the last one
                first, second = (good, bad) if r.random() < 0.5 else (bad, good)
                main.append(f"{key} {first}"); tail.append(f"{key} {second}"); v = first != good
            else:  # only inside a Match block: the global value is the default
                tail.append(f"__MATCH__{key} {good}"); v = unset_bad
            self.verdict[control] = v
        main += ["Subsystem sftp /usr/lib/openssh/sftp-server"] + [t for t in tail if not t.startswith("__MATCH__")]
        matches = [t[len("__MATCH__"):] for t in tail if t.startswith("__MATCH__")]
        if matches or r.random() < 0.3:
            main += ["", "Match Group sftp-only", "    ChrootDirectory /srv/sftp", "    ForceCommand internal-sftp"]
            main += ["    " + m for m in matches]
        self.add("/etc/ssh/sshd_config", "\n".join(main) + "\n")
        for name, lines in drop.items():
            if lines or r.random() < 0.5:
                self.add(f"/etc/ssh/sshd_config.d/{name}", "# drop-in\n" + "\n".join(lines) + "\n")

    # ---------------- sudoers
    def sudo(self):
        r = self.rnd
        main = ["# /etc/sudoers - managed", "Defaults env_reset", "Defaults mail_badpass",
                'Defaults secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"']
        pty = r.choice(["main", "dropin", "missing", "negated", "skipped_file"])
        if pty == "main":
            main.append("Defaults use_pty")
        main += ["", "root ALL=(ALL:ALL) ALL", "%sudo ALL=(ALL:ALL) ALL", "", "@includedir /etc/sudoers.d"]
        self.add("/etc/sudoers", "\n".join(main) + "\n", mode=0o440)
        self.add("/etc/sudoers.d/README", "# Files in this directory whose names contain a '.' are ignored by sudo.\n", mode=0o440)
        if pty == "dropin":
            self.add("/etc/sudoers.d/00-defaults", "Defaults use_pty\n", mode=0o440)
        elif pty == "negated":
            self.add("/etc/sudoers.d/00-defaults", "Defaults !use_pty\n", mode=0o440)
        elif pty == "skipped_file":
            self.add("/etc/sudoers.d/00-defaults.conf", "Defaults use_pty\n", mode=0o440)
        self.verdict["NW-SUDO-02"] = pty not in ("main", "dropin")
        sc = r.choice(["none", "active", "skipped", "commands_only", "active_group"])
        if sc == "active":
            self.add("/etc/sudoers.d/50-deploy", "deploy ALL=(ALL) NOPASSWD: ALL\n", mode=0o440)
        elif sc == "active_group":
            self.add("/etc/sudoers.d/40-oncall", "%oncall ALL=(root) NOPASSWD: ALL\n", mode=0o440)
        elif sc == "skipped":
            self.add("/etc/sudoers.d/50-deploy.disabled", "deploy ALL=(ALL) NOPASSWD: ALL\n", mode=0o440)
        elif sc == "commands_only":
            self.add("/etc/sudoers.d/30-backup", "backup ALL=(root) NOPASSWD: /usr/bin/rsync, /usr/bin/systemctl restart backup-agent\n", mode=0o440)
        self.verdict["NW-SUDO-01"] = sc in ("active", "active_group")

    # ---------------- nginx
    def web(self):
        r = self.rnd
        tok = r.choice(["off_main", "unset", "off_main_on_site", "off_site_only"])
        main = ["user www-data;", "worker_processes auto;", "events { worker_connections 768; }", "http {",
                "    sendfile on;", "    include /etc/nginx/mime.types;"]
        if tok in ("off_main", "off_main_on_site"):
            main.append("    server_tokens off;")
        proto = r.choice(["good_main", "weak_main", "weak_site", "unset", "good_site"])
        if proto == "good_main":
            main.append("    ssl_protocols TLSv1.2 TLSv1.3;")
        elif proto == "weak_main":
            main.append("    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;")
        main += ["    include /etc/nginx/conf.d/*.conf;", "}"]
        self.add("/etc/nginx/nginx.conf", "\n".join(main) + "\n")
        self.add("/etc/nginx/mime.types", "types { text/html html; application/json json; }\n")
        site = ["server {", "    listen 443 ssl;", f"    server_name {self.name}.northwall.example;",
                "    ssl_certificate /etc/ssl/nw/site.pem;", "    ssl_certificate_key /etc/ssl/nw/site.key;"]
        if tok == "off_main_on_site":
            site.append("    server_tokens on;")
        if tok == "off_site_only":
            site.append("    server_tokens off;")
        if proto == "weak_site":
            site.append("    ssl_protocols TLSv1.1 TLSv1.2;")
        if proto == "good_site":
            site.append("    ssl_protocols TLSv1.2 TLSv1.3;")
        auto = r.choice(["none", "site", "commented"])
        site += ["    location / { proxy_pass http://127.0.0.1:8080; }"]
        if auto == "site":
            site.append("    location /static/ { root /srv/www; autoindex on; }")
        elif auto == "commented":
            site.append("    location /static/ { root /srv/www; } # autoindex on; removed SEC-612")
        site.append("}")
        self.add("/etc/nginx/conf.d/site.conf", "\n".join(site) + "\n")
        # off_site_only: server_tokens off inside the server block counts as "set" and nothing turns it on
        self.verdict["NW-WEB-01"] = tok in ("unset", "off_main_on_site")
        self.verdict["NW-WEB-02"] = proto in ("weak_main", "weak_site", "unset")
        self.verdict["NW-WEB-03"] = auto == "site"

    # ---------------- sysctl
    def krn(self):
        r = self.rnd
        files = {"10-network-security.conf": [], "30-tuning.conf": [], "99-zz-local.conf": []}
        main = ["# /etc/sysctl.conf", "vm.swappiness = 10"]
        spec = {"NW-KRN-01": ("net.ipv4.ip_forward", "0", "1", False),
                "NW-KRN-02": ("kernel.randomize_va_space", "2", "0", False),
                "NW-KRN-03": ("net.ipv4.conf.all.accept_redirects", "0", "1", True)}
        for control, (key, good, bad, unset_bad) in spec.items():
            sc = r.choice(["main_good", "main_bad", "dropin_bad_overridden_by_main", "late_dropin_bad",
                           "unset", "slash_good_early_bad_main"])
            if sc == "main_good":
                main.append(f"{key} = {good}"); v = False
            elif sc == "main_bad":
                main.append(f"{key} = {bad}"); v = True
            elif sc == "dropin_bad_overridden_by_main":
                files["30-tuning.conf"].append(f"{key} = {bad}"); main.append(f"{key} = {good}"); v = False
            elif sc == "late_dropin_bad":  # 99-zz sorts after 99-sysctl.conf
                main.append(f"{key} = {good}"); files["99-zz-local.conf"].append(f"{key} = {bad}"); v = True
            elif sc == "unset":
                v = unset_bad
            else:
                files["10-network-security.conf"].append(f"{key.replace('.', '/')} = {good}"); v = False
            if control == "NW-KRN-01" and self.role == "router":
                v = None  # not applicable
            self.verdict[control] = v
        self.add("/etc/sysctl.conf", "\n".join(main) + "\n")
        for name, lines in files.items():
            if lines or r.random() < 0.4:
                self.add(f"/etc/sysctl.d/{name}", "# managed\n" + "\n".join(lines) + "\n")

    # ---------------- cron
    def cron(self):
        r = self.rnd
        self.add("/etc/crontab", "SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
                 "17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n")
        perm = r.choice(["ok", "group_writable", "not_root", "ok"])
        cmd = r.choice(["ok", "tmp_script", "crontab_shm", "ok", "tmp_in_comment"])
        modes = {"logrotate-extra": ("root", "root", 0o644), "backup": ("root", "root", 0o644)}
        if perm == "group_writable":
            modes["backup"] = ("root", "ops", 0o664)
        elif perm == "not_root":
            modes["reports"] = ("deploy", "deploy", 0o644)
        jobs = {"logrotate-extra": "0 4 * * * root /usr/sbin/logrotate /etc/logrotate.d/extra\n",
                "backup": "30 2 * * * backup /usr/local/bin/backup-agent --full\n",
                "reports": "15 6 * * 1 deploy /opt/reports/bin/weekly\n"}
        if cmd == "tmp_script":
            jobs["backup"] += "45 2 * * * root /tmp/cleanup.sh >/dev/null 2>&1\n"
        elif cmd == "tmp_in_comment":
            jobs["backup"] = "# 45 2 * * * root /tmp/cleanup.sh  (removed, SEC-640)\n" + jobs["backup"]
        elif cmd == "crontab_shm":
            self.files["/etc/crontab"] += "*/5 *\t* * *\troot\t/dev/shm/.sync >/dev/null 2>&1\n"
        for name, text in jobs.items():
            o, g, m = modes.get(name, ("root", "root", 0o644))
            self.add(f"/etc/cron.d/{name}", text, owner=o, group=g, mode=m)
        self.verdict["NW-CRN-01"] = perm in ("group_writable", "not_root")
        self.verdict["NW-CRN-02"] = cmd in ("tmp_script", "crontab_shm")

    # ---------------- systemd
    def svc(self):
        r = self.rnd
        bad = False
        for unit in r.sample(["metrics-agent", "backup-agent", "app", "log-shipper"], 3):
            sc = r.choice(["user", "root_nnp", "root_no_nnp", "root_nnp_dropin", "user_dropin_root"])
            lines = ["[Unit]", f"Description=Northwall {unit}", "", "[Service]", f"ExecStart=/usr/local/bin/{unit}"]
            if sc in ("user", "user_dropin_root"):
                lines.append("User=svc-" + unit.split("-")[0])
            if sc == "root_nnp":
                lines.append("NoNewPrivileges=yes")
            lines += ["", "[Install]", "WantedBy=multi-user.target"]
            self.add(f"/etc/systemd/system/{unit}.service", "\n".join(lines) + "\n")
            if sc == "root_nnp_dropin":
                self.add(f"/etc/systemd/system/{unit}.service.d/hardening.conf", "[Service]\nNoNewPrivileges=yes\n")
            if sc == "user_dropin_root":
                self.add(f"/etc/systemd/system/{unit}.service.d/override.conf", "[Service]\nUser=root\n")
            bad |= sc in ("root_no_nnp", "user_dropin_root")
        self.verdict["NW-SVC-01"] = bad

    def write(self, hostdir):
        for path, text in self.files.items():
            p = os.path.join(hostdir, path.lstrip("/"))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as fh:
                fh.write(text)
        os.makedirs(os.path.join(hostdir, ".nwcollect"), exist_ok=True)
        with open(os.path.join(hostdir, ".nwcollect", "stat.tsv"), "w") as fh:
            fh.write("# path\towner\tgroup\tmode  (nwcollect 0.9; collected as root)\n")
            for path in sorted(self.stat):
                o, g, m = self.stat[path]
                fh.write(f"{path}\t{o}\t{g}\t{m:04o}\n")


def build_task(tid, cfg):
    rnd = random.Random(cfg["seed"])
    hosts = []
    for name, role, exposed in cfg["hosts"]:
        h = Host(name, role, exposed, rnd)
        areas = ROLE_AREAS[role] if cfg["areas"] is None else (cfg["areas"] & ROLE_AREAS[role]) or cfg["areas"]
        for area in ("ssh", "sudo", "web", "krn", "cron", "svc"):
            if area in areas and (area != "web" or role == "web"):
                getattr(h, area)()
        hosts.append(h)
    # truth by construction
    date = dt.date.fromisoformat(cfg["date"])
    violations = [(h, c) for h in hosts for c, v in sorted(h.verdict.items()) if v]
    exc_rows = []
    picks = rnd.sample(violations, min(cfg["n_exc"] + 1, len(violations)))
    for i, (h, c) in enumerate(picks):
        expired = i % 2 == 1
        exp = date - dt.timedelta(days=rnd.randint(1, 40)) if expired else date + dt.timedelta(days=rnd.randint(0, 90))
        if i == 0:
            exp = date  # valid through the audit day itself
        exc_rows.append({"id": f"EXC-{rnd.randint(100, 999):04d}", "host": h.name, "control": c,
                         "expires": exp.isoformat(), "ticket": f"SEC-{rnd.randint(1000, 1999)}",
                         "reason": rnd.choice(["legacy client pending migration", "vendor appliance",
                                               "batch window dependency", "pending decommission"])})
    # a row for a compliant control (nothing to except) and one for a host outside the scope
    exc_rows.append({"id": "EXC-0042", "host": "old-ftp-01", "control": "NW-SSH-02", "expires": "2025-12-31",
                     "ticket": "SEC-1001", "reason": "decommission pending"})
    rnd.shuffle(exc_rows)
    truth = []
    for h, c in violations:
        sev = BASE[c]
        if h.exposed == "yes":
            sev = LADDER[min(LADDER.index(sev) + 1, 3)]
        exc = None
        for e in exc_rows:
            if e["host"] == h.name and e["control"] == c and dt.date.fromisoformat(e["expires"]) >= date:
                exc = e["id"]
        truth.append({"host": h.name, "control": c, "severity": sev, "status": "excepted" if exc else "open",
                      "exception": exc})
    return hosts, exc_rows, truth


def write_inputs(tid, cfg, hosts, exc_rows):
    data = os.path.join(FAMILY, tid, "environment", "data")
    shutil.rmtree(data, ignore_errors=True)
    hdir = os.path.join(data, "hosts")
    for h in hosts:
        h.write(os.path.join(hdir, h.name))
    with open(os.path.join(data, "inventory.csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["host", "role", "site", "internet_facing", "owner"])
        for name, role, exposed in cfg["hosts"]:
            w.writerow([name, role, "eu-central", exposed, {"web": "frontend", "db": "dba", "router": "netops",
                                                              "bastion": "sre", "batch": "data-platform",
                                                              "payments": "payments-team"}[role]])
    with open(os.path.join(data, "exceptions.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, ["id", "host", "control", "expires", "ticket", "reason"], lineterminator="\n")
        w.writeheader()
        w.writerows(exc_rows)
    return data


def tar_host(src, dest):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for dirpath, dirnames, filenames in sorted(os.walk(src)):
            dirnames.sort()
            for name in sorted(filenames):
                p = os.path.join(dirpath, name)
                info = tarfile.TarInfo(os.path.relpath(p, src))
                info.size = os.path.getsize(p)
                info.mtime, info.mode, info.uname, info.gname = 1739750400, 0o644, "root", "root"
                with open(p, "rb") as fh:
                    tar.addfile(info, fh)
    with gzip.GzipFile(dest, "wb", mtime=0) as gz:
        gz.write(buf.getvalue())


def sha(path):
    import hashlib
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def finish_task(tid, cfg, hosts, exc_rows, truth, data):
    import tasks_files
    extra, solve_extra = {}, ""
    if cfg.get("tarballs"):
        inc = os.path.join(data, "incoming")
        os.makedirs(inc)
        for h in hosts:
            tar_host(os.path.join(data, "hosts", h.name), os.path.join(inc, h.name + ".tar.gz"))
        shutil.rmtree(os.path.join(data, "hosts"))
        for f in ("inventory.csv", "exceptions.csv"):
            shutil.move(os.path.join(data, f), os.path.join(inc, f))
    if cfg.get("cmdb"):
        rows = list(csv.DictReader(open(os.path.join(data, "inventory.csv"))))
        assets = [{"hostname": r["host"], "function": r["role"], "site": "eu-central",
                   "exposure": "public" if r["internet_facing"] == "yes" else "internal",
                   "owner_team": r["owner"], "lifecycle": "in-service"} for r in rows]
        with open(os.path.join(data, "cmdb-export.json"), "w") as fh:
            json.dump({"export": "cmdb-assets", "schema": 2, "generated": cfg["date"] + "T05:00:00Z", "assets": assets}, fh, indent=2)
            fh.write("\n")
        os.remove(os.path.join(data, "inventory.csv"))
    if cfg.get("remediate"):
        h = hosts[0]
        env = os.path.join(ROOT, "environments", "audit")
        keep = {"/etc/ssh/sshd_config": ["Subsystem sftp"], "/etc/sudoers": ["%sudo ALL=(ALL:ALL) ALL"],
                "/etc/nginx/nginx.conf": ["include /etc/nginx/conf.d/*.conf"],
                "/etc/nginx/conf.d/site.conf": ["listen 443 ssl", "proxy_pass http://127.0.0.1:8080"],
                "/etc/cron.d/backup": ["backup-agent --full"], "/etc/cron.d/logrotate-extra": ["/usr/sbin/logrotate"]}
        for path in h.files:
            if path.startswith("/etc/systemd/system/") and path.endswith(".service"):
                keep[path] = ["ExecStart="]
            if path == "/etc/sudoers.d/50-deploy":
                keep[path] = ["deploy ALL=(ALL)"]
            if path == "/etc/sudoers.d/40-oncall":
                keep[path] = ["%oncall ALL=(root)"]
        keep = {p: n for p, n in keep.items() if p in h.files}
        extra["remediate"] = {
            "host": h.name, "hosts_dir": "/srv/audit/hosts", "inventory": "/srv/audit/inventory.csv",
            "exceptions": "/srv/audit/exceptions.csv", "must_keep": keep,
            "guarded": {"/srv/audit/exceptions.csv": sha(os.path.join(data, "exceptions.csv")),
                        "/srv/audit/inventory.csv": sha(os.path.join(data, "inventory.csv")),
                        "/etc/nwaudit/policy.conf": sha(os.path.join(env, "etc", "nwaudit", "policy.conf")),
                        "/usr/local/bin/nwaudit": sha(os.path.join(env, "bin", "nwaudit"))}}
        shutil.copy(CHECK, os.path.join(FAMILY, tid, "tests", "nwsec_eval.py"))
    if cfg.get("compose"):
        extra_c, solve_extra = compose_incident(tid, cfg, data)
        extra.update(extra_c)
    tasks_files.write(tid, cfg, data, extra, solve_extra)
    if cfg.get("remediate"):
        h = cfg["remediate"]
        rem = open(os.path.join(HERE, "templates", "remediate.py")).read()
        chk = open(CHECK).read()
        with open(os.path.join(FAMILY, tid, "solution", "solve.sh"), "w") as fh:
            fh.write(f"""#!/bin/bash
# Oracle for {tid}: fix the effective configuration (drop-ins, includes, sysctl order, cron,
# systemd, expired exceptions) AND the main files nwaudit reads; never touch the register,
# the nwaudit policy or the tool; then run the real gate and write the report.
set -euo pipefail
cat > /tmp/remediate.py <<'PYEOF'
{rem}PYEOF
cat > /tmp/nwsec_check.py <<'PYEOF'
{chk}PYEOF
python3 /tmp/remediate.py /srv/audit/hosts/{h}
nwaudit gate /srv/audit/hosts/{h} --exceptions /srv/audit/exceptions.csv
mkdir -p /srv/audit/out
python3 /tmp/nwsec_check.py --hosts /srv/audit/hosts --inventory /srv/audit/inventory.csv \\
  --exceptions /srv/audit/exceptions.csv --date {cfg['date']} --only {h} > /srv/audit/out/findings.json
cat /srv/audit/out/findings.json
""")


def compose_incident(tid, cfg, data):
    """Incident evidence for the composition task, made by the incident family's generator."""
    sys.path.insert(0, os.path.join(ROOT, "tasks", "incident", "generator"))
    import gen as igen
    icfg = dict(seed=cfg["seed"] * 7, site="eu-central", start="2025-03-11T08:30:00", minutes=60, n=380,
                inc=(24, 39), root="payments", services=["edge", "orders", "payments"], skew={"orders": -52.6},
                rotate=None, out="")
    m = igen.Model("audit-e4-incident", icfg)
    m.build()
    m.render(os.path.join(data, "incident", "logs"))
    t = m.truth()
    tools = os.path.join(data, "tools")
    ienv = os.path.join(ROOT, "environments", "incident")
    os.makedirs(os.path.join(tools, "bin"))
    shutil.copy(os.path.join(ienv, "bin", "tracecat"), os.path.join(tools, "bin", "tracecat"))
    os.makedirs(os.path.join(tools, "man", "man1"))
    shutil.copy(os.path.join(ienv, "man", "man1", "tracecat.1"), os.path.join(tools, "man", "man1", "tracecat.1"))
    for sub in ("sre", "platform", "services"):
        shutil.copytree(os.path.join(ienv, "wiki", sub), os.path.join(tools, "wiki", sub))
    os.makedirs(os.path.join(tools, "wiki", "ops"))
    with open(os.path.join(tools, "wiki", "ops", "clock-skew-register.md"), "w") as fh:
        fh.write(igen.skew_register(icfg))
    hosts = t["root_hosts"]
    exp = os.path.join(FAMILY, tid, "tests", "expected.json")
    e = json.load(open(exp))
    e["findings"] = [f for f in e["findings"] if f["host"] in hosts]
    with open(exp, "w") as fh:
        json.dump(e, fh, indent=2)
        fh.write("\n")
    summary = open(igen.SUMMARY).read()
    flags = " ".join(igen.tracecat_flags(icfg))
    solve = f"""cat > /tmp/incident_summary.py <<'PY2'
{summary}PY2
tracecat merge /srv/audit/incident/logs {flags} > /tmp/timeline.jsonl
python3 /tmp/incident_summary.py /tmp/timeline.jsonl > /tmp/incident.json
cat > /tmp/root_hosts.py <<'PY3'
import collections, json, sys
root = json.load(open('/tmp/incident.json'))['root_cause_service']
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
        hosts |= {{e['host'] for e in errs if e['service'] == root}}
print(','.join(sorted(hosts)))
PY3
HOSTS=$(python3 /tmp/root_hosts.py)
cat > /tmp/add_incident.py <<PY4
import json
r = json.load(open('/tmp/findings.json'))
r['incident'] = {{'root_cause_service': json.load(open('/tmp/incident.json'))['root_cause_service'], 'hosts': '$HOSTS'.split(',')}}
json.dump(r, open('/tmp/findings.json', 'w'), indent=2)
PY4
"""
    print(f"   incident: root={t['root_cause_service']} hosts={hosts}")
    return {"incident": {"root_cause_service": t["root_cause_service"], "hosts": sorted(hosts)}}, solve


def main():
    selfcheck = "--selfcheck" in sys.argv
    only = [a for a in sys.argv[1:] if a.startswith("audit-")]
    for tid, cfg in TASKS.items():
        if only and tid not in only:
            continue
        hosts, exc_rows, truth = build_task(tid, cfg)
        data = write_inputs(tid, cfg, hosts, exc_rows)
        ref = nwsec_check.evaluate(os.path.join(data, "hosts"), nwsec_check.load_inventory(os.path.join(data, "inventory.csv")),
                                   nwsec_check.load_exceptions(os.path.join(data, "exceptions.csv")), cfg["date"])
        key = lambda f: (f["host"], f["control"], f["severity"], f["status"], f["exception"])
        a, b = sorted(map(key, truth)), sorted(map(key, ref))
        if a != b:
            print(f"{tid}: MISMATCH construction vs evaluator\n  only truth: {sorted(set(a) - set(b))}\n  only eval: {sorted(set(b) - set(a))}")
            sys.exit(1)
        n_open = sum(f["status"] == "open" for f in truth)
        print(f"{tid}: {len(truth)} findings ({n_open} open), {len(exc_rows)} register rows")
        if selfcheck:
            naive = set()
            for h in hosts:
                out = subprocess.run([sys.executable, NWAUDIT, "scan", os.path.join(data, "hosts", h.name), "--format", "json",
                                      "--exceptions", os.path.join(data, "exceptions.csv")], capture_output=True, text=True,
                                     env={**os.environ, "NWAUDIT_POLICY": "/nonexistent"}).stdout
                naive |= {(f["host"], f["rule"]) for f in json.loads(out)}
            want = {(f["host"], f["control"]) for f in truth}
            print(f"   nwaudit alone: missing {len(want - naive)}, spurious {len(naive - want)}")
        tests = os.path.join(FAMILY, tid, "tests")
        os.makedirs(tests, exist_ok=True)
        with open(os.path.join(tests, "expected.json"), "w") as fh:
            json.dump({"task": tid, "audit_date": cfg["date"], "findings": truth}, fh, indent=2)
            fh.write("\n")
        finish_task(tid, cfg, hosts, exc_rows, truth, data)


if __name__ == "__main__":
    main()
