import { digestJson, shortDigest } from "../../core/digest.ts";
import { InputError } from "../../core/errors.ts";
import { runConfigFromFlags, executeRun, globMatch, type TrialRecord } from "../../run/index.ts";
import { loadTasks, type Task } from "../../task/index.ts";
import { dockerContext } from "../docker-context.ts";
import { info, table } from "../output.ts";
import { reportProblems } from "./tasks.ts";

export interface CheckOptions {
  dirs: string[];
  trials: number;
  concurrency: number;
  conditions: string[];
  include?: string[];
  onePerFamily?: boolean;
  results: string;
  environments?: string[];
  /** where task assets are fetched from */
  assetCache?: string;
  json?: boolean;
  quiet?: boolean;
}

export interface TaskCheck {
  task: string;
  family: string;
  oracle: string;
  nop: string;
  rebuild: "same" | "changed" | "build-failed";
  ok: boolean;
  notes: string[];
}

export interface CheckReport {
  ok: boolean;
  runDir: string;
  tasks: TaskCheck[];
  failedTasks: string[];
  seconds: number;
}

/**
 * The suite check of DESIGN section 3: oracle passes k/k and nop fails k/k in every plumbed
 * condition, and building again with nothing changed gives the same image digest.
 * It is an ordinary resumable run (agents oracle + nop), so its trials are journaled too.
 */
export async function runSuiteCheck(opts: CheckOptions): Promise<CheckReport> {
  const t0 = Date.now();
  const loaded = await loadTasks(opts.dirs);
  reportProblems(loaded);
  let tasks = loaded.tasks;
  if (opts.include?.length) tasks = tasks.filter((t) => opts.include!.some((g) => globMatch(g, t.id)));
  if (opts.onePerFamily) tasks = firstPerFamily(tasks);
  if (!tasks.length) throw new InputError(`no tasks to check under ${opts.dirs.join(", ")}`, { hint: "pass a task, family or suite directory" });

  const ctx = await dockerContext({ environments: opts.environments, quiet: opts.quiet, assetCache: opts.assetCache });
  const id = `check-${shortDigest(digestJson({ tasks: tasks.map((t) => [t.id, t.digest]), k: opts.trials, conditions: opts.conditions }))}`;
  const config = runConfigFromFlags({
    id,
    tasks: opts.dirs,
    include: tasks.map((t) => t.id),
    conditions: opts.conditions,
    trials: opts.trials,
    concurrency: opts.concurrency,
    results_dir: opts.results,
    ...(opts.environments ? { environments: opts.environments } : {}),
    agents: [{ kind: "oracle", id: "oracle" }, { kind: "nop", id: "nop" }],
  });
  if (!opts.quiet) info(`checking ${tasks.length} task(s) × ${opts.conditions.length} condition(s) × oracle+nop × k=${opts.trials} → ${config.results_dir}/${id}`);
  const result = await executeRun(config, tasks, { ...ctx, quiet: opts.quiet, onLockChange: "restart" });
  // Build again: with unchanged inputs the content-tagged images must resolve to the same ids.
  const again = await ctx.resolveImages(tasks);
  const checks = tasks.map((task) => judge(task, result.records, opts, result.run.lock.tasks[task.id]?.image_id, again.images.get(task.id)?.imageId, result.run.excluded_tasks));
  const report: CheckReport = { ok: checks.every((c) => c.ok), runDir: result.dir, tasks: checks, failedTasks: checks.filter((c) => !c.ok).map((c) => c.task), seconds: (Date.now() - t0) / 1000 };
  if (!opts.json) printReport(report);
  return report;
}

function judge(task: Task, records: TrialRecord[], opts: CheckOptions, firstId: string | undefined, secondId: string | undefined, excluded: { task: string; reason: string }[]): TaskCheck {
  const notes: string[] = [];
  const mine = records.filter((r) => r.task === task.id);
  const buildFailure = excluded.find((e) => e.task === task.id);
  if (buildFailure) {
    return { task: task.id, family: task.family.id, oracle: "-", nop: "-", rebuild: "build-failed", ok: false, notes: [buildFailure.reason.split("\n").slice(-8).join("\n")] };
  }
  const expected = opts.trials * opts.conditions.length;
  const oracle = mine.filter((r) => r.agent === "oracle");
  const nop = mine.filter((r) => r.agent === "nop");
  const oraclePassed = oracle.filter((r) => r.outcome === "passed").length;
  const nopFailed = nop.filter((r) => r.outcome === "failed").length;
  for (const r of oracle.filter((r) => r.outcome !== "passed")) notes.push(`oracle ${r.condition}#${r.index}: ${r.outcome}${r.error ? ` (${r.error})` : ""} → ${r.artifacts_dir}`);
  for (const r of nop.filter((r) => r.outcome !== "failed")) notes.push(`nop ${r.condition}#${r.index}: ${r.outcome}${r.error ? ` (${r.error})` : ""} → ${r.artifacts_dir}`);
  const rebuild = firstId && firstId === secondId ? "same" : "changed";
  if (rebuild !== "same") notes.push(`rebuild gave another image id (${firstId?.slice(7, 19)} → ${secondId?.slice(7, 19)})`);
  return {
    task: task.id,
    family: task.family.id,
    oracle: `${oraclePassed}/${expected}`,
    nop: `${nopFailed}/${expected}`,
    rebuild,
    ok: oraclePassed === expected && oracle.length === expected && nopFailed === expected && nop.length === expected && rebuild === "same",
    notes,
  };
}

function printReport(report: CheckReport): void {
  console.log(table(["task", "family", "oracle passed", "nop failed", "rebuild", "ok"], report.tasks.map((c) => [c.task, c.family, c.oracle, c.nop, c.rebuild, c.ok ? "yes" : "NO"])));
  const families = [...new Set(report.tasks.map((c) => c.family))];
  console.log("");
  console.log(table(["family", "tasks", "ok", "failed"], families.map((f) => {
    const cs = report.tasks.filter((c) => c.family === f);
    return [f, cs.length, cs.filter((c) => c.ok).length, cs.filter((c) => !c.ok).length];
  })));
  for (const c of report.tasks.filter((c) => c.notes.length)) {
    console.log(`\n${c.task}:`);
    for (const n of c.notes) console.log(`  ${n.replace(/\n/g, "\n    ")}`);
  }
  console.log(`\n${report.tasks.filter((c) => c.ok).length}/${report.tasks.length} task(s) passed the check in ${report.seconds.toFixed(1)} s · trials in ${report.runDir}`);
}

function firstPerFamily(tasks: Task[]): Task[] {
  const seen = new Map<string, Task>();
  for (const t of [...tasks].sort((a, b) => (a.split === "evaluation" ? 0 : 1) - (b.split === "evaluation" ? 0 : 1) || a.id.localeCompare(b.id))) {
    if (!seen.has(t.family.id)) seen.set(t.family.id, t);
  }
  return [...seen.values()];
}
