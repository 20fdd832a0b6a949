#!/usr/bin/env python3
"""Generates the data of every release-* task (seeded; rerun to regenerate).

For each task: a git repository built commit by commit with fixed dates (so hashes are
stable), earlier releases cut with the real relx, exported as environment/repo (work tree)
and environment/gitdir (the .git directory as plain files); plus tests/expected.json and
a copy of verify_release.py.  Usage: python3 gen_release.py [task-id ...]
"""
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gitrepo import Repo  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = os.path.dirname(HERE)
WORK = "/tmp/skilldelta-release-gen"

RELX_TOML = 'package = "{pkg}"\n{extra}'


def module_text(pkg, rng, n):
    """A small, plausible module with n numbered helpers."""
    out = ['"""%s core helpers."""\n' % pkg]
    for i in range(n):
        k = rng.randint(2, 9)
        out.append("\n\ndef scale_%d(x):\n    \"\"\"Scale step %d.\"\"\"\n    return x * %d\n" % (i, i, k))
    return "".join(out)


def base_files(pkg, rng, relx_extra="", layout=None):
    layout = layout or {}
    files = {
        ".relx.toml": RELX_TOML.format(pkg=pkg, extra=relx_extra),
        layout.get("version_file", "VERSION"): "0.0.0\n",
        "README.md": "# %s\n\nInternal Northwind service. Released with relx (see `man relx`).\n" % pkg,
        "%s/__init__.py" % pkg: '"""%s."""\n' % pkg,
        "%s/core.py" % pkg: module_text(pkg, rng, 3),
        "tests/__init__.py": "",
        "tests/test_core.py": "import unittest\n\nfrom %s import core\n\n\nclass CoreTest(unittest.TestCase):\n"
                              "    def test_scale(self):\n        self.assertEqual(core.scale_0(0), 0)\n\n\n"
                              "if __name__ == '__main__':\n    unittest.main()\n" % pkg,
    }
    return files


class Builder:
    def __init__(self, tid, pkg, seed, relx_extra="", layout=None, t0=1700000000, start=None, prefix="rel"):
        self.tid, self.pkg = tid, pkg
        self.rng = random.Random(seed)
        self.r = Repo(os.path.join(WORK, tid, pkg), t0=t0 + seed * 1000)
        self.layout = layout or {}
        self.ticket = 1000 + self.rng.randint(0, 8000)
        files = base_files(pkg, self.rng, relx_extra, self.layout)
        if start:
            files[self.layout.get("version_file", "VERSION")] = start + "\n"
        self.r.commit(files, "Initial import of %s" % pkg, trailers=[("Change-Type", "chore")])
        if start:  # history imported from the pre-relx release process: one annotated bootstrap tag
            self.r.git("tag", "-a", "%s/%s" % (prefix, start), "-m", "%s %s\n\nImported from the 2021 release process." % (pkg, start))
        self.n = 3

    def backport(self, sha):
        self.r.git("cherry-pick", "-x", sha)
        return self.r.head()

    def next_ticket(self):
        self.ticket += self.rng.randint(1, 40)
        return "NW-%d" % self.ticket

    def change(self, ctype, subject, ticket=True, note=None, path=None, trailers=None):
        """Commit a small real change of the given type. Returns (sha, ticket)."""
        t = self.next_ticket() if ticket else None
        path = path or "%s/core.py" % self.pkg
        if ctype in ("docs",):
            path = "docs/notes.md" if path.endswith(".py") else path
            full = os.path.join(self.r.path, path)
            old = open(full).read() if os.path.exists(full) else "# Notes\n"
            files = {path: old + "\n- %s\n" % subject}
        else:
            full = os.path.join(self.r.path, path)
            old = open(full).read() if os.path.exists(full) else '"""helpers."""\n'
            self.n += 1
            files = {path: old + "\n\ndef step_%d(x):\n    \"\"\"%s.\"\"\"\n    return x + %d\n" % (self.n, subject, self.rng.randint(1, 99))}
        tr = list(trailers) if trailers is not None else ([("Change-Type", ctype)] if ctype else [])
        if t and trailers is None:
            tr.append(("Ticket", t))
        if note:
            tr.append(("Release-Note", note))
        sha = self.r.commit(files, subject, body="%s." % subject, trailers=tr)
        return sha, t

    def history(self, releases):
        """releases: list of lists of (ctype, subject); a release is cut after each list."""
        for group in releases:
            for ctype, subject in group:
                self.change(ctype, subject)
            self.r.release(self.pkg)

    def refs(self):
        out = self.r.git("for-each-ref", "--format=%(refname) %(objectname)")
        return dict(l.split(" ", 1) for l in out.splitlines() if not l.startswith("refs/notes/"))

    def blob(self, path):
        return self.r.git("rev-parse", "HEAD:%s" % path)


def write_task(tid, b, expected, extra_files=None):
    tdir = os.path.join(FAMILY, tid)
    env = os.path.join(tdir, "environment")
    os.makedirs(env, exist_ok=True)
    b.r.export(os.path.join(env, "repo"), os.path.join(env, "gitdir"))
    with open(os.path.join(env, "Dockerfile"), "w") as fh:
        fh.write("FROM skilldelta-env/release\n"
                 "# the repository: work tree, then its .git directory (committed as plain files)\n"
                 "COPY repo/ /root/%s/\nCOPY gitdir/ /root/%s/.git/\nWORKDIR /root/%s\n" % (b.pkg, b.pkg, b.pkg))
    tests = os.path.join(tdir, "tests")
    os.makedirs(tests, exist_ok=True)
    shutil.copy(os.path.join(HERE, "verify_release.py"), os.path.join(tests, "verify_release.py"))
    expected = dict(expected)
    expected.setdefault("repo", "/root/%s" % b.pkg)
    expected.setdefault("package", b.pkg)
    with open(os.path.join(tests, "expected.json"), "w") as fh:
        json.dump(expected, fh, indent=1, sort_keys=True)
    with open(os.path.join(tests, "test.sh"), "w") as fh:
        fh.write("#!/bin/bash\n# Verifier: judges the repository's tags, tree, notes and relx receipt (see verify_release.py).\n"
                 "mkdir -p /logs/verifier\npython3 /tests/verify_release.py\n")
    for rel, text in (extra_files or {}).items():
        with open(os.path.join(tests, rel), "w") as fh:
            fh.write(text)


def common_expected(b, cfg, version, tickets, check="none", release_branch=None, only_files=None, **kw):
    tag_prefix = cfg.get("tag_prefix", "rel")
    e = {
        "tag_prefix": tag_prefix,
        "tag": "%s/%s" % (tag_prefix, version),
        "version": version,
        "version_file": cfg.get("version_file", "VERSION"),
        "changelog": cfg.get("changelog", "CHANGES.nw"),
        "manifest": cfg.get("manifest", "RELEASE-MANIFEST"),
        "manifest_exclude": cfg.get("manifest_exclude", []),
        "base_branch": kw.pop("base_branch", "main"),
        "orig_head": b.r.head(),
        "orig_refs": b.refs(),
        "tickets_required": sorted(tickets),
        "check": check,
        "release_branch": release_branch,
    }
    if only_files is not None:
        e["only_files"] = only_files
    e.update(kw)
    # the base branch itself moves forward; it is checked by ancestry instead
    e["orig_refs"].pop("refs/heads/" + e["base_branch"], None)
    return e


# ------------------------------------------------------------------------------------------
def task_a1():
    b = Builder("release-a1", "fleetd", 11, start="1.0.4")
    b.history([[("feature", "Add fleet inventory endpoint"), ("fix", "Fix pagination off-by-one")],
               [("fix", "Handle empty depot list")]])
    tickets = []
    for ctype, subj in [("fix", "Retry depot sync on timeout"), ("feature", "Add vehicle tags"),
                        ("docs", "Document the sync schedule"), ("fix", "Reject negative odometer values")]:
        _, t = b.change(ctype, subj)
        if ctype != "docs":
            tickets.append(t)
    # a leftover scratch file from a local build: relx refuses dirty trees
    b.r.write({"build.out": "local build output\n"})
    exp = common_expected(b, {}, "1.2.0", tickets, release_branch="release/1.2.x",
                          only_files=["VERSION", "CHANGES.nw", "RELEASE-MANIFEST"])
    write_task("release-a1", b, exp)


def task_a2():
    b = Builder("release-a2", "tidewatch", 23)
    b.history([[("feature", "Tide table parser")], [("feature", "Harbour alerts")], [("fix", "Round heights to cm")]])
    tickets = []
    for ctype, subj, tk in [("fix", "Fix timezone of alert digests", True), ("breaking", "Rename station ids to ISO codes", True),
                            ("perf", "Cache parsed tide tables", False), ("chore", "Bump test fixtures", True)]:
        _, t = b.change(ctype, subj, ticket=tk)
        if ctype != "chore":
            tickets.append(t or "no-ticket")
    exp = common_expected(b, {}, "0.3.0", tickets, release_branch="release/0.3.x",
                          only_files=["VERSION", "CHANGES.nw", "RELEASE-MANIFEST"])
    write_task("release-a2", b, exp)


def task_a3():
    b = Builder("release-a3", "ledgerd", 37, start="1.4.2")
    b.history([[("breaking", "Switch amounts to integer cents")]])  # 2.0.0
    b.history([[("feature", "Account hierarchy")]])  # 2.1.0
    fix, _ = b.change("fix", "Fix rounding of period totals", path="ledgerd/rounding.py")
    b.r.git("switch", "-q", "release/2.1.x")
    b.backport(fix)
    b.r.release("ledgerd")  # 2.1.1 on the release branch
    b.r.git("switch", "-q", "main")
    b.history([[("feature", "Multi-currency journals")]])  # 2.2.0
    shas = []
    sha, t_fix = b.change("fix", "Fix duplicate posting on retried imports", path="ledgerd/imports.py")
    shas.append(sha)
    b.change("feature", "Budget forecasts")
    b.change("fix", "Speed up balance queries", ticket=True)
    exp = common_expected(b, {}, "2.1.2", [t_fix], base_branch="release/2.1.x",
                          cherry_picks=[sha])
    # orig_head for a patch release = the release branch head
    exp["orig_head"] = b.r.git("rev-parse", "release/2.1.x")
    exp["orig_refs"] = {k: v for k, v in b.refs().items() if k != "refs/heads/release/2.1.x"}
    exp["only_files"] = None
    exp.pop("only_files")
    write_task("release-a3", b, exp)
    return t_fix


def task_a4():
    b = Builder("release-a4", "portmap", 41)
    b.history([[("feature", "Port allocation")], [("breaking", "New lease format"), ("feature", "IPv6 pools")]])
    tickets = []
    _, t = b.change("feature", "Add lease expiry metrics")
    tickets.append(t)
    # pushed without its trailer: the body says what it is
    t_missing = b.next_ticket()
    n = os.path.join(b.r.path, "portmap/core.py")
    sha = b.r.commit({"portmap/core.py": open(n).read() + "\n\ndef parse_peer(s):\n    \"\"\"Accept [v6]:port literals.\"\"\"\n    return s.rsplit(':', 1)\n"},
                     "Handle IPv6 literals in peer list", body="Peers like [fd00::1]:8080 crashed the parser.",
                     trailers=[("Ticket", t_missing)])
    tickets.append(t_missing)
    _, t = b.change("fix", "Release leases on shutdown")
    tickets.append(t)
    exp = common_expected(b, {}, "0.3.0", tickets, release_branch="release/0.3.x",
                          only_files=["VERSION", "CHANGES.nw", "RELEASE-MANIFEST"], notes={sha: "fix"})
    write_task("release-a4", b, exp)
    return sha


def task_e1():
    cfg = {"tag_prefix": "quayside", "changelog": "docs/CHANGES.nw", "version_file": "quayside/VERSION",
           "manifest": "quayside/MANIFEST.sha256", "manifest_exclude": ["assets/*"]}
    extra = ('tag_prefix = "quayside"\nchangelog = "docs/CHANGES.nw"\nversion_file = "quayside/VERSION"\n'
             'manifest = "quayside/MANIFEST.sha256"\nmanifest_exclude = ["assets/*"]\n')
    b = Builder("release-e1", "quayside", 53, relx_extra=extra, layout=cfg, start="2.3.1", prefix="quayside")
    b.r.commit({"assets/logo.txt": "~~ quayside ~~\n", "docs/CHANGES.nw": ""}, "Add assets", trailers=[("Change-Type", "chore")])
    b.history([[("feature", "Berth scheduler")], [("feature", "Crane allocation")]])
    b.history([[("fix", "Fix berth overlap check")]])
    tickets = []
    _, t = b.change("feature", "Tidal window constraints")
    tickets.append(t)
    # a docs commit pushed without trailer
    sha = b.r.commit({"docs/theme.md": "# Theme\n\nNew docs theme colours.\n"}, "Refresh the docs theme",
                     trailers=[("Ticket", b.next_ticket())])
    _, t = b.change("breaking", "Remove the legacy XML berth feed")
    tickets.append(t)
    _, t = b.change("security", "Validate crane ids from the API")
    tickets.append(t)
    b.r.write({"assets/logo.txt": "~~ quayside ~~ (draft v2)\n"})  # uncommitted edit: dirty tree
    exp = common_expected(b, cfg, "3.0.0", tickets, release_branch="release/3.0.x",
                          only_files=["quayside/VERSION", "docs/CHANGES.nw", "quayside/MANIFEST.sha256"], notes={sha: "docs"})
    write_task("release-e1", b, exp)


HIDDEN_E2 = '''#!/usr/bin/env python3
"""Hidden behaviour tests for beacon's window module, run on the released tree (argv[1])."""
import sys
import unittest

sys.path.insert(0, sys.argv[1])
from beacon import window  # noqa: E402


class Hidden(unittest.TestCase):
    def test_sliding_windows(self):
        self.assertEqual(window.sliding([1, 2, 3, 4], 2), [[1, 2], [2, 3], [3, 4]])
        self.assertEqual(window.sliding([5, 6, 7], 3), [[5, 6, 7]])
        self.assertEqual(window.sliding([1, 2], 3), [])
        self.assertEqual(window.sliding(list(range(6)), 4), [[0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5]])

    def test_mean(self):
        self.assertEqual(window.rolling_mean([2, 4, 6, 8], 2), [3.0, 5.0, 7.0])


if __name__ == "__main__":
    unittest.main(argv=["hidden"], verbosity=1)
'''


def task_e2():
    b = Builder("release-e2", "beacon", 67, start="1.1.0", relx_extra='check = "python3 -m unittest discover -s tests -q"\n')
    b.r.commit({"beacon/window.py": '"""Sliding windows over samples."""\n\n\ndef sliding(xs, n):\n    """All contiguous windows of length n."""\n'
                "    return [xs[i:i + n] for i in range(len(xs) - n + 1)]\n\n\ndef rolling_mean(xs, n):\n"
                "    return [sum(w) / n for w in sliding(xs, n)]\n",
                "tests/test_window.py": "import unittest\n\nfrom beacon import window\n\n\nclass WindowTest(unittest.TestCase):\n"
                "    def test_sliding(self):\n        self.assertEqual(window.sliding([1, 2, 3], 2), [[1, 2], [2, 3]])\n\n"
                "    def test_too_short(self):\n        self.assertEqual(window.sliding([1], 2), [])\n\n"
                "    def test_mean(self):\n        self.assertEqual(window.rolling_mean([1, 3, 5], 2), [2.0, 4.0])\n"},
               "Add sliding windows", trailers=[("Change-Type", "feature"), ("Ticket", b.next_ticket())])
    b.history([[("fix", "Clamp negative beacon ids")]])
    tickets = []
    _, t = b.change("feature", "Add signal strength histogram")
    tickets.append(t)
    # the regression: "optimise" sliding() with an off-by-one
    t = b.next_ticket()
    b.r.commit({"beacon/window.py": b.r.read("beacon/window.py").replace(
        "    return [xs[i:i + n] for i in range(len(xs) - n + 1)]",
        "    out = []\n    for i in range(len(xs) - n):\n        out.append(xs[i:i + n])\n    return out")},
        "Avoid a list comprehension in sliding()", trailers=[("Change-Type", "perf"), ("Ticket", t)])
    tickets.append(t)
    _, t = b.change("fix", "Ignore duplicate beacon frames")
    tickets.append(t)
    exp = common_expected(b, {}, "1.3.0", tickets + ["NW-5120"], check="passed", release_branch="release/1.3.x",
                          guarded={".relx.toml": b.blob(".relx.toml"), "tests/test_window.py": b.blob("tests/test_window.py"),
                                   "tests/test_core.py": b.blob("tests/test_core.py")},
                          hidden_tests="hidden_window_test.py")
    write_task("release-e2", b, exp, {"hidden_window_test.py": HIDDEN_E2})


def task_e3():
    cfg = {"tag_prefix": "signet"}
    b = Builder("release-e3", "signet", 79, relx_extra='tag_prefix = "signet"\n', start="3.0.0", prefix="signet")
    b.history([[("feature", "Key rotation")]])                                        # 3.1.0
    b.history([[("feature", "Detached signatures")]])                                 # 3.2.0
    fix, _ = b.change("fix", "Constant-time comparison of MACs", path="signet/mac.py")
    for line in ("release/3.1.x", "release/3.2.x"):
        b.r.git("switch", "-q", line)
        b.backport(fix)
        b.r.release("signet")                                                         # 3.1.1, 3.2.1
    b.r.git("switch", "-q", "main")
    b.history([[("feature", "JWKS export")]])                                         # 3.3.0
    shas, tickets = [], []
    s, t = b.change("security", "Reject tokens with alg=none", path="signet/alg.py")
    shas.append(s), tickets.append(t)
    b.change("feature", "Ed25519 keys")
    s, t = b.change("fix", "Fix expiry check at exact second", path="signet/expiry.py")
    shas.append(s), tickets.append(t)
    b.change("fix", "Faster JWKS cache", path="signet/jwks.py")
    exp = common_expected(b, cfg, "3.1.2", tickets, base_branch="release/3.1.x", cherry_picks=shas)
    exp["orig_head"] = b.r.git("rev-parse", "release/3.1.x")
    exp["orig_refs"] = {k: v for k, v in b.refs().items() if k != "refs/heads/release/3.1.x"}
    write_task("release-e3", b, exp)
    return tickets


def main():
    want = set(sys.argv[1:])
    for name, fn in sorted(globals().items()):
        if name.startswith("task_") and (not want or "release-" + name[5:] in want):
            print(name, fn())


if __name__ == "__main__":
    main()
