// SIGKILL of `skilldelta run --config <protocol run.toml>` inside each protocol phase (acquire,
// freeze with the learner mid-write, evaluate, analyse), a restart after each kill, and the end
// state compared with an uninterrupted run of the same config: nothing lost, nothing run twice,
// the same libraries, the same summary, no container left. The phase is read from the files the
// harness writes (protocol.json, journals, the learner's scratch output), never guessed by sleeping.
import { spawn, type ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerClient } from "../src/sandbox/index.ts";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "harness/bin/skilldelta.js");
const FIX = join(import.meta.dirname, "fixtures/kill-phases");

let work: string;
let results: string;
let scratch: string;
const pids: number[] = [];
const children: Child[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "sd-kill-phases-"));
  results = join(work, "results");
  // The learner's scratch folders go here (TMPDIR), so the test can see the half-written library.
  scratch = join(work, "scratch");
  await mkdir(join(scratch, "killed"), { recursive: true });
  await mkdir(join(scratch, "uninterrupted"), { recursive: true });
});
afterAll(async () => {
  // After a failure, children may still run: stop them and remove their containers before the files.
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) await kill(c);
  const docker = dockerClient();
  for (const pid of pids) {
    for (const info of await docker.listContainers({ all: true, filters: { label: [`skilldelta.pid=${pid}`] } })) await docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined);
  }
  await rm(work, { recursive: true, force: true });
});

interface Child {
  proc: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
}

function start(id: string): Child {
  const tmp = join(scratch, id);
  const proc = spawn(process.execPath, [CLI, "run", "--config", join(FIX, "run.toml"), "--results", results, "--id", id, "-q"], {
    cwd: FIX,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`, TMPDIR: tmp },
  });
  pids.push(proc.pid!);
  let err = "";
  proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  const child = { proc, exit, stderr: () => err };
  children.push(child);
  return child;
}

async function kill(c: Child): Promise<void> {
  c.proc.kill("SIGKILL");
  await c.exit;
}

/** Polls `probe` every 50 ms until it returns true; fails when the child exits first or after `ms`. */
async function until(c: Child, what: string, probe: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (c.proc.exitCode !== null) throw new Error(`the harness exited (${c.proc.exitCode}) before ${what}:\n${c.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const text = (f: string) => readFile(f, "utf8").catch(() => "");
// newline-terminated lines only: a SIGKILL can cut a record after an inner `}`
const complete = async (f: string) => (await text(f)).split("\n").slice(0, -1).filter(Boolean);
const state = async (id: string): Promise<Record<string, any>> => JSON.parse((await text(join(results, id, "protocol.json"))) || "{}");
const keys = (lines: string[]) => lines.map((l) => (JSON.parse(l) as { key: string }).key);

/** The summary without what legitimately differs between two runs: times, durations, the id. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !/(_at$|seconds|_ms$|^id$|elapsed|duration)/.test(k))
        .map(([k, x]) => [k, normalise(x)]),
    );
  }
  return v;
}

describe("SIGKILL of the harness in every protocol phase", () => {
  it("resumes after each kill with nothing lost, nothing run twice, the same libraries and summary as an uninterrupted run", { timeout: 300_000 }, async () => {
    // The reference run, alongside (its trials are independent of the killed run's).
    const reference = start("uninterrupted");
    const run = join(results, "killed");
    const acqJournal = join(run, "acquire/trials.jsonl");
    const evalJournal = join(run, "trials.jsonl");

    // 1. acquire: one of the two acquisition episodes journaled, the other running.
    let c = start("killed");
    await until(c, "the first acquisition episode", async () => (await complete(acqJournal)).length >= 1);
    await kill(c);
    const acqBefore = await complete(acqJournal);
    expect(acqBefore).toHaveLength(1);
    expect((await state("killed")).acquire).toBeUndefined();

    // 2. freeze: the learner has written a SKILL.md without frontmatter and pauses before finishing it.
    c = start("killed");
    let staleScratch = "";
    const halfWritten = async () => {
      for (const d of await readdir(join(scratch, "killed")).catch(() => [] as string[])) {
        if ((await text(join(scratch, "killed", d, "library/kappa-learned/SKILL.md"))).startsWith("half-written")) staleScratch = d;
      }
      return Boolean(staleScratch);
    };
    await until(c, "the learner's half-written library", halfWritten);
    // A second harness on the same run is refused while this one lives (it would run the learner again).
    const second = start("killed");
    expect(await second.exit).toBe(2);
    expect(second.stderr()).toMatch(/protocol\.lock: run is already in progress in process \d+/);
    expect(c.proc.exitCode).toBeNull();
    await kill(c);
    let s = await state("killed");
    expect(s.acquire?.episodes).toBe(2);
    expect(s.learned ?? {}).toEqual({});
    expect(s.freeze).toBeUndefined();
    expect(await text(join(run, "learned/self-evolved/kappa/kappa-learned/SKILL.md"))).toBe("");
    // As if the kill had landed while the output was being copied into learned/: a torn copy
    // that protocol.json does not vouch for must be replaced, never frozen.
    await mkdir(join(run, "learned/self-evolved/kappa/kappa-learned"), { recursive: true });
    await writeFile(join(run, "learned/self-evolved/kappa/kappa-learned/SKILL.md"), "half-written: no frontmatter yet\n");

    // 3. evaluate: one of the three evaluation trials journaled. (Meanwhile the learner's pause
    // has long passed: a learner that outlived the harness would have finished its SKILL.md.)
    c = start("killed");
    await until(c, "the first evaluation trial", async () => (await complete(evalJournal)).length >= 1);
    await kill(c);
    const evalBefore = await complete(evalJournal);
    expect(evalBefore.length).toBeGreaterThanOrEqual(1);
    expect(evalBefore.length).toBeLessThan(3);
    expect(await text(join(scratch, "killed", staleScratch, "library/kappa-learned/SKILL.md"))).toMatch(/^half-written/);
    s = await state("killed");
    expect(s.freeze).toBeDefined();
    expect(s.evaluate).toBeUndefined();

    // 4. analyse: analysis takes a few tens of milliseconds, too short to hit by polling. A FIFO
    // in place of the optional cells.jsonl (read by analysis only, never by the other phases)
    // holds the harness inside analyseRun until it is killed; it is removed before the restart.
    await promisify(execFile)("mkfifo", [join(run, "cells.jsonl")]);
    c = start("killed");
    await until(c, "the evaluate phase to finish", async () => Boolean((await state("killed")).evaluate));
    await new Promise((r) => setTimeout(r, 300));
    expect(c.proc.exitCode).toBeNull(); // blocked in analysis, not finished
    await kill(c);
    s = await state("killed");
    expect(s.analyse).toBeUndefined();
    expect(await text(join(run, "summary.json"))).toBe("");
    await rm(join(run, "cells.jsonl"));

    // 5. the last restart finishes.
    c = start("killed");
    expect(await c.exit, c.stderr()).toBe(0);
    expect(await reference.exit, reference.stderr()).toBe(0);

    const ref = join(results, "uninterrupted");
    const [done, refState] = [await state("killed"), await state("uninterrupted")];
    expect(Object.keys(done).filter((k) => ["acquire", "freeze", "evaluate", "analyse"].includes(k)).sort()).toEqual(["acquire", "analyse", "evaluate", "freeze"]);

    // Acquisition: each episode recorded once, none lost, the one finished before the kill untouched.
    const acq = await complete(acqJournal);
    expect(acq[0]).toBe(acqBefore[0]);
    expect(new Set(keys(acq)).size).toBe(acq.length);
    expect(keys(acq).sort()).toEqual(keys(await complete(join(ref, "acquire/trials.jsonl"))).sort());

    // Libraries: the learner call restarted cleanly; learned and frozen libraries equal the reference's.
    expect(done.learned["self-evolved|kappa"].digest).toBe(refState.learned["self-evolved|kappa"].digest);
    expect(done.freeze.libraries).toEqual(refState.freeze.libraries);
    expect(await text(join(run, "learned/self-evolved/kappa/kappa-learned/SKILL.md"))).toMatch(/^---\nname: kappa-learned\n/);
    const lock = async (dir: string) => (JSON.parse(await text(join(dir, "run.json"))) as { lock: { libraries: unknown } }).lock.libraries;
    expect(await lock(run)).toEqual(await lock(ref));

    // Evaluation: every trial exactly once; the lines journaled before the kill kept as they were.
    const ev = await complete(evalJournal);
    expect(ev.slice(0, evalBefore.length)).toEqual(evalBefore);
    expect(new Set(keys(ev)).size).toBe(ev.length);
    expect(keys(ev).sort()).toEqual(keys(await complete(join(ref, "trials.jsonl"))).sort());
    expect(ev.map((l) => (JSON.parse(l) as { outcome: string }).outcome)).toEqual(["passed", "passed", "passed"]);

    // Analysis: the same summary as the uninterrupted run, timings and id aside.
    const summary = async (dir: string) => normalise(JSON.parse(await text(join(dir, "summary.json"))));
    expect(await summary(run)).toEqual(await summary(ref));

    // No container of any harness process of this test is left (killed ones included).
    const docker = dockerClient();
    let left: string[] = [];
    for (let i = 0; i < 30; i++) {
      left = [];
      for (const pid of pids) {
        for (const info of await docker.listContainers({ all: true, filters: { label: [`skilldelta.pid=${pid}`] } })) left.push(`${info.Names[0]} (pid ${pid})`);
      }
      if (!left.length) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(left).toEqual([]);
  });
});
