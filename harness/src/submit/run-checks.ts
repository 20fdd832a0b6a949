import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { digestTree } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";
import { SCORED_OUTCOMES, readJournal, readRunJson, trialKey, type RunJson, type TrialRecord } from "../run/index.ts";
import { loadTasks } from "../task/index.ts";

/** The minimum trials per matched cell a submission needs (DESIGN section 8). */
export const MIN_TRIALS = 5;

/** One reason a run cannot be submitted, with where to look. */
export interface RunProblem {
  field: string;
  message: string;
}

/** A run as pack and verify read it: run.json and the last attempt of every trial key. */
export interface LoadedRun {
  dir: string;
  run: RunJson;
  records: Map<string, TrialRecord>;
}

/** @throws InputError when the run directory has no valid run.json */
export async function loadRunDir(dir: string): Promise<LoadedRun> {
  const run = await readRunJson(join(dir, "run.json"));
  if (!run) throw new InputError("no run.json in the run directory", { file: dir, hint: "pass a results/<run-id> directory written by `skilldelta run`" });
  const journal = await readJournal(join(dir, "trials.jsonl"));
  return { dir, run, records: journal.latest };
}

/**
 * Submission rules that need only the run: finished, k ≥ 5, timeout multiplier 1, every
 * matched cell (task × condition × agent × index) present with a scored final attempt.
 */
export function protocolProblems(loaded: LoadedRun): RunProblem[] {
  const { run, records } = loaded;
  const out: RunProblem[] = [];
  const k = Number(run.config.trials);
  if (run.status !== "finished") out.push({ field: "status", message: `the run is ${run.status}, not finished; run it again to complete it` });
  if (!(k >= MIN_TRIALS)) out.push({ field: "config.trials", message: `k = ${k} trials per cell; submissions need k ≥ ${MIN_TRIALS}` });
  const mult = run.config.timeout_multiplier;
  if (mult !== undefined && mult !== 1) out.push({ field: "config.timeout_multiplier", message: `timeout_multiplier = ${String(mult)}; submissions run every task with its own timeouts (1)` });
  const conditions = (run.config.conditions as string[] | undefined) ?? [];
  const missing: string[] = [];
  const unscored: string[] = [];
  for (const task of Object.keys(run.lock.tasks)) {
    for (const condition of conditions) {
      for (const agent of Object.keys(run.lock.agents)) {
        for (let i = 0; i < k; i++) {
          const key = trialKey(task, condition, agent, i);
          const r = records.get(key);
          if (!r) missing.push(key);
          else if (!SCORED_OUTCOMES.has(r.outcome)) unscored.push(`${key} (${r.outcome})`);
        }
      }
    }
  }
  if (missing.length) out.push({ field: "trials.jsonl", message: `${missing.length} matched cell trial(s) missing, e.g. ${missing.slice(0, 3).join(", ")}` });
  if (unscored.length) out.push({ field: "trials.jsonl", message: `${unscored.length} trial(s) ended unscored after all retries, e.g. ${unscored.slice(0, 3).join(", ")}; fix the cause and re-run them` });
  if (run.excluded_tasks.length) out.push({ field: "excluded_tasks", message: `${run.excluded_tasks.length} task(s) were excluded (e.g. ${run.excluded_tasks[0]!.task}: image build failed); a submission covers every task` });
  const learning = run.config.learning as { feedback?: string } | undefined;
  if (learning && !["none", "binary", "rich"].includes(String(learning.feedback ?? "binary"))) out.push({ field: "config.learning.feedback", message: `unknown feedback level ${String(learning.feedback)}` });
  return out;
}

/**
 * Every library the lock names is present under libraries/ and still hashes to its digest,
 * and every trial names the library of its cell: nothing changed after the freeze.
 */
export async function libraryProblems(loaded: LoadedRun): Promise<RunProblem[]> {
  const out: RunProblem[] = [];
  const seen = new Map<string, string | undefined>();
  for (const [key, digest] of Object.entries(loaded.run.lock.libraries)) {
    if (digest === "none") continue;
    const condition = key.split("|")[0]!;
    const dir = join(loaded.dir, "libraries", condition.replace(/[^\w.-]/g, "_"), digest.slice(0, 16));
    if (!seen.has(dir)) seen.set(dir, await digestTree(dir).catch(() => undefined));
    const actual = seen.get(dir);
    if (actual === undefined) out.push({ field: `lock.libraries.${key}`, message: `frozen library ${digest.slice(0, 16)} is missing from libraries/${condition}/` });
    else if (actual !== digest) out.push({ field: `lock.libraries.${key}`, message: `library ${condition}/${digest.slice(0, 16)} changed after it was frozen (now hashes to ${actual.slice(0, 16)})` });
  }
  for (const r of loaded.records.values()) {
    const locked = loaded.run.lock.libraries[`${r.condition}|${r.task}`];
    const expected = locked === undefined || locked === "none" ? null : locked;
    if (r.library_digest !== expected) out.push({ field: `trials.jsonl ${r.key}`, message: `trial used library ${r.library_digest ?? "none"}, the lock froze ${expected ?? "none"}` });
  }
  return out;
}

/** Task digests of the run's lock against the published suite's task directories. */
export async function suiteProblems(loaded: LoadedRun, suiteDirs: string[]): Promise<{ problems: RunProblem[]; checked: number }> {
  const { tasks } = await loadTasks(suiteDirs);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const problems: RunProblem[] = [];
  let checked = 0;
  for (const [id, locked] of Object.entries(loaded.run.lock.tasks)) {
    const t = byId.get(id);
    if (!t) problems.push({ field: `lock.tasks.${id}`, message: `task ${id} is not in the suite (${suiteDirs.join(", ")})` });
    else if (t.digest !== locked.digest) problems.push({ field: `lock.tasks.${id}.digest`, message: `task ${id} differs from the suite's (${locked.digest.slice(0, 12)} ≠ ${t.digest.slice(0, 12)}): run the published suite unchanged` });
    else checked++;
  }
  return { problems, checked };
}

/** Trial directories of the run's final attempts that hold an archived final state. */
export async function finalStateDirs(loaded: LoadedRun): Promise<string[]> {
  const out: string[] = [];
  for (const r of loaded.records.values()) {
    const names = await readdir(join(loaded.dir, r.artifacts_dir)).catch(() => [] as string[]);
    if (names.includes("final-state.json")) out.push(r.artifacts_dir);
  }
  return out.sort();
}

/** Formats problems as one InputError. @throws InputError always */
export function refuse(what: string, file: string, problems: RunProblem[], hint: string): never {
  throw new InputError(`${what}:\n  ${problems.map((p) => `${p.field}: ${p.message}`).join("\n  ")}`, { file, hint });
}
