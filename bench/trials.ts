/**
 * Trial benchmarks: harness overhead per nop trial (`skilldelta run` vs the same container
 * work done by a shell script with the docker CLI) and throughput at several concurrencies.
 * Both use the trivial fixture task (nop agent, bash verifier) so only harness and Docker
 * costs are measured.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
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

/**
 * The plain script plus the work the harness does on top for a nop trial, each step with the
 * docker CLI: one exec that stops leftover processes and empties /tests and /logs/verifier,
 * the health inspect with the writable-layer size, \`docker diff\` for the final state, and
 * /logs/verifier copied out (the reward is read from that copy).
 */
function shellScriptWithExtras(image: string, tests: string, trials: number, out: string): string {
  return `set -e
for i in $(seq 1 ${trials}); do
  cid=$(docker create --network none --cpus 1 --memory 256m --pids-limit 512 --init --label skilldelta.bench=1 ${image} sleep infinity)
  docker start "$cid" >/dev/null
  docker exec "$cid" mkdir -p /logs/agent /logs/verifier
  docker exec "$cid" bash -c 'for p in /proc/[0-9]*; do p=\${p#/proc/}; { [ "\$p" = 1 ] || [ "\$p" = "\$\$" ]; } && continue; a0=; IFS= read -r -d "" a0 < /proc/\$p/cmdline; [ "\$a0" = sleep ] && continue; kill -9 "\$p"; done 2>/dev/null; rm -rf /logs/verifier /tests && mkdir -p /logs/verifier'
  docker inspect --size "$cid" >/dev/null
  docker diff "$cid" > ${out}/diff-$i.txt
  docker cp ${tests} "$cid":/tests
  docker exec "$cid" bash /tests/test.sh
  docker cp "$cid":/logs/verifier ${out}/verifier-$i
  reward=$(cat ${out}/verifier-$i/reward.txt)
  docker rm -f "$cid" >/dev/null
done
`;
}

export interface OverheadRound {
  load_average: number;
  harness_wall_seconds: number;
  /** CLI launch → first trial started */
  harness_startup_seconds: number;
  /** first trial started → last trial finished */
  harness_trials_seconds: number;
  shell_seconds: number;
  shell_extras_seconds: number;
}

export interface OverheadResult {
  trials: number;
  rounds: number;
  /** medians over the rounds, per trial */
  harness_seconds_per_trial: number;
  shell_seconds_per_trial: number;
  /** median over rounds of harness wall / plain-script wall (the figure the target is for) */
  ratio: number;
  breakdown: {
    /** CLI start-up (module loading, Docker probe, image check, lock) spread over the trials */
    harness_startup_seconds_per_trial: number;
    /** the trials themselves, first start → last finish, per trial */
    harness_trials_seconds_per_trial: number;
    /** what is left of the wall time: run summary, exit */
    harness_tail_seconds_per_trial: number;
    /** harness trials only (no start-up, no tail) / plain script */
    ratio_trials_only: number;
    /** the script doing the harness's extra work too (see shellScriptWithExtras) */
    shell_extras_seconds_per_trial: number;
    /** harness wall / script with the extra work */
    ratio_like_for_like: number;
  };
  harness_phase_ms: Record<string, number>;
  per_round: OverheadRound[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function timeScript(file: string, text: string): Promise<number> {
  await writeFile(file, text);
  const t0 = performance.now();
  await run("bash", [file]);
  return (performance.now() - t0) / 1000;
}

/**
 * Overhead per nop trial at concurrency 1: `rounds` rounds, each running the harness (wall time
 * including CLI start-up), the plain docker CLI script and the script with the harness's extra
 * work, in rotating order so load drift hits all three alike; medians are reported.
 */
export async function overheadBench(trials = 8, rounds = 3): Promise<OverheadResult> {
  const dir = await mkdtemp(join(tmpdir(), "sd-bench-overhead-"));
  try {
    // warm-up: builds or finds the images so neither side pays for them
    const warm = await cliRun(dir, "warm", 1, 1);
    const tests = join(TRIVIAL, "trivial-nop/tests");
    const per: OverheadRound[] = [];
    const records: Record_[] = [];
    for (let r = 0; r < rounds; r++) {
      const round: Partial<OverheadRound> = { load_average: loadavg()[0] };
      const steps = [
        async () => {
          const launched = Date.now();
          const h = await cliRun(dir, `overhead-${r}`, trials, 1);
          const first = Math.min(...h.records.map((x) => Date.parse(x.started_at)));
          const last = Math.max(...h.records.map((x) => Date.parse(x.finished_at)));
          records.push(...h.records);
          Object.assign(round, { harness_wall_seconds: h.wall, harness_startup_seconds: (first - launched) / 1000, harness_trials_seconds: (last - first) / 1000 });
        },
        async () => (round.shell_seconds = await timeScript(join(dir, "shell.sh"), shellScript(warm.image, tests, trials))),
        async () => {
          const out = join(dir, `extras-${r}`);
          await mkdir(out);
          round.shell_extras_seconds = await timeScript(join(dir, "shell-extras.sh"), shellScriptWithExtras(warm.image, tests, trials, out));
        },
      ];
      for (let i = 0; i < steps.length; i++) await steps[(i + r) % steps.length]!();
      per.push(round as OverheadRound);
    }
    const m = (f: (x: OverheadRound) => number) => median(per.map(f)) / trials;
    const phases: Record<string, number> = {};
    for (const k of ["setup", "agent", "verifier", "teardown", "total"]) phases[k] = Math.round(median(records.map((x) => x.timings_ms[k] ?? 0)));
    // stopping leftovers and the health check fall between the agent and verifier phases
    phases.between_phases = Math.round(median(records.map((x) => (x.timings_ms.total ?? 0) - ["setup", "agent", "verifier", "teardown"].reduce((s, k) => s + (x.timings_ms[k] ?? 0), 0))));
    return {
      trials,
      rounds,
      harness_seconds_per_trial: m((x) => x.harness_wall_seconds),
      shell_seconds_per_trial: m((x) => x.shell_seconds),
      ratio: median(per.map((x) => x.harness_wall_seconds / x.shell_seconds)),
      breakdown: {
        harness_startup_seconds_per_trial: m((x) => x.harness_startup_seconds),
        harness_trials_seconds_per_trial: m((x) => x.harness_trials_seconds),
        harness_tail_seconds_per_trial: m((x) => x.harness_wall_seconds - x.harness_startup_seconds - x.harness_trials_seconds),
        ratio_trials_only: median(per.map((x) => x.harness_trials_seconds / x.shell_seconds)),
        shell_extras_seconds_per_trial: m((x) => x.shell_extras_seconds),
        ratio_like_for_like: median(per.map((x) => x.harness_wall_seconds / x.shell_extras_seconds)),
      },
      harness_phase_ms: phases,
      per_round: per,
    };
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
