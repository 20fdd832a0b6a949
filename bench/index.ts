/**
 * `npm run bench`: one run on this machine, printing ratios that compare like with like, and
 * writing every figure to bench/results.json.
 *
 * - harness overhead per nop trial: `skilldelta run` vs a shell script doing the same
 *   container work with the docker CLI (ratio; target ≤ 1.0);
 * - throughput at concurrency 1, 2, 4, 8 (trials/min) and scaling vs concurrency 1;
 * - bench/analysis.ts (1 M trials) and bench/site.ts (100 k-trial site build), their own figures;
 * - image cache: second environment / task image build with nothing changed vs the first;
 * - cli: start-up time of `skilldelta --version`, `--help`, `tasks list --json` (bench/cli.ts, median).
 *
 *   node bench/index.ts [--quick] [--skip analysis,site] [--only overhead]
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { cliStartupBench } from "./cli.ts";
import { imageCacheBench } from "./images.ts";
import { overheadBench, throughputBench } from "./trials.ts";

const run = promisify(execFile);
const HERE = import.meta.dirname;
const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, skip: { type: "string", default: "" }, only: { type: "string", default: "" } } });
const skip = new Set(values.skip.split(",").filter(Boolean));
// --only overhead: that section alone, printed and not written to results.json (a partial run
// must not replace the figures of a full one)
const only = values.only;
if (only && only !== "overhead") throw new Error(`--only knows one section, overhead; got "${only}"`);
const quick = values.quick;

const results: Record<string, unknown> = {
  at: new Date().toISOString(),
  host: { cpus: availableParallelism(), load_average_at_start: loadavg()[0], node: process.version },
  note: "one run on a shared machine; figures move with the load average (recorded at the start and per section)",
};
const say = (line: string) => process.stdout.write(`${line}\n`);
const f = (x: number, d = 2) => x.toFixed(d);

/** Runs another bench script as a child process, keeping its own printed figures. */
async function child(script: string, timeoutMs: number): Promise<{ ok: boolean; seconds: number; output: string[] }> {
  const t0 = performance.now();
  try {
    const { stdout } = await run(process.execPath, [join(HERE, script)], { cwd: join(HERE, ".."), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, seconds: (performance.now() - t0) / 1000, output: stdout.trim().split("\n") };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, seconds: (performance.now() - t0) / 1000, output: [...(e.stdout ?? "").trim().split("\n"), `failed: ${(e.stderr ?? e.message).trim().split("\n").slice(-3).join(" / ")}`] };
  }
}

say("SkillDelta bench");
say(`host: ${availableParallelism()} CPU(s), load average ${f(loadavg()[0] ?? 0)}\n`);

const overhead = await overheadBench(quick ? 4 : 8, quick ? 2 : 3);
results.overhead = { ...overhead, load_average: loadavg()[0] };
const b = overhead.breakdown;
say(`harness overhead per nop trial (concurrency 1, ${overhead.rounds} rounds × ${overhead.trials} trials, medians, wall time incl. start-up):`);
say(`  skilldelta run ${f(overhead.harness_seconds_per_trial)} s/trial, docker CLI script ${f(overhead.shell_seconds_per_trial)} s/trial → ratio ${f(overhead.ratio)} (target ≤ 1.0)`);
say(`  harness = start-up ${f(b.harness_startup_seconds_per_trial)} + trials ${f(b.harness_trials_seconds_per_trial)} + tail ${f(b.harness_tail_seconds_per_trial)} s/trial; trials only vs script → ratio ${f(b.ratio_trials_only)}`);
// The extras script does what a trial that leaves processes behind or deletes image files still
// costs the harness (kill exec, docker diff); a clean nop trial now skips both.
say(`  script also doing the harness's worst-case extra work (kill+reset exec, inspect --size, docker diff, copy /logs/verifier out) ${f(b.shell_extras_seconds_per_trial)} s/trial → ratio ${f(b.ratio_like_for_like)} (an upper bound of the extra work; a clean nop trial skips the kill exec and docker diff)`);
say(`  harness phases (median ms): ${Object.entries(overhead.harness_phase_ms).map(([k, v]) => `${k} ${v}`).join(", ")}`);
for (const [i, r] of overhead.per_round.entries()) {
  say(`  round ${i + 1} (load ${f(r.load_average, 1)}): harness ${f(r.harness_wall_seconds / overhead.trials)} (start-up ${f(r.harness_startup_seconds, 1)} s), script ${f(r.shell_seconds / overhead.trials)}, script with extras ${f(r.shell_extras_seconds / overhead.trials)} s/trial`);
}
say("");
if (only === "overhead") process.exit(0);
const levels = [1, 2, 4, 8].map((c) => ({ concurrency: c, trials: quick ? 2 * c : Math.max(8, 3 * c) }));
const tput = await throughputBench(levels);
results.throughput = { points: tput, load_average: loadavg()[0] };
say("throughput (nop trials, first start → last finish):");
for (const p of tput) say(`  concurrency ${p.concurrency}: ${p.trials} trials in ${f(p.seconds, 1)} s = ${f(p.trials_per_min, 1)} trials/min, scaling ×${f(p.scaling_vs_c1)} vs c=1, ${p.infra_errors} infra error(s)`);
say("");

for (const [name, script, limit] of [["analysis", "analysis.ts", 240_000], ["site", "site.ts", 300_000]] as const) {
  if (skip.has(name) || !existsSync(join(HERE, script))) {
    results[name] = { skipped: true };
    say(`${name}: skipped\n`);
    continue;
  }
  const r = await child(script, limit);
  results[name] = { ...r, load_average: loadavg()[0] };
  say(`${name} (bench/${script}, ${f(r.seconds, 1)} s wall${r.ok ? "" : ", FAILED"}):`);
  for (const line of r.output) say(`  ${line}`);
  say("");
}

const cache = await imageCacheBench();
results.image_cache = { ...cache, load_average: loadavg()[0] };
say("image cache (nothing changed on the second build):");
say(`  environment: first ${f(cache.env_first_seconds)} s, second ${f(cache.env_second_seconds)} s → ratio ${f(cache.env_ratio, 3)}`);
say(`  task image:  first ${f(cache.task_first_seconds)} s, second ${f(cache.task_second_seconds)} s → ratio ${f(cache.task_ratio, 3)}`);

const cli = cliStartupBench(quick ? 5 : 10);
results.cli = cli;
say(`\nCLI start-up (median wall time, spawn to exit, load average ${f(cli.load_average)}):`);
for (const p of cli.points) say(`  ${p.command}: ${p.median_ms} ms (min ${p.min_ms}, max ${p.max_ms}, ${p.runs} runs)`);

await writeFile(join(HERE, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
say(`\nwrote bench/results.json`);
