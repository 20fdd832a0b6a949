/**
 * Site build benchmark: synthesises a 100,000-trial results set (100 tasks × 10 agents ×
 * 4 conditions × 25 trials; SYNTHETIC, in a temp dir, never under results/) through the real
 * analysis code path, builds the site against it and prints wall seconds, peak RSS of the
 * build process and output size.
 *
 *   node bench/site.ts [--tasks 100 --agents 10 --trials 25 --resamples 2000 --keep]
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeSyntheticRun } from "../site/tools/fixture.ts";
import { buildSite } from "../site/tools/build.ts";

const { values: args } = parseArgs({
  options: { tasks: { type: "string", default: "100" }, agents: { type: "string", default: "10" }, trials: { type: "string", default: "25" }, resamples: { type: "string", default: "2000" }, keep: { type: "boolean", default: false } },
});
const plan = {
  seed: 42, tasks: Number(args.tasks), agents: Number(args.agents), trials: Number(args.trials),
  conditions: ["no-skill", "raw-trace", "curated", "self-evolved"], effect: { "raw-trace": 0.03, curated: 0.12, "self-evolved": 0.08 }, infraRate: 0.02,
};
const trials = plan.tasks * plan.agents * plan.conditions.length * plan.trials;
const root = mkdtempSync(join(tmpdir(), "sd-bench-site-"));
const results = join(root, "results");

/** Peak RSS of a process, from the kernel's high-water mark, sampled until it exits. */
function sampleHwm(pid: number, into: { kb: number }): NodeJS.Timeout {
  return setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) into.kb = Math.max(into.kb, Number(m[1]));
    } catch { /* exited */ }
  }, 100);
}

function du(dir: string): { bytes: number; files: number; html: number } {
  let bytes = 0, files = 0, html = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const f = join(e.parentPath, e.name);
    bytes += statSync(f).size;
    files++;
    if (e.name.endsWith(".html")) html++;
  }
  return { bytes, files, html };
}

console.log(`site bench: ${trials.toLocaleString("en-US")} synthetic trials (${plan.tasks} tasks × ${plan.agents} agents × ${plan.conditions.length} conditions × ${plan.trials} trials), resamples ${args.resamples}`);
let t = performance.now();
const runDir = await writeSyntheticRun(results, { id: "synthetic-bench", plan, resamples: Number(args.resamples) });
const analyseS = (performance.now() - t) / 1000;
const summaryBytes = statSync(join(runDir, "summary.json")).size;
console.log(`  generate + analyse (real analysis code): ${analyseS.toFixed(1)} s, summary.json ${(summaryBytes / 1e6).toFixed(2)} MB`);

const hwm = { kb: 0 };
let timer: NodeJS.Timeout | undefined;
t = performance.now();
const r = await buildSite({ results, out: join(root, "dist"), onSpawn: (pid) => (timer = sampleHwm(pid, hwm)) });
clearInterval(timer);
const buildS = (performance.now() - t) / 1000;
const size = du(r.out);
console.log(`  site build: ${buildS.toFixed(1)} s wall, peak RSS ${(hwm.kb / 1024).toFixed(0)} MB`);
console.log(`  output: ${(size.bytes / 1e6).toFixed(1)} MB in ${size.files} files (${size.html} HTML pages)`);
console.log(JSON.stringify({ bench: "site", trials, analyse_seconds: +analyseS.toFixed(2), build_seconds: +buildS.toFixed(2), peak_rss_mb: Math.round(hwm.kb / 1024), output_bytes: size.bytes, files: size.files, pages: size.html, summary_bytes: summaryBytes }));
if (args.keep) console.log(`  kept: ${root}`);
else rmSync(root, { recursive: true, force: true });
