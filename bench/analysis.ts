/**
 * Benchmark: analysis of 1,000,000 synthetic trials (250 tasks × 4 conditions × 10 agent
 * configs × 100 trials, 2% infra errors retried once, so ~1.02 M journal lines).
 * The journal is written to a temp dir first (timed apart); the analysis then runs in a child
 * process so its wall time and peak RSS are its own. Targets: < 15 s, < 1.5 GiB.
 *
 *   node bench/analysis.ts [--tasks 250 --agents 10 --trials 100] [--keep]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { analyseRun, syntheticRecords } from "../harness/src/analysis/index.ts";

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

if (args[0] === "--child") {
  const dir = args[1]!;
  const t0 = performance.now();
  const r = await analyseRun(dir, { seed: 1 });
  const wall = (performance.now() - t0) / 1000;
  const s = await stat(join(dir, "summary.json"));
  const ru = process.resourceUsage();
  process.stdout.write(JSON.stringify({ wall, cpu: (ru.userCPUTime + ru.systemCPUTime) / 1e6, maxRssKiB: ru.maxRSS, files: r.files.length, summaryBytes: s.size, trials: r.summary.run.journal.final_trials, lines: r.summary.run.journal.lines }));
} else {
  const plan = { seed: 1, tasks: flag("tasks", 250), conditions: ["no-skill", "raw-trace", "curated", "self-evolved"], agents: flag("agents", 10), trials: flag("trials", 100), effect: { "raw-trace": 0.03, curated: 0.1, "self-evolved": 0.06 }, infraRate: 0.02 };
  const dir = await mkdtemp(join(tmpdir(), "skilldelta-bench-"));
  const t0 = performance.now();
  const out = createWriteStream(join(dir, "trials.jsonl"));
  let lines = 0;
  for (const rec of syntheticRecords(plan)) {
    lines++;
    if (!out.write(`${JSON.stringify(rec)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
  const writeS = (performance.now() - t0) / 1000;
  const bytes = (await stat(join(dir, "trials.jsonl"))).size;
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", dir], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) {
    process.stderr.write(child.stderr);
    process.exit(1);
  }
  const r = JSON.parse(child.stdout) as { wall: number; cpu: number; maxRssKiB: number; files: number; summaryBytes: number; trials: number; lines: number };
  const gib = r.maxRssKiB / 1024 / 1024;
  console.log(`analysis bench: ${r.trials.toLocaleString("en")} trials (${r.lines.toLocaleString("en")} journal lines, ${(bytes / 2 ** 20).toFixed(0)} MiB) — ${plan.tasks} tasks × ${plan.conditions.length} conditions × ${plan.agents} agents × ${plan.trials} trials`);
  console.log(`  journal written in ${writeS.toFixed(1)} s (not counted)`);
  console.log(`  analyse: wall ${r.wall.toFixed(2)} s (CPU ${r.cpu.toFixed(2)} s, load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores), peak RSS ${gib.toFixed(2)} GiB (${r.files} files, summary.json ${(r.summaryBytes / 2 ** 20).toFixed(1)} MiB)`);
  console.log(`  targets: < 15 s ${r.wall < 15 ? "met" : "MISSED"}, < 1.5 GiB ${gib < 1.5 ? "met" : "MISSED"}`);
  if (!args.includes("--keep")) await rm(dir, { recursive: true, force: true });
  else console.log(`  kept ${dir}`);
  void lines;
}
