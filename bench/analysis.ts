/**
 * Benchmark: analysis of 1,000,000 synthetic trials (250 tasks × 4 conditions × 10 agent
 * configs × 100 trials, 2% infra errors retried once, so ~1.02 M journal lines).
 * The journal is written to a temp dir first (timed apart); the analysis (`analyseRun`: stream
 * + validate the journal, statistics, summary.json and 250 task pages) then runs in a child
 * process so its wall time, CPU time and peak RSS are its own. Targets: < 15 s, < 1.5 GiB.
 *
 *   node bench/analysis.ts [--tasks 250 --agents 10 --trials 100] [--keep]
 *
 * The lead's `npm run bench` can also `import { runAnalysisBench }` and print its lines.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { analyseRun, syntheticRecords } from "../harness/src/analysis/index.ts";

export interface AnalysisBenchResult {
  trials: number;
  lines: number;
  journalMiB: number;
  writeSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssGiB: number;
  loadAverage: number;
  summaryMiB: number;
  lines_out: string[];
}

/** Writes the synthetic journal, analyses it in a child process, and returns the measurements. */
export async function runAnalysisBench(opts: { tasks?: number; agents?: number; trials?: number; keep?: boolean } = {}): Promise<AnalysisBenchResult> {
  const plan = {
    seed: 1, tasks: opts.tasks ?? 250, conditions: ["no-skill", "raw-trace", "curated", "self-evolved"], agents: opts.agents ?? 10, trials: opts.trials ?? 100,
    effect: { "raw-trace": 0.03, curated: 0.1, "self-evolved": 0.06 }, infraRate: 0.02,
  };
  const dir = await mkdtemp(join(tmpdir(), "skilldelta-bench-"));
  try {
    const t0 = performance.now();
    const out = createWriteStream(join(dir, "trials.jsonl"));
    for (const rec of syntheticRecords(plan)) if (!out.write(`${JSON.stringify(rec)}\n`)) await once(out, "drain");
    out.end();
    await once(out, "close");
    const writeSeconds = (performance.now() - t0) / 1000;
    const bytes = (await stat(join(dir, "trials.jsonl"))).size;
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", dir], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`analysis bench child failed:\n${child.stderr}`);
    const r = JSON.parse(child.stdout) as { wall: number; cpu: number; maxRssKiB: number; files: number; summaryBytes: number; trials: number; lines: number };
    const peakRssGiB = r.maxRssKiB / 1024 / 1024;
    const load = loadavg()[0]!;
    const lines_out = [
      `analysis bench: ${r.trials.toLocaleString("en")} trials (${r.lines.toLocaleString("en")} journal lines, ${(bytes / 2 ** 20).toFixed(0)} MiB) — ${plan.tasks} tasks × ${plan.conditions.length} conditions × ${plan.agents} agents × ${plan.trials} trials`,
      `  journal written in ${writeSeconds.toFixed(1)} s (not counted)`,
      `  analyse: wall ${r.wall.toFixed(2)} s (CPU ${r.cpu.toFixed(2)} s; load average ${load.toFixed(1)} on ${availableParallelism()} cores), peak RSS ${peakRssGiB.toFixed(2)} GiB (${r.files} files, summary.json ${(r.summaryBytes / 2 ** 20).toFixed(1)} MiB)`,
      `  targets: < 15 s ${r.wall < 15 ? "met" : "MISSED"}, < 1.5 GiB ${peakRssGiB < 1.5 ? "met" : "MISSED"}`,
    ];
    if (opts.keep) lines_out.push(`  kept ${dir}`);
    return {
      trials: r.trials, lines: r.lines, journalMiB: bytes / 2 ** 20, writeSeconds, wallSeconds: r.wall, cpuSeconds: r.cpu,
      peakRssGiB, loadAverage: load, summaryMiB: r.summaryBytes / 2 ** 20, lines_out,
    };
  } finally {
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
}

async function child(dir: string): Promise<void> {
  const t0 = performance.now();
  const r = await analyseRun(dir, { seed: 1 });
  const wall = (performance.now() - t0) / 1000;
  const ru = process.resourceUsage();
  const s = await stat(join(dir, "summary.json"));
  process.stdout.write(JSON.stringify({
    wall, cpu: (ru.userCPUTime + ru.systemCPUTime) / 1e6, maxRssKiB: ru.maxRSS, files: r.files.length, summaryBytes: s.size,
    trials: r.summary.run.journal.final_trials, lines: r.summary.run.journal.lines,
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === "--child") await child(args[1]!);
  else {
    const num = (name: string): number | undefined => {
      const i = args.indexOf(`--${name}`);
      return i >= 0 ? Number(args[i + 1]) : undefined;
    };
    const r = await runAnalysisBench({ tasks: num("tasks"), agents: num("agents"), trials: num("trials"), keep: args.includes("--keep") });
    for (const l of r.lines_out) console.log(l);
  }
}
