/**
 * Trial benchmarks: harness overhead per nop trial (`skilldelta run` vs the same container
 * work done by a shell script with the docker CLI) and throughput at several concurrencies.
 * Both use the trivial fixture task (nop agent, bash verifier) so only harness and Docker
 * costs are measured.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "harness/bin/skilldelta.js");
export const TRIVIAL = join(ROOT, "harness/test/fixtures/reliability/trivial");
export const FIXTURE_ENVS = join(ROOT, "harness/test/fixtures/environments");

interface Record_ { started_at: string; finished_at: string; outcome: string; timings_ms: Record<string, number> }

/** Runs `skilldelta run` on the trivial task; returns wall seconds and the journal records. */
export async function cliRun(results: string, id: string, trials: number, concurrency: number): Promise<{ wall: number; records: Record_[]; image: string }> {
  const t0 = performance.now();
  await run(process.execPath, [CLI, "run", "--id", id, "--results", results, "--tasks", TRIVIAL, "--agents", "nop", "--conditions", "no-skill", "-k", String(trials), "-c", String(concurrency), "-q", "--env-dir", FIXTURE_ENVS, "--json"], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  const lines = (await readFile(join(results, id, "trials.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record_);
  const runJson = JSON.parse(await readFile(join(results, id, "run.json"), "utf8")) as { lock: { tasks: Record<string, { image: string }> } };
  return { wall, records: lines, image: runJson.lock.tasks["trivial-nop"]!.image };
}

/** The same lifecycle with the docker CLI: create, start, mkdir, copy tests, exec verifier, read reward, remove. */
function shellScript(image: string, tests: string, trials: number): string {
  return `set -e
for i in $(seq 1 ${trials}); do
  cid=$(docker create --network none --cpus 1 --memory 256m --pids-limit 512 --init --label skilldelta.bench=1 ${image} sleep infinity)
  docker start "$cid" >/dev/null
  docker exec "$cid" mkdir -p /logs/agent /logs/verifier
  docker cp ${tests} "$cid":/tests
  docker exec "$cid" bash /tests/test.sh
  reward=$(docker exec "$cid" cat /logs/verifier/reward.txt)
  docker rm -f "$cid" >/dev/null
done
`;
}

export interface OverheadResult {
  trials: number;
  harness_seconds_per_trial: number;
  shell_seconds_per_trial: number;
  ratio: number;
  harness_phase_ms: Record<string, number>;
}

/** Overhead per nop trial at concurrency 1, harness vs shell, whole wall time including startup. */
export async function overheadBench(trials = 8): Promise<OverheadResult> {
  const dir = await mkdtemp(join(tmpdir(), "sd-bench-overhead-"));
  try {
    // warm-up: builds or finds the images so neither side pays for them
    const warm = await cliRun(dir, "warm", 1, 1);
    const harness = await cliRun(dir, "overhead", trials, 1);
    const script = join(dir, "shell.sh");
    await writeFile(script, shellScript(warm.image, join(TRIVIAL, "trivial-nop/tests"), trials));
    const t0 = performance.now();
    await run("bash", [script]);
    const shell = (performance.now() - t0) / 1000;
    const phases: Record<string, number> = {};
    for (const k of ["setup", "agent", "verifier", "teardown", "total"]) phases[k] = Math.round(harness.records.reduce((s, r) => s + (r.timings_ms[k] ?? 0), 0) / harness.records.length);
    return { trials, harness_seconds_per_trial: harness.wall / trials, shell_seconds_per_trial: shell / trials, ratio: harness.wall / shell, harness_phase_ms: phases };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ThroughputPoint {
  concurrency: number;
  trials: number;
  seconds: number;
  trials_per_min: number;
  scaling_vs_c1: number;
  infra_errors: number;
}

/** Trials per minute from the first trial's start to the last one's end (CLI start-up excluded). */
export async function throughputBench(levels: { concurrency: number; trials: number }[]): Promise<ThroughputPoint[]> {
  const dir = await mkdtemp(join(tmpdir(), "sd-bench-tput-"));
  const out: ThroughputPoint[] = [];
  try {
    await cliRun(dir, "warm", 1, 1);
    for (const { concurrency, trials } of levels) {
      const r = await cliRun(dir, `c${concurrency}`, trials, concurrency);
      const start = Math.min(...r.records.map((x) => Date.parse(x.started_at)));
      const end = Math.max(...r.records.map((x) => Date.parse(x.finished_at)));
      const seconds = (end - start) / 1000;
      const perMin = (r.records.length / seconds) * 60;
      out.push({ concurrency, trials: r.records.length, seconds, trials_per_min: perMin, scaling_vs_c1: out.length ? perMin / out[0]!.trials_per_min : 1, infra_errors: r.records.filter((x) => x.outcome === "infra_error").length });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
