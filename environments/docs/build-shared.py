#!/usr/bin/env python3
"""Regenerate the parts both Meridian environments share (deterministic, seed 7):

- /opt/meridian/wiki: the key pages in wiki-src/key/ plus ~70 unrelated intranet pages,
- the house tools: docbuild (+ filters, template, styles) and calx, with their man pages.

Both environments/docs and environments/calib get the same wiki and tools (Meridian ships
one workstation toolset); only the Debian packages differ (docs has pandoc, calib has not).
Run after editing anything here, then commit the generated trees.
"""
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ENVS = [HERE, os.path.join(os.path.dirname(HERE), "calib")]
rng = random.Random(7)

TOPICS = {
    "it": ["vpn-setup", "laptop-refresh", "password-policy", "printer-queues", "backup-schedule", "sso-troubleshooting",
           "mailing-lists", "ssh-keys", "software-requests", "wifi-guest-access"],
    "hr": ["leave-policy", "onboarding-checklist", "expense-claims", "travel-booking", "training-budget",
           "performance-reviews", "parental-leave", "remote-work"],
    "facilities": ["parking", "building-access", "meeting-rooms", "canteen-menu", "waste-sorting", "bike-storage",
                   "visitor-badges", "heating-schedule"],
    "lab": ["fume-hood-checks", "LP-07-balance-calibration", "LP-09-thermometer-checks", "LP-15-flow-meters",
            "gas-cylinder-handling", "sample-labelling", "lab-notebook-rules", "dead-weight-tester-care",
            "daq-channel-map", "instrument-loan", "ESD-precautions", "waste-solvents"],
    "qa": ["nonconformance-reports", "internal-audit-calendar", "ISO-17025-scope", "supplier-evaluation",
           "complaints-handling", "document-control-register", "corrective-actions"],
    "eng": ["coding-standards", "release-train", "ci-runners", "incident-postmortems", "on-call",
            "design-review-template", "python-packaging"],
    "house-style": ["writing-plain-english", "diagram-guidelines", "templates-index", "translation-requests"],
    "hse": ["fire-drills", "first-aiders", "ladder-inspections", "noise-exposure", "incident-reporting"],
}
WORDS = ("the team reviews requests weekly and keeps the register current; contact the owner before changing "
         "anything; exceptions need written approval from the department head; records are kept for seven years; "
         "the form is on the intranet; allow five working days; urgent cases go through the service desk; "
         "this page is reviewed every year; older versions are archived in the document control register").split("; ")


def filler(section, name):
    title = name.replace("-", " ")
    lines = [f"# {title[0].upper() + title[1:]}", "", f"Section: {section}. Maintainer: {rng.choice(['a.okafor', 'j.lindqvist', 'm.ferreira', 'k.tanaka', 'r.novak', 's.haddad'])}@meridian.example", ""]
    for h in rng.sample(["Purpose", "Who this is for", "How to", "Rules", "Contacts", "History", "FAQ"], 4):
        lines += [f"## {h}", ""]
        for _ in range(rng.randint(2, 4)):
            s = rng.choice(WORDS)
            lines.append(f"- {s[0].upper() + s[1:]}.")
        lines.append("")
    return "\n".join(lines)


def main():
    key = os.path.join(HERE, "wiki-src", "key")
    for env in ENVS:
        wiki = os.path.join(env, "opt", "meridian", "wiki")
        shutil.rmtree(wiki, ignore_errors=True)
        os.makedirs(wiki)
    pages = {}
    for section, names in TOPICS.items():
        for n in names:
            pages[f"{section}/{n}.md"] = filler(section, n)
    for fn in sorted(os.listdir(key)):
        section, name = fn.split("__", 1)
        pages[f"{section}/{name}"] = open(os.path.join(key, fn)).read()
    index = ["# Meridian intranet wiki (export)", "", "Exported page tree; one Markdown file per page.", ""]
    index += [f"- {p}" for p in sorted(pages)]
    pages["index.md"] = "\n".join(index) + "\n"
    for env in ENVS:
        wiki = os.path.join(env, "opt", "meridian", "wiki")
        for p, text in pages.items():
            os.makedirs(os.path.dirname(os.path.join(wiki, p)), exist_ok=True)
            with open(os.path.join(wiki, p), "w") as f:
                f.write(text)
        # tools and man pages
        os.makedirs(os.path.join(env, "bin"), exist_ok=True)
        for tool, src_env in (("docbuild", HERE), ("calx", ENVS[1])):
            src = os.path.join(src_env, "bin", tool)
            if os.path.abspath(src) != os.path.abspath(os.path.join(env, "bin", tool)):
                shutil.copy2(src, os.path.join(env, "bin", tool))
        if env != HERE:
            for sub in ("docbuild", "style"):
                dst = os.path.join(env, "opt", "meridian", sub)
                shutil.rmtree(dst, ignore_errors=True)
                shutil.copytree(os.path.join(HERE, "opt", "meridian", sub), dst)
        for page, sec in (("docbuild.1", "man1"), ("calx.1", "man1"), ("docbuild.toml.5", "man5")):
            os.makedirs(os.path.join(env, "man", sec), exist_ok=True)
            shutil.copy2(os.path.join(HERE, "man-src", page), os.path.join(env, "man", sec, page))
    print(f"wrote {len(pages)} wiki pages and tools into {len(ENVS)} environments")


if __name__ == "__main__":
    main()
