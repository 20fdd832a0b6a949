#!/usr/bin/env python3
"""Deterministic filler pages for the Northwall internal wiki dump.

The real knowledge pages of each family are hand-written in
environments/<family>/wiki/; this adds the many unrelated pages that a real
wiki export contains, so that the relevant pages are there but take effort
to find.  Usage: wiki_filler.py <wiki-dir> <seed>
"""
import os
import random
import sys

TEAMS = ["sre", "payments-team", "data-platform", "security", "it-helpdesk", "finance-ops", "frontend",
         "mobile", "people", "facilities", "release-eng", "dba"]
TOPICS = [
    ("VPN access", "Request the `vpn-users` group in the IdP portal. The client profile is pushed by MDM; if it is missing, open a ticket with IT helpdesk."),
    ("Expense policy", "Travel must be booked through the travel desk. Receipts above 25 EUR need a scan. Per-diem rates follow the local tax tables."),
    ("On-call handover", "Handover happens Mondays 10:00 local. Write open items in the handover doc; page ownership moves when the rota tool says so."),
    ("Laptop refresh", "Laptops are refreshed every 4 years. Back up your home directory; the old disk is wiped by facilities."),
    ("Kafka topics naming", "Topics are named `<domain>.<entity>.<event>.v<N>`. Retention defaults to 7 days; compacted topics need a design review."),
    ("Feature flags", "Flags live in the flagd repo. Remove a flag within two sprints after full rollout; stale flags are reported weekly."),
    ("Postgres upgrades", "Major upgrades use logical replication to a new cluster, then a DNS switch. Budget a maintenance window for sequences."),
    ("Grafana dashboards", "Dashboards are provisioned from git. Manual edits are overwritten on the next deploy."),
    ("Access reviews", "Quarterly access reviews are run by security. Managers confirm each grant; unconfirmed grants are revoked after 14 days."),
    ("Office Wi-Fi", "Use NW-Staff with your SSO credentials. NW-Guest is isolated and rate limited."),
    ("Deploy freeze", "No production deploys from 20 Dec to 2 Jan without a VP exception, filed in the change calendar."),
    ("Status page", "Only the incident commander updates the public status page. Use the templates; never speculate about causes."),
    ("Log retention", "Service logs are kept 30 days hot and 13 months in cold storage. Evidence bundles of incidents are kept 3 years."),
    ("Secrets management", "Secrets come from the vault agent sidecar. Never put secrets in environment files committed to git."),
    ("Load testing", "Use the perf cluster. Announce runs in #perf; never point load tests at production edge hosts."),
    ("Code review", "Two approvals for services in the payment path, one elsewhere. Authors merge their own changes."),
    ("Parental leave", "See the people portal for the current policy and the forms to file."),
    ("DNS changes", "Zone files live in the dns repo; changes are applied by CI after review. TTLs below 300 s need a reason."),
    ("Certificates", "Internal certificates are issued by the step CA with 30-day lifetimes and renewed automatically."),
    ("Backups", "Nightly snapshots plus WAL archiving. Restore drills happen monthly; results go to the DBA channel."),
    ("Cost reports", "Cloud cost reports are published on the 3rd working day of the month per cost centre."),
    ("Hiring loops", "Interview loops have four stages. Feedback is due within 24 hours in the ATS."),
    ("Meeting rooms", "Book rooms in the calendar. Rooms left unattended for 10 minutes are released."),
    ("Alert routing", "Alerts route by the `team` label. Unlabelled alerts go to the SRE triage queue."),
    ("Data retention for analytics", "Event data is pseudonymised after 90 days; raw identifiers are dropped."),
    ("Chaos days", "Chaos days are announced a week ahead. Scope is staging unless the service owner opts in for production."),
    ("Runbook template", "Every alert links a runbook with: symptoms, dashboards, first checks, mitigation, escalation."),
    ("Mobile releases", "Mobile apps release every two weeks; hotfixes go through expedited store review."),
    ("Time off", "Request time off in the HR tool at least two weeks ahead for more than three days."),
    ("NTP and time", "Servers sync with the internal NTP pool; edge hosts use PTP. Report drift to ops via the skew probe."),
]
OLD_POSTMORTEMS = [
    "Cache stampede on catalog after a cold deploy; mitigated by request coalescing.",
    "Certificate expiry on an internal endpoint; the renewal cron had been disabled by hand.",
    "Kafka consumer lag after a partition reassignment; backlog drained in 40 minutes.",
    "Disk full on a log shipper; rotation misconfigured after an OS upgrade.",
    "DNS TTL too long during a failover; traffic kept hitting the old site for 20 minutes.",
    "Mobile app retry storm after an API error; backoff jitter added.",
]


def main(root, seed):
    rnd = random.Random(seed)
    os.makedirs(root, exist_ok=True)
    n = 0
    for i, (title, body) in enumerate(TOPICS):
        team = rnd.choice(TEAMS)
        slug = title.lower().replace(" ", "-").replace("/", "-")
        d = os.path.join(root, team)
        os.makedirs(d, exist_ok=True)
        owner = rnd.choice(["a.berg", "m.okafor", "j.lindqvist", "s.roy", "k.tanaka", "l.moreau", "p.novak"])
        with open(os.path.join(d, f"{slug}.md"), "w") as fh:
            fh.write(f"# {title}\n\nOwner: {team} ({owner}). Last reviewed: 20{rnd.randint(21, 24)}-{rnd.randint(1, 12):02d}.\n\n{body}\n")
            for _ in range(rnd.randint(1, 3)):
                fh.write("\n- " + rnd.choice(TOPICS)[1].split(". ")[0] + ".\n")
        n += 1
    pm = os.path.join(root, "postmortems")
    os.makedirs(pm, exist_ok=True)
    for i in range(18):
        year = rnd.choice([2021, 2022, 2023])
        num = rnd.randint(100, 999)
        with open(os.path.join(pm, f"INC-{year}-{num}.md"), "w") as fh:
            fh.write(f"# INC-{year}-{num}\n\nSeverity: SEV{rnd.randint(2, 4)}\n\nSummary: {rnd.choice(OLD_POSTMORTEMS)}\n\n"
                     f"Duration: {rnd.randint(8, 140)} minutes. Customers affected: {rnd.randint(0, 900)}.\n\n"
                     "Action items are tracked in the postmortem board.\n")
        n += 1
    return n


if __name__ == "__main__":
    print(main(sys.argv[1], int(sys.argv[2])), "filler pages")
