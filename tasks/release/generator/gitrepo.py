"""Deterministic git repositories for task data (fixed identities and dates => fixed hashes)."""
import os
import shutil
import subprocess

IDENT = {"GIT_AUTHOR_NAME": "Northwind Dev", "GIT_AUTHOR_EMAIL": "dev@northwind.example",
         "GIT_COMMITTER_NAME": "Northwind Dev", "GIT_COMMITTER_EMAIL": "dev@northwind.example"}
RELX = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "environments", "release", "northwind", "bin", "relx"))
NWLIB = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "environments", "release", "northwind", "lib", "python"))


class Repo:
    def __init__(self, path, t0=1700000000):
        if os.path.exists(path):
            shutil.rmtree(path)
        os.makedirs(path)
        self.path = path
        self.t = t0
        self.git("init", "-q", "--template=", "-b", "main")
        self.git("config", "user.name", "Northwind Dev")
        self.git("config", "user.email", "dev@northwind.example")
        self.git("config", "gc.auto", "0")
        self.git("config", "core.fileMode", "true")

    def env(self):
        self.t += 3600 * 7 + 1234
        d = "@%d +0000" % self.t
        e = dict(os.environ, **IDENT, GIT_AUTHOR_DATE=d, GIT_COMMITTER_DATE=d, TZ="UTC")
        e["PYTHONPATH"] = NWLIB
        e.pop("RELX_SKIP_CHECK", None)
        return e

    def git(self, *args, input=None):
        p = subprocess.run(["git", *args], cwd=self.path, env=self.env(), capture_output=True, text=True, input=input)
        if p.returncode != 0:
            raise RuntimeError("git %s: %s" % (args, p.stderr))
        return p.stdout.strip()

    def write(self, files):
        for rel, text in files.items():
            full = os.path.join(self.path, rel)
            if text is None:
                if os.path.exists(full):
                    os.remove(full)
                continue
            os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
            with open(full, "w") as fh:
                fh.write(text)

    def read(self, rel):
        with open(os.path.join(self.path, rel)) as fh:
            return fh.read()

    def commit(self, files, subject, body=None, trailers=None):
        self.write(files)
        self.git("add", "-A")
        msg = subject + "\n"
        if body:
            msg += "\n" + body + "\n"
        if trailers:
            msg += "\n" + "\n".join("%s: %s" % kv for kv in trailers) + "\n"
        self.git("commit", "-q", "-F", "-", input=msg)
        return self.head()

    def head(self):
        return self.git("rev-parse", "HEAD")

    def relx(self, *args):
        p = subprocess.run(["python3", RELX, *args], cwd=self.path, env=self.env(), capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("relx %s: %s %s" % (args, p.stdout, p.stderr))
        return p.stdout.strip()

    def release(self, package):
        """Cut a release with relx exactly as the house workflow says (used to build history)."""
        import tomllib
        cfg = tomllib.loads(self.read(".relx.toml"))
        ver = self.relx("next")
        self.write({cfg.get("version_file", "VERSION"): ver + "\n"})
        self.relx("changelog", "--write")
        self.git("add", "-A")
        self.relx("manifest", "--write")
        self.git("add", "-A")
        self.commit({}, "Release %s %s" % (package, ver), trailers=[("Change-Type", "release")])
        self.relx("cut")
        return ver

    def export(self, dest_worktree, dest_gitdir):
        """Copy the work tree and the git dir (as plain files) for COPY in a Dockerfile."""
        for d in (dest_worktree, dest_gitdir):
            if os.path.exists(d):
                shutil.rmtree(d)
        shutil.copytree(self.path, dest_worktree, ignore=shutil.ignore_patterns(".git"))
        gd = os.path.join(self.path, ".git")
        shutil.rmtree(os.path.join(gd, "logs"), ignore_errors=True)
        for f in ("COMMIT_EDITMSG", "ORIG_HEAD", "description"):
            if os.path.exists(os.path.join(gd, f)):
                os.remove(os.path.join(gd, f))
        shutil.copytree(gd, dest_gitdir)
