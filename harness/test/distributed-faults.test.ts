import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WORKER_FILE, type WorkerHeartbeat, type WorkerProvenance } from "../src/distributed/index.ts";
import { alive, CLI, exitCode, freePort, journalOf, ROOT, start, startRedis, TINY, waitFor, type Proc } from "./distributed-procs.ts";

/**
 * Redis restarted in the middle of a distributed run (issue 10): redis-server persists the queue
 * with an append-only file, as docs/scaling.md sets it up for production; it is stopped with
 * SIGTERM while trials run and started again on the same port. The coordinator and both workers
 * must reconnect by themselves and the run must finish with every trial exactly once.
 */

const procs: Record<string, Proc> = {};

describe("distributed run across a Redis restart", () => {
  let dir: string;
  let port: number;
  let url: string;
  const redisArgs = ["--appendonly", "yes"];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sd-faults-"));
    port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    procs.redis = await startRedis(port, dir, redisArgs);
  });

  afterAll(async () => {
    for (const p of Object.values(procs)) if (alive(p)) p.child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("coordinator and workers reconnect; exact counts, no duplicates, no infra errors", async () => {
    const envDirs = inject("environmentsDirs");
    const results = join(dir, "results");
    const journal = join(results, "faults", "trials.jsonl");
    const total = 2 * 2 * 2 * 2;
    for (const name of ["w1", "w2"]) {
      procs[name] = start(["worker", "--queue", url, "--tasks", TINY, "--env-dir", ...envDirs, "--name", name, "-c", "1", "--work-dir", join(dir, name)]);
    }
    procs.coordinator = start(["run", "--queue", url, "--id", "faults", "--results", results, "--tasks", TINY, "--agents", "oracle,nop", "--conditions", "no-skill,curated", "-k", "2", "--env-dir", ...envDirs, "--json", "-q"]);

    // stop Redis while trials run (graceful: it writes the AOF), keep it down, start it again on the same port
    await waitFor("a few trials", async () => (await journalOf(journal)).length >= 3, procs);
    const firstPid = procs.redis!.child.pid;
    procs.redis!.child.kill("SIGTERM");
    expect(await procs.redis!.exited).toBe(0);
    const downAt = (await journalOf(journal)).length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await stat(join(dir, "appendonlydir")).then((s) => s.isDirectory())).toBe(true);
    procs.redis = await startRedis(port, dir, redisArgs);
    const restartedAt = new Date().toISOString();
    expect(procs.redis.child.pid).not.toBe(firstPid);

    const code = await exitCode("coordinator", procs);
    expect(code, procs.coordinator.stderr()).toBe(0);
    const out = JSON.parse(procs.coordinator.stdout()) as { status: string; ran_now: number; resumed: number; outcomes: Record<string, number> };
    expect(out).toMatchObject({ status: "finished", ran_now: total, resumed: 0 });
    expect(out.outcomes).toEqual({ passed: total / 2, failed: total / 2 });
    expect(downAt).toBeLessThan(total);

    // every trial once, as its first attempt: nothing was lost, re-run or turned into an infra error
    const records = await journalOf(journal);
    expect(records).toHaveLength(total);
    expect(new Set(records.map((r) => r.key)).size).toBe(total);
    expect(records.every((r) => r.attempt === 1)).toBe(true);
    expect(records.filter((r) => r.outcome === "passed").every((r) => r.agent === "oracle")).toBe(true);
    expect(records.filter((r) => r.outcome === "failed").every((r) => r.agent === "nop")).toBe(true);

    // both workers took trials after the restart, i.e. both reconnected by themselves
    const prov = await Promise.all(records.map(async (r) => JSON.parse(await readFile(join(results, "faults", r.artifacts_dir, WORKER_FILE), "utf8")) as WorkerProvenance));
    for (const w of ["w1", "w2"]) expect(prov.filter((p) => p.worker === w && p.started_at > restartedAt).length, `${w} after the restart`).toBeGreaterThan(0);
    const listWorkers = async () => JSON.parse((await execa(process.execPath, [CLI, "workers", "--queue", url, "--json"], { cwd: ROOT })).stdout) as WorkerHeartbeat[];
    // heartbeats are written every 5 s, so the last trials may show up one beat later
    let beats: WorkerHeartbeat[] = [];
    await waitFor("heartbeats to count every trial", async () => (beats = await listWorkers()).reduce((n, b) => n + b.done, 0) >= total, procs, 15_000);
    expect(beats.map((b) => b.id).sort()).toEqual(["w1", "w2"]);
    expect(beats.reduce((n, b) => n + b.done, 0)).toBe(total);
    expect(beats.every((b) => b.failed === 0)).toBe(true);

    for (const name of ["w1", "w2"]) procs[name]!.child.kill("SIGTERM");
    expect(await Promise.all([procs.w1!.exited, procs.w2!.exited])).toEqual([0, 0]);
    console.log(`[faults] Redis down for 3 s after ${downAt}/${total} trials; the run finished with ${records.length} records`);
  }, 240_000);
});
