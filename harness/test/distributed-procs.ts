import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import type { TrialRecord } from "../src/run/index.ts";

/**
 * Real processes for the distributed tests (distributed-registry, distributed-faults): the CLI
 * as coordinator and workers, Debian's redis-server and docker-registry on loopback ports.
 */

export const ROOT = join(import.meta.dirname, "../..");
export const CLI = join(ROOT, "harness/bin/skilldelta.js");
export const TINY = join(import.meta.dirname, "fixtures/tasks/tiny");

export interface Proc {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Spawns a program (the CLI when `file` is omitted), capturing its output. */
export function start(args: string[], file = process.execPath): Proc {
  const child = spawn(file, file === process.execPath ? [CLI, ...args] : args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  let out = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, stderr: () => err, stdout: () => out, exited };
}

export const alive = (p: Proc): boolean => p.child.exitCode === null && p.child.signalCode === null;

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Polls `cond` every 200 ms; on timeout throws with the tail of every process's stderr. */
export async function waitFor(what: string, cond: () => Promise<boolean>, procs: Record<string, Proc>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${Object.entries(procs).map(([n, p]) => `--- ${n}\n${p.stderr().slice(-3000)}`).join("\n")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The exit code of `p`, or a failure with every process's stderr tail after `ms`. */
export async function exitCode(name: string, procs: Record<string, Proc>, ms = 150_000): Promise<number | null> {
  const p = procs[name]!;
  await waitFor(`${name} to exit`, async () => !alive(p), procs, ms);
  return p.exited;
}

/** Newline-terminated records only: a SIGKILL can cut a record's write() after an inner `}`. */
export const journalOf = async (file: string): Promise<TrialRecord[]> =>
  (await readFile(file, "utf8").catch(() => "")).split("\n").slice(0, -1).filter(Boolean).map((l) => JSON.parse(l) as TrialRecord);

/** redis-server on a loopback port with its files in `dir`; extra args e.g. `--appendonly yes`. */
export async function startRedis(port: number, dir: string, extra: string[] = []): Promise<Proc> {
  const p = start(["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir, ...extra], "redis-server");
  await waitFor("redis-server", async () => (await execa("redis-cli", ["-p", String(port), "ping"], { reject: false })).stdout === "PONG", { redis: p }, 10_000);
  return p;
}

/** A record without what legitimately differs between two runs of the same config. */
export const stripTimes = ({ started_at: _s, finished_at: _f, timings_ms: _t, ...rest }: TrialRecord) => rest;
