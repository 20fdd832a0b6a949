import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dockerClient } from "../src/sandbox/index.ts";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "harness/bin/skilldelta.js");
const TINY = join(import.meta.dirname, "fixtures/tasks/tiny");

const lines = async (file: string) => (await readFile(file, "utf8").catch(() => "")).split("\n").filter(Boolean);

describe("SIGKILL in the middle of a run", () => {
  let results: string;
  beforeAll(async () => { results = await mkdtemp(join(tmpdir(), "sd-kill-")); });
  afterAll(async () => { await rm(results, { recursive: true, force: true }); });

  it("keeps every finished trial, runs none twice, finishes the rest, leaves no container", { timeout: 600_000 }, async () => {
    const args = [CLI, "run", "--id", "killme", "--results", results, "--tasks", TINY, "--agents", "oracle,nop", "--conditions", "no-skill,curated", "-k", "3", "-c", "2", "-q", "--env-dir", ...inject("environmentsDirs")];
    const journal = join(results, "killme", "trials.jsonl");
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
    const deadline = Date.now() + 300_000;
    while ((await lines(journal)).length < 5) {
      if (Date.now() > deadline) throw new Error("run made no progress");
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const before = await readFile(journal, "utf8");
    // only newline-terminated lines are finished: a torn tail may end in an inner `}`
    const finishedBefore = before.split("\n").slice(0, -1).filter(Boolean).length;
    expect(finishedBefore).toBeGreaterThanOrEqual(5);
    expect(finishedBefore).toBeLessThan(24);
    // The run lock of the dead process does not block the resume.
    expect(await stat(join(results, "killme", ".lock")).then(() => true, () => false)).toBe(true);

    const resumed = await execa(process.execPath, [...args, "--json"], { cwd: ROOT, reject: false });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout) as { ran_now: number; resumed: number; status: string };
    expect(out.status).toBe("finished");
    expect(out.resumed).toBe(finishedBefore);
    expect(out.ran_now).toBe(24 - finishedBefore);

    const after = await readFile(journal, "utf8");
    expect(after.startsWith(before.slice(0, before.lastIndexOf("\n") + 1))).toBe(true); // finished lines untouched
    const records = after.trim().split("\n").map((l) => JSON.parse(l) as { key: string; outcome: string });
    expect(records).toHaveLength(24);
    expect(new Set(records.map((r) => r.key)).size).toBe(24); // none ran twice
    expect(records.filter((r) => r.outcome === "passed")).toHaveLength(12);
    expect(records.filter((r) => r.outcome === "failed")).toHaveLength(12);
    expect((await dockerClient().listContainers({ all: true, filters: { label: ["skilldelta.run=killme"] } })).length).toBe(0);
  });
});
