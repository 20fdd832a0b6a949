import { describe, expect, it } from "vitest";
import { classifyChanges, isRuntimePath, isToolchainPath } from "../src/run/index.ts";
import { separateVerifierFor } from "../src/run/index.ts";
import { diffJson, entryProblem } from "../src/submit/index.ts";

describe("final-state rules", () => {
  it("withholds toolchain paths, ignores runtime paths, keeps the agent's work", () => {
    for (const p of ["/usr/bin/python3", "/bin/bash", "/lib/x86_64-linux-gnu/libc.so.6", "/etc/ld.so.preload", "/etc/python3.11/sitecustomize.py", "/etc/alternatives/python3", "/root/.local/lib/python3.11/site-packages/x.py", "/srv/app/sitecustomize.py", "/opt/tool/zz.pth"]) expect(isToolchainPath(p), p).toBe(true);
    for (const p of ["/root/out.txt", "/opt/northwind/data.csv", "/srv/out", "/tmp/x", "/usrx/file", "/etc/ssh/sshd_config", "/etc/sudoers", "/etc/northwind/whq/checks.d/x"]) expect(isToolchainPath(p), p).toBe(false);
    for (const p of ["/proc/1", "/tests/test.sh", "/logs/verifier/reward.txt", "/skills/a/SKILL.md", "/usr/sbin/docker-init"]) expect(isRuntimePath(p), p).toBe(true);
  });

  it("archives leaves only, judging parents against every change (runtime ones included)", () => {
    const c = classifyChanges([
      { path: "/usr", kind: "modified" }, { path: "/usr/sbin", kind: "modified" }, { path: "/usr/sbin/docker-init", kind: "added" },
      { path: "/root", kind: "modified" }, { path: "/root/out.txt", kind: "added" }, { path: "/root/.profile", kind: "deleted" },
      { path: "/srv/empty", kind: "added" }, { path: "/usr/bin", kind: "modified" }, { path: "/usr/bin/python3.11", kind: "modified" },
      { path: "/logs/verifier", kind: "added" }, { path: "/logs/verifier/reward.txt", kind: "added" }, { path: "/logs", kind: "added" },
    ]);
    expect(c).toEqual({ archive: ["/root/out.txt", "/srv/empty"], deleted: ["/root/.profile"], withheld: ["/usr/bin/python3.11"] });
  });

  it("trap tasks default to a separate verifier; the task's flag and the run's flag decide", () => {
    const task = (role: string, flag?: boolean) => ({ role, config: { metadata: flag === undefined ? {} : { separate_verifier: flag } } }) as never;
    expect(separateVerifierFor({ task: task("trap") })).toBe(true);
    expect(separateVerifierFor({ task: task("trap", false) })).toBe(false);
    expect(separateVerifierFor({ task: task("core") })).toBe(false);
    expect(separateVerifierFor({ task: task("core", true) })).toBe(true);
    expect(separateVerifierFor({ task: task("core"), separateVerifier: true })).toBe(true);
  });
});

describe("bundle screening", () => {
  it("names what is wrong with an entry", () => {
    expect(entryProblem("/etc/passwd", "File")).toMatch(/absolute path/);
    expect(entryProblem("run/../../x", "File")).toMatch(/path traversal/);
    expect(entryProblem("run/x", "SymbolicLink")).toMatch(/symbolic link/);
    expect(entryProblem("run/x", "Link")).toMatch(/hard link/);
    expect(entryProblem("run/x", "CharacterDevice")).toMatch(/only files and directories/);
    expect(entryProblem("run/x.json", "File")).toBeUndefined();
  });

  it("diffJson lists the paths that differ", () => {
    expect(diffJson({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toEqual(["b.c.1: 2 ≠ 3"]);
    expect(diffJson({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
