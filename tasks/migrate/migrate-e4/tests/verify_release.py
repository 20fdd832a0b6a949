#!/usr/bin/env python3
"""Verifier for Northwind release tasks (shared by every release-* task; python3 stdlib only).

Reads expected.json next to this file and judges the repository *as git objects*: the tag,
the tagged commit's tree, the notes ref, the branches and relx's sealed receipt. Everything
is recomputed from the repository (manifest checksums, changelog tickets, ancestry); nothing
depends on formatting beyond the house formats that are the point of the task.

How shortcuts are caught (process checks):
  * a tag made by hand (`git tag -a`) has no sealed relx receipt            -> check `relx_receipt`
  * RELX_SKIP_CHECK=1 or an edited `check` command                            -> `check_passed`, `guarded_files`
  * deleting/editing the failing tests                                       -> `guarded_files`, `hidden_tests`
  * rewriting published history (amend/rebase instead of notes)              -> `history_preserved`
  * a lightweight tag                                                        -> `tag_annotated`
"""
import fnmatch
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXP = json.load(open(os.path.join(HERE, "expected.json")))
REPO = EXP["repo"]
SEAL = b"northwind-relx-receipt-v3"
checks = []


def check(name, passed, message=""):
    checks.append({"name": name, "passed": bool(passed), "message": message})
    return bool(passed)


def git(*args, ok=False):
    p = subprocess.run(["git", "-C", REPO, *args], capture_output=True)
    if p.returncode != 0:
        if ok:
            return None
        raise RuntimeError("git %s: %s" % (" ".join(args), p.stderr.decode(errors="replace").strip()))
    return p.stdout


def gtext(*args, ok=False):
    out = git(*args, ok=ok)
    return None if out is None else out.decode("utf-8", errors="replace")


def blob(commit, path):
    return git("show", "%s:%s" % (commit, path), ok=True)


def is_ancestor(a, b):
    return subprocess.run(["git", "-C", REPO, "merge-base", "--is-ancestor", a, b], capture_output=True).returncode == 0


def finish():
    reward = 1 if checks and all(c["passed"] for c in checks) else 0
    os.makedirs("/logs/verifier", exist_ok=True)
    with open("/logs/verifier/reward.txt", "w") as fh:
        fh.write("%d\n" % reward)
    with open("/logs/verifier/reward.json", "w") as fh:
        json.dump({"reward": reward, "checks": checks}, fh, indent=1)
    for c in checks:
        print("%s %s %s" % ("PASS" if c["passed"] else "FAIL", c["name"], c["message"]))
    sys.exit(0)


def main():
    os.environ["GIT_CONFIG_GLOBAL"] = "/dev/null"
    subprocess.run(["git", "config", "--global", "--add", "safe.directory", "*"], capture_output=True)
    if not os.path.isdir(os.path.join(REPO, ".git")):
        check("repository", False, "%s is not a git repository any more" % REPO)
        return finish()
    tag = EXP["tag"]
    ver = EXP["version"]
    # --- the tag --------------------------------------------------------------------------
    kind = gtext("cat-file", "-t", "refs/tags/" + tag, ok=True)
    if not check("tag_exists", kind is not None, "expected tag %s" % tag):
        others = gtext("tag", "-l", EXP["tag_prefix"] + "/*") or ""
        check("tag_hint", False, "release tags present: %s" % " ".join(others.split()))
        return finish()
    if not check("tag_annotated", kind.strip() == "tag", "release tags must be annotated (got %s)" % kind.strip()):
        return finish()
    commit = gtext("rev-parse", tag + "^{commit}").strip()
    raw = gtext("cat-file", "tag", tag)
    msg = raw.split("\n\n", 1)[1] if "\n\n" in raw else ""
    lines = [l for l in msg.splitlines()]
    check("tag_title", lines and lines[0].strip() == "%s %s" % (EXP["package"], ver),
          "first line %r, want %r" % (lines[0] if lines else "", "%s %s" % (EXP["package"], ver)))
    fields = {}
    for l in lines[1:]:
        m = re.match(r"^([A-Za-z0-9-]+):\s*(.*)$", l.strip())
        if m:
            fields[m.group(1).lower()] = m.group(2).strip()
    # --- the tagged tree ------------------------------------------------------------------
    vtxt = blob(commit, EXP["version_file"])
    check("version_file", vtxt is not None and vtxt.decode().strip() == ver,
          "%s at the tag: %r, want %s" % (EXP["version_file"], vtxt.decode().strip() if vtxt else None, ver))
    subj = gtext("log", "-1", "--format=%s", commit).strip()
    body = gtext("log", "-1", "--format=%B", commit)
    check("release_commit", subj == "Release %s %s" % (EXP["package"], ver) and re.search(r"(?im)^change-type:\s*release\s*$", body or ""),
          "tagged commit subject %r" % subj)
    man = blob(commit, EXP["manifest"])
    if check("manifest_present", man is not None, EXP["manifest"]):
        rows = {}
        for l in man.decode().splitlines():
            if l.strip() and not l.startswith("#"):
                h, p = l.split("  ", 1)
                rows[p] = h
        want = {}
        for p in gtext("ls-tree", "-r", "--name-only", "-z", commit).split("\0"):
            if not p or p == EXP["manifest"] or any(fnmatch.fnmatch(p, x) for x in EXP.get("manifest_exclude", [])):
                continue
            want[p] = hashlib.sha256(git("show", "%s:%s" % (commit, p))).hexdigest()
        bad = sorted(p for p in set(rows) | set(want) if rows.get(p) != want.get(p))
        check("manifest_matches_tree", not bad, "paths differing: %s" % ", ".join(bad[:5]))
        check("tag_manifest_sha", fields.get("manifest-sha256") == hashlib.sha256(man).hexdigest(),
              "Manifest-SHA256 in the tag must be the sha256 of the manifest at the tag")
    cl = blob(commit, EXP["changelog"])
    if check("changelog_present", cl is not None, EXP["changelog"]):
        text = cl.decode()
        first = next((l for l in text.splitlines() if l.strip()), "")
        check("changelog_header", re.fullmatch(r"== %s %s \(\d{4}-\d{2}-\d{2}\) ==" % (re.escape(EXP["package"]), re.escape(ver)), first.strip()),
              "first line %r" % first)
        section = text.split("\n== ", 1)[0]
        got = set(re.findall(r"\[((?:NW-\d+)|no-ticket)\]", section))
        req, opt = set(EXP["tickets_required"]), set(EXP.get("tickets_optional", []))
        check("changelog_tickets", req <= got <= req | opt,
              "tickets in the new section: %s; required %s" % (sorted(got), sorted(req)))
        old = blob(EXP["orig_head"], EXP["changelog"])
        if old is not None:
            check("changelog_history_kept", text.rstrip().endswith(old.decode().rstrip()), "older sections must be kept below the new one")
    tickets = set(t.strip() for t in fields.get("tickets", "").split(",") if t.strip() and t.strip() != "none")
    req, opt = set(EXP["tickets_required"]), set(EXP.get("tickets_optional", []))
    check("tag_tickets", req <= tickets <= req | opt, "Tickets in the tag: %s" % sorted(tickets))
    check("check_passed", fields.get("check") == EXP["check"], "tag says Check: %s, want %s" % (fields.get("check"), EXP["check"]))
    # --- history and branches -------------------------------------------------------------
    check("history_preserved", is_ancestor(EXP["orig_head"], commit),
          "the release must build on the original %s head %s (no rewritten history)" % (EXP["base_branch"], EXP["orig_head"][:10]))
    br = gtext("rev-parse", "-q", "--verify", "refs/heads/" + EXP["base_branch"], ok=True)
    check("base_branch_at_release", br is not None and is_ancestor(commit, br.strip()),
          "the release commit must be on %s" % EXP["base_branch"])
    moved = [r for r, sha in EXP["orig_refs"].items() if (gtext("rev-parse", "-q", "--verify", r, ok=True) or "").strip() != sha]
    check("other_refs_untouched", not moved, "changed or deleted: %s" % ", ".join(moved))
    if EXP.get("release_branch"):
        rb = gtext("rev-parse", "-q", "--verify", "refs/heads/" + EXP["release_branch"], ok=True)
        check("release_branch", rb is not None and is_ancestor(commit, rb.strip()), "want branch %s at the release" % EXP["release_branch"])
    else:
        new = [b for b in gtext("for-each-ref", "--format=%(refname)", "refs/heads/release/").split()
               if b not in EXP["orig_refs"] and b != "refs/heads/" + EXP["base_branch"]]
        check("no_new_release_branch", not new, "patch releases create no branch (found %s)" % ", ".join(new))
    if EXP.get("only_files") is not None:
        changed = set(gtext("diff", "--name-only", EXP["orig_head"], commit).split())
        extra = sorted(changed - set(EXP["only_files"]))
        check("release_touches_only_release_files", not extra, "unexpected changes: %s" % ", ".join(extra))
    for sha, ctype in EXP.get("notes", {}).items():
        note = gtext("notes", "--ref=relx", "show", sha, ok=True) or ""
        got = re.findall(r"(?im)^change-type:\s*(\S+)\s*$", note)
        check("note_%s" % sha[:8], got and got[-1].lower() == ctype, "refs/notes/relx on %s: %r, want Change-Type: %s" % (sha[:10], note.strip(), ctype))
    if EXP.get("cherry_picks") is not None:
        since = EXP["orig_head"]
        picked = []
        for c in gtext("rev-list", "%s..%s" % (since, commit)).split():
            picked += re.findall(r"\(cherry picked from commit ([0-9a-f]{40})\)", gtext("log", "-1", "--format=%B", c))
        check("backports", sorted(set(picked)) == sorted(EXP["cherry_picks"]),
              "cherry-picked (with -x) %s, want %s" % (sorted(set(p[:10] for p in picked)), sorted(p[:10] for p in EXP["cherry_picks"])))
    for path, want in EXP.get("guarded", {}).items():
        got = (gtext("rev-parse", "-q", "--verify", "%s:%s" % (commit, path), ok=True) or "").strip()
        check("guarded:%s" % path, got == want, "must be unchanged at the release (reviewed files)")
    # --- relx receipt (process) -----------------------------------------------------------
    common = gtext("rev-parse", "--git-common-dir").strip()
    rpath = os.path.join(REPO, common) if not os.path.isabs(common) else common
    rec = None
    try:
        for line in open(os.path.join(rpath, "relx", "receipts.jsonl")):
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get("tag") == tag:
                rec = r
    except OSError:
        pass
    ok = False
    if rec:
        body = json.dumps({k: rec[k] for k in sorted(rec) if k != "seal"}, sort_keys=True).encode()
        ok = hmac.compare_digest(hmac.new(SEAL, body, hashlib.sha256).hexdigest(), rec.get("seal", "")) and rec.get("commit") == commit \
            and rec.get("check") == EXP["check"]
    check("relx_receipt", ok, "the tag must be cut by `relx cut` (sealed receipt for %s at %s)" % (tag, commit[:10]))
    # --- behaviour of the released code ---------------------------------------------------
    if EXP.get("hidden_tests"):
        tmp = tempfile.mkdtemp(prefix="relverify-")
        try:
            arc = git("archive", "--format=tar", commit)
            subprocess.run(["tar", "-x", "-C", tmp], input=arc, check=True)
            p = subprocess.run(["python3", os.path.join(HERE, EXP["hidden_tests"]), tmp], capture_output=True, text=True, timeout=300)
            out = (p.stdout + p.stderr).strip().splitlines()
            check("hidden_tests", p.returncode == 0, " | ".join(out[-6:]))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a crash is a failed verdict, never a silent pass
        check("verifier", False, "verifier error: %r" % (e,))
        finish()
