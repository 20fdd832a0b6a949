// The round-trip savings of the trial lifecycle keep their guarantees: `stat` asks the container
// runtime what a path is, `killAll(then)` stops every process before running `then` in the same
// exec, and `runVerifier` takes reward.txt from the copied /logs/verifier only when the copy
// holds it as a regular file (else it reads the sandbox, links followed).
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runVerifier, uploadTests, VERIFIER_RESET } from "../src/run/verifier.ts";
import { DockerProvider, type Sandbox } from "../src/sandbox/index.ts";
import { loadTask } from "../src/task/load.ts";

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sd-roundtrips-"));
  sandbox = await new DockerProvider().create({
    image: inject("testenvImage"),
    limits: { cpus: 1, memoryMb: 256, pids: 128, storageMb: 512, network: false },
    labels: { "skilldelta.run": `test-roundtrips-${process.pid}` },
  });
});
afterAll(async () => {
  await sandbox.destroy();
  await rm(dir, { recursive: true, force: true });
});

it("stat tells files, directories, links and special files apart, and missing paths", async () => {
  const made = await sandbox.exec("mkdir -p /root/d && echo hi > /root/f && ln -s /root/f /root/l && mkfifo /root/p", { timeoutSec: 30 });
  expect(made.exitCode, made.stderr).toBe(0);
  expect(await sandbox.stat("/root/f")).toEqual({ kind: "file", size: 3 });
  expect((await sandbox.stat("/root/d"))?.kind).toBe("directory");
  expect((await sandbox.stat("/root/l"))?.kind).toBe("symlink");
  expect((await sandbox.stat("/root/p"))?.kind).toBe("other");
  expect(await sandbox.stat("/root/missing")).toBeUndefined();
});

it("killAll(then) kills leftovers first, runs then once, and returns its exit code", async () => {
  // a leftover that would recreate a planted test if it survived the kill
  await sandbox.exec("mkdir -p /tests && setsid bash -c 'while true; do echo planted > /tests/evil; sleep 0.05; done' leftover >/dev/null 2>&1 < /dev/null & sleep 0.3", { timeoutSec: 30 });
  expect(await sandbox.killAll(VERIFIER_RESET)).toBe(0);
  await new Promise((r) => setTimeout(r, 300));
  // the pattern is split so this command's own cmdline does not match it
  const after = await sandbox.exec(`ls -A /logs/verifier; test -e /tests && echo tests-still-there; for p in /proc/[0-9]*; do case "$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)" in *"done leftove"[r]*) echo leftover-alive;; esac; done; true`, { timeoutSec: 30 });
  expect(after.stdout).toBe("");
  // a failing follow-up is reported, not retried as a failed kill
  expect(await sandbox.killAll("echo ran >> /root/then-count; exit 3")).toBe(3);
  expect((await sandbox.readFile("/root/then-count"))?.toString()).toBe("ran\n");
});

describe("runVerifier reads the reward", () => {
  const fixture = join(import.meta.dirname, "fixtures/reliability/trivial/trivial-nop");
  const withTest = async (script: string) => {
    const taskDir = await mkdtemp(join(tmpdir(), "sd-roundtrips-task-"));
    await cp(fixture, taskDir, { recursive: true });
    await writeFile(join(taskDir, "tests/test.sh"), `#!/bin/bash\n${script}\n`);
    const task = await loadTask(taskDir);
    expect(await sandbox.killAll(VERIFIER_RESET)).toBe(0);
    await uploadTests(sandbox, task);
    const out = await mkdtemp(join(dir, "trial-"));
    try {
      return { verdict: await runVerifier(sandbox, task, out, 1), out };
    } finally {
      await rm(taskDir, { recursive: true, force: true });
    }
  };

  it("from the copied reward.txt, and the copy is kept", async () => {
    const { verdict, out } = await withTest("echo 0.75 > /logs/verifier/reward.txt");
    expect(verdict).toEqual({ reward: 0.75, checks: [] });
    expect(await readFile(join(out, "verifier/reward.txt"), "utf8")).toBe("0.75\n");
  });

  it("reward.json wins over reward.txt", async () => {
    const { verdict } = await withTest(`echo 0 > /logs/verifier/reward.txt; echo '{"reward": 1, "chance": 0.5}' > /logs/verifier/reward.json`);
    expect(verdict).toEqual({ reward: 1, checks: [], chance: 0.5 });
  });

  it("a reward.txt link (not in the copy) is read through the sandbox", async () => {
    const { verdict, out } = await withTest("echo 0.5 > /root/real-reward; ln -s /root/real-reward /logs/verifier/reward.txt");
    expect(verdict).toEqual({ reward: 0.5, checks: [] });
    await expect(readFile(join(out, "verifier/reward.txt"))).rejects.toThrow();
  });

  it("neither file is a verifier error", async () => {
    const { verdict } = await withTest("true");
    expect(verdict.error).toBe("the verifier wrote neither reward.json nor reward.txt");
  });
});
