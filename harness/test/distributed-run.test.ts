import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, cp, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { packTrialDir, WORKER_FILE, type WorkerHeartbeat, type WorkerProvenance } from "../src/distributed/index.ts";
import { dockerClient } from "../src/sandbox/index.ts";
import type { TrialRecord } from "../src/run/index.ts";

/**
 * Distributed runs with real processes: Debian's redis-server on a loopback port, coordinators
 * and workers spawned through the CLI, trials in real containers. One run carries every fault
 * (a worker SIGKILLed mid-trial, the coordinator SIGKILLed and restarted, a worker whose tasks
 * differ from the lock) and must still equal a local run of the same config.
 */

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "harness/bin/skilldelta.js");
const TINY = join(import.meta.dirname, "fixtures/tasks/tiny");
const GRID = ["--tasks", TINY, "--agents", "oracle,nop", "--conditions", "no-skill,curated", "-k", "2"];
const TOTAL = 2 * 2 * 2 * 2;

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, stderr: () => err, exited };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const logs: Record<string, Proc> = {};
const dumpLogs = () => Object.entries(logs).map(([n, p]) => `--- ${n}\n${p.stderr().slice(-3000)}`).join("\n");

async function waitFor(what: string, cond: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${dumpLogs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Only newline-terminated lines count, as for the journal reader: a SIGKILL can cut a large
// record's write() after an inner `}`, and such a torn tail is dropped on resume.
const journalOf = async (file: string): Promise<TrialRecord[]> =>
  (await readFile(file, "utf8").catch(() => "")).split("\n").slice(0, -1).filter(Boolean).map((l) => JSON.parse(l) as TrialRecord);

const containersOf = async (runId: string) => dockerClient().listContainers({ all: true, filters: { label: [`skilldelta.run=${runId}`] } });

describe("distributed run through BullMQ on redis-server", () => {
  let dir: string;
  let url: string;
  const listWorkers = async (): Promise<WorkerHeartbeat[]> =>
    JSON.parse((await execa(process.execPath, [CLI, "workers", "--queue", url, "--json"], { cwd: ROOT })).stdout) as WorkerHeartbeat[];
  let redis: ChildProcess;
  const workers: Proc[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sd-dist-"));
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
    await waitFor("redis-server", async () => (await execa("redis-cli", ["-p", String(port), "ping"], { reject: false })).stdout === "PONG", 10_000);
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    redis?.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  });

  it("survives a SIGKILLed worker and a restarted coordinator, refuses a mismatched worker, and equals a local run", async () => {
    const envDirs = inject("environmentsDirs");
    const worker = (name: string, tasks: string) =>
      start(["worker", "--queue", url, "--tasks", tasks, "--env-dir", ...envDirs, "--name", name, "-c", "2", "--stall-ms", "4000", "--work-dir", join(dir, name)]);
    // a copy of the suite with one byte changed: its digests differ from the run's lock
    const changed = join(dir, "changed-tiny");
    await cp(TINY, changed, { recursive: true });
    await appendFile(join(changed, "tiny-echo", "instruction.md"), "\n");
    const [w1, w2, w3] = [worker("w1", TINY), worker("w2", TINY), worker("w3", changed)];
    workers.push(w1, w2, w3);
    Object.assign(logs, { w1, w2, w3 });

    const results = join(dir, "results");
    const coordArgs = ["run", "--queue", url, "--id", "dist", "--results", results, ...GRID, "--env-dir", ...envDirs, "--json", "-q"];
    const journal = join(results, "dist", "trials.jsonl");
    const c1 = start(coordArgs);
    logs.c1 = c1;

    // 1. SIGKILL w2 while it holds a trial container
    await waitFor("w2 to run a trial", async () => (await journalOf(journal)).length >= 1 && (await containersOf("dist")).some((c) => c.Labels["skilldelta.pid"] === String(w2.child.pid)));
    w2.child.kill("SIGKILL");
    await w2.exited;

    // the mismatched worker reports its refusal while the run is announced (a finished run's refusals are dropped)
    await waitFor("w3 to refuse", async () => (await listWorkers()).find((b) => b.id === "w3")?.refused_runs.dist !== undefined);
    expect((await listWorkers()).find((b) => b.id === "w3")!.refused_runs.dist).toMatch(/lock mismatch/);

    // 2. SIGKILL the coordinator half-way, then start it again: it resumes from journal and queue
    await waitFor("half of the run", async () => (await journalOf(journal)).length >= TOTAL / 2);
    c1.child.kill("SIGKILL");
    await c1.exited;
    const before = (await journalOf(journal)).length;
    const c2 = await execa(process.execPath, [CLI, ...coordArgs], { cwd: ROOT, reject: false, timeout: 150_000 });
    expect(c2.exitCode, c2.stderr).toBe(0);
    const out = JSON.parse(c2.stdout) as { status: string; ran_now: number; resumed: number };
    expect(out.status).toBe("finished");
    expect(out.resumed).toBe(before);
    expect(out.ran_now).toBe(TOTAL - before);

    // exact counts, every key once, first attempts only (a stalled re-run is not a second attempt)
    const records = await journalOf(journal);
    expect(records).toHaveLength(TOTAL);
    expect(new Set(records.map((r) => r.key)).size).toBe(TOTAL);
    expect(records.every((r) => r.attempt === 1)).toBe(true);
    expect(records.filter((r) => r.outcome === "passed").map((r) => r.agent)).toEqual(Array(TOTAL / 2).fill("oracle"));
    expect(records.filter((r) => r.outcome === "failed").map((r) => r.agent)).toEqual(Array(TOTAL / 2).fill("nop"));

    // provenance: only matching workers ran trials; w2's lost trial was re-queued by BullMQ and finished by w1
    const runDir = join(results, "dist");
    const prov = await Promise.all(records.map(async (r) => JSON.parse(await readFile(join(runDir, r.artifacts_dir, WORKER_FILE), "utf8")) as WorkerProvenance));
    expect(prov.every((p) => p.worker === "w1" || p.worker === "w2")).toBe(true);
    expect(prov.some((p) => p.worker === "w1" && p.stalled_requeues >= 1)).toBe(true);
    expect((await readdir(join(runDir, records[0]!.artifacts_dir))).sort()).toEqual(expect.arrayContaining(["trial.json", "verifier.log", WORKER_FILE]));

    // the mismatched worker said why and ran nothing
    expect(w3.stderr()).toMatch(/REFUSING run dist/);
    expect(w3.stderr()).toMatch(/task tiny-echo: content digest [0-9a-f]{12} ≠ lock [0-9a-f]{12}/);
    const beats = await listWorkers();
    expect(beats.find((b) => b.id === "w3")!.done).toBe(0);
    expect(beats.map((b) => b.id)).not.toContain("w2"); // its heartbeat expired

    // the killed worker's container was reaped, the finished run's queue removed
    expect(await containersOf("dist")).toHaveLength(0);
    const keys = (await execa("redis-cli", ["-u", url, "--scan", "--pattern", "skilldelta:sd-run-dist:*"])).stdout.trim();
    expect(keys).toBe("");

    // a worker stops cleanly on SIGTERM
    w1.child.kill("SIGTERM");
    w3.child.kill("SIGTERM");
    expect(await Promise.race([Promise.all([w1.exited, w3.exited]), new Promise((r) => setTimeout(() => r("hung"), 20_000))])).toEqual([0, 0]);

    // same config run locally: identical records apart from timings and ids of the run
    const local = await execa(process.execPath, [CLI, "run", "--id", "local", "--results", results, ...GRID, "-c", "4", "--env-dir", ...envDirs, "--json", "-q"], { cwd: ROOT, reject: false });
    expect(local.exitCode, local.stderr).toBe(0);
    const strip = ({ started_at: _s, finished_at: _f, timings_ms: _t, ...rest }: TrialRecord) => rest;
    const localByKey = new Map((await journalOf(join(results, "local", "trials.jsonl"))).map((r) => [r.key, strip(r)]));
    for (const r of records) expect(strip(r), r.key).toEqual(localByKey.get(r.key));
    const lockOf = async (id: string) => {
      const { config_digest: _c, ...rest } = (JSON.parse(await readFile(join(results, id, "run.json"), "utf8")) as { lock: Record<string, unknown> }).lock;
      return rest;
    };
    expect(await lockOf("dist")).toEqual(await lockOf("local"));

    // artefact volume per trial as shipped (gzipped tar of the trial directory)
    const sizes = await Promise.all(records.map(async (r) => (await packTrialDir(join(runDir, r.artifacts_dir))).bytes));
    console.log(`[distributed] artefacts per trial: mean ${Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length)} B, max ${Math.max(...sizes)} B (gzipped tar)`);
  }, 300_000);
});
