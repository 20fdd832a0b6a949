/**
 * CLI start-up: how long `skilldelta` takes before it does anything, as a user at a prompt
 * sees it. Each command runs once to warm the file cache, then `runs` times in a row; the
 * median wall time (process spawn to exit) is the figure. Commands register cheaply and load
 * their heavy modules (Docker, queue, model client) in their actions, so `--version` and
 * `--help` measure Node + TypeScript stripping + commander + the command descriptions.
 *
 *   node bench/cli.ts [runs]        (bench/index.ts runs it as its `cli` section)
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "harness", "bin", "skilldelta.js");

/** What is timed: no Docker and no network involved in any of them. */
export const CLI_COMMANDS = [["--version"], ["--help"], ["tasks", "list", "--json"]] as const;

export interface CliStartupPoint {
  command: string;
  runs: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
}

export interface CliStartup {
  points: CliStartupPoint[];
  load_average: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Times each of CLI_COMMANDS `runs` times (after one warm-up run).
 * @throws Error when a command exits non-zero (a broken CLI must not produce a figure)
 */
export function cliStartupBench(runs = 10): CliStartup {
  const points: CliStartupPoint[] = [];
  for (const args of CLI_COMMANDS) {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`skilldelta ${args.join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").slice(-3).join(" / ")}`);
      if (i > 0) times.push(ms);
    }
    points.push({ command: `skilldelta ${args.join(" ")}`, runs, median_ms: Math.round(median(times)), min_ms: Math.round(Math.min(...times)), max_ms: Math.round(Math.max(...times)) });
  }
  return { points, load_average: loadavg()[0] ?? 0 };
}

if (import.meta.main) {
  const r = cliStartupBench(Number(process.argv[2] ?? 10));
  for (const p of r.points) process.stdout.write(`${p.command.padEnd(32)} median ${p.median_ms} ms (min ${p.min_ms}, max ${p.max_ms}, ${p.runs} runs)\n`);
  process.stdout.write(`load average ${r.load_average.toFixed(2)}\n`);
}
