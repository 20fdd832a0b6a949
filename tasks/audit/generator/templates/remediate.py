#!/usr/bin/env python3
"""Oracle remediation of one host snapshot to NWSEC-BASELINE v3 (used by audit-e2's solve.sh).

Fixes the effective configuration *and* the main files nwaudit reads, without
removing services: values are rewritten, never whole files or jobs deleted."""
import glob
import os
import re
import sys

root = sys.argv[1]
P = lambda rel: os.path.join(root, rel.lstrip("/"))


def edit(path, fn):
    with open(path) as fh:
        text = fh.read()
    new = fn(text)
    with open(path, "w") as fh:
        fh.write(new)


# sshd: drop every occurrence of the four keywords, then set them once right after the Include
SSH = {"permitrootlogin": "PermitRootLogin no", "passwordauthentication": "PasswordAuthentication no",
       "maxauthtries": "MaxAuthTries 3", "x11forwarding": "X11Forwarding no"}
for f in [P("/etc/ssh/sshd_config")] + glob.glob(P("/etc/ssh/sshd_config.d/*.conf")):
    edit(f, lambda t: "\n".join(l for l in t.split("\n") if not (l.strip().split() and l.strip().split()[0].lower() in SSH)))
def add_ssh(t):
    lines = t.split("\n")
    i = next(i for i, l in enumerate(lines) if l.strip().lower().startswith("include"))
    return "\n".join(lines[:i + 1] + list(SSH.values()) + lines[i + 1:])
edit(P("/etc/ssh/sshd_config"), add_ssh)

# sudoers: keep the grants, drop NOPASSWD on ALL; use_pty in the main file
for f in [P("/etc/sudoers")] + glob.glob(P("/etc/sudoers.d/*")):
    edit(f, lambda t: "\n".join(re.sub(r"NOPASSWD:\s*ALL\s*$", "ALL", l) for l in t.split("\n")
                                 if not re.match(r"^\s*Defaults\s+!use_pty", l)))
edit(P("/etc/sudoers"), lambda t: t.replace("Defaults env_reset", "Defaults env_reset\nDefaults use_pty", 1))

# nginx
if os.path.exists(P("/etc/nginx/nginx.conf")):
    for f in [P("/etc/nginx/nginx.conf")] + glob.glob(P("/etc/nginx/conf.d/*.conf")):
        edit(f, lambda t: "\n".join(re.sub(r"\s*autoindex\s+on\s*;", "", l) for l in t.split("\n")
                                     if not re.match(r"^\s*(server_tokens|ssl_protocols)\b", l)))
    edit(P("/etc/nginx/nginx.conf"), lambda t: t.replace("http {", "http {\n    server_tokens off;\n    ssl_protocols TLSv1.2 TLSv1.3;", 1))

# sysctl: remove the keys everywhere, set them in sysctl.conf
KEYS = {"net.ipv4.ip_forward": "0", "kernel.randomize_va_space": "2", "net.ipv4.conf.all.accept_redirects": "0"}
for f in [P("/etc/sysctl.conf")] + glob.glob(P("/etc/sysctl.d/*.conf")):
    if os.path.exists(f):
        edit(f, lambda t: "\n".join(l for l in t.split("\n")
                                     if not ("=" in l and l.split("=", 1)[0].strip().replace("/", ".") in KEYS)))
with open(P("/etc/sysctl.conf"), "a") as fh:
    fh.write("".join(f"{k} = {v}\n" for k, v in KEYS.items()))

# cron: jobs must not run from world-writable dirs; cron.d files root-owned 0644 (mode manifest)
for f in glob.glob(P("/etc/cron.d/*")) + [P("/etc/crontab")]:
    if os.path.exists(f):
        # keep the job, run the script from a root-owned location instead
        edit(f, lambda t: "\n".join(l if l.lstrip().startswith("#") else
                                     re.sub(r"(/tmp|/var/tmp|/dev/shm)/", "/usr/local/sbin/", l) for l in t.split("\n")))
st = P("/.nwcollect/stat.tsv")
if os.path.exists(st):
    edit(st, lambda t: "\n".join(re.sub(r"^(/etc/cron\.d/[^\t]+)\t[^\t]+\t[^\t]+\t\d+$", r"\1\troot\troot\t0644", l)
                                 for l in t.split("\n")))

# systemd: NoNewPrivileges via a drop-in that sorts last
for u in glob.glob(P("/etc/systemd/system/*.service")):
    d = u + ".d"
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "zz-nwsec.conf"), "w") as fh:
        fh.write("[Service]\nNoNewPrivileges=yes\n")
    # an override that switches a unit to root is left alone: NNP covers it
