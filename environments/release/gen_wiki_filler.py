#!/usr/bin/env python3
"""Generates the unrelated pages of Northwind's wiki dump (seeded, deterministic).

The pages that matter for the release and migrate families are hand-written
(wiki/engineering/*.md, wiki/platform/nwlib-v2-migration.md); this script surrounds them with
plausible noise so that the knowledge is discoverable but costs a search.
Usage: python3 gen_wiki_filler.py  (rewrites northwind/wiki/<section>/*.md filler pages)
"""
import os
import random

rng = random.Random(20240502)
HERE = os.path.dirname(os.path.abspath(__file__))
WIKI = os.path.join(HERE, "northwind", "wiki")
TOPICS = {
    "it": ["vpn-setup", "laptop-refresh", "printer-floor-3", "password-manager", "wifi-guest", "mfa-tokens", "mailing-lists"],
    "hr": ["expense-policy", "travel-booking", "parental-leave", "onboarding-checklist", "holidays-2024", "remote-work"],
    "ops": ["oncall-rotation", "incident-severity", "postmortem-template", "pager-escalation", "backup-restore", "dns-changes",
            "certificate-renewal", "capacity-review", "datacenter-access"],
    "engineering": ["code-review", "python-style", "branch-protection", "ci-runners", "flaky-tests", "dependency-updates",
                    "git-lfs", "monorepo-layout", "feature-flags", "api-versioning", "docs-site"],
    "platform": ["nwlib-overview", "nwlib-v2-store-internals", "service-templates", "config-service", "metrics-naming",
                 "queue-service", "secrets-rotation", "python-runtime-policy"],
    "finance": ["fiscal-calendar", "cost-centres", "purchase-orders", "invoice-approval"],
}
OWNERS = ["developer experience", "platform team", "IT desk", "people team", "SRE", "finance ops", "security"]
VERBS = ["Request", "Check", "Update", "Confirm", "Record", "Escalate", "Review", "Archive", "Rotate", "Open"]
OBJS = ["the ticket in the NW project", "the owner listed above", "the shared calendar", "the runbook entry",
        "your manager", "the #help channel", "the audit spreadsheet", "the service catalogue", "the cost centre code",
        "the change record"]
SENT = [
    "This page is kept for reference; the authoritative source is the owning team's channel.",
    "Most questions are answered in the FAQ at the bottom of this page.",
    "The process changed in 2023; older instructions on the intranet are obsolete.",
    "If something here is wrong, open a ticket rather than editing the page directly.",
    "Allow two working days for the request to be processed.",
    "Exceptions are granted by the owning team for a limited time only.",
    "Staging and production follow the same steps unless noted otherwise.",
    "Keep the record for seven years, as required by the retention policy.",
]


def page(section, slug):
    title = slug.replace("-", " ").capitalize()
    lines = ["# %s" % title, "", "Owner: %s · last reviewed 202%d-%02d-%02d" % (rng.choice(OWNERS), rng.randint(2, 4), rng.randint(1, 12), rng.randint(1, 28)), ""]
    lines += [" ".join(rng.sample(SENT, 3)), "", "## Steps", ""]
    for i in range(rng.randint(3, 7)):
        lines.append("%d. %s %s." % (i + 1, rng.choice(VERBS), rng.choice(OBJS)))
    lines += ["", "## FAQ", ""]
    for _ in range(rng.randint(1, 3)):
        lines += ["**Can I skip step %d?** %s" % (rng.randint(1, 3), rng.choice(SENT)), ""]
    return "\n".join(lines) + "\n"


for section, slugs in sorted(TOPICS.items()):
    os.makedirs(os.path.join(WIKI, section), exist_ok=True)
    for slug in slugs:
        with open(os.path.join(WIKI, section, slug + ".md"), "w") as fh:
            fh.write(page(section, slug))
with open(os.path.join(WIKI, "README.md"), "w") as fh:
    fh.write("# Northwind internal wiki (dump)\n\nExported from the wiki for offline use. Sections: "
             + ", ".join(sorted(TOPICS)) + ".\nSearch with `grep -ril <word> /opt/northwind/wiki`.\n")
