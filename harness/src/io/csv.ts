import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { cellTable, loadRun, taskChances, type RunData } from "../analysis/index.ts";

/** Columns of trials.csv, in order (one row per trial key, its last attempt). */
export const TRIAL_COLUMNS = [
  "key", "trial_id", "task", "family", "role", "condition", "agent", "index", "outcome", "scored", "passed", "reward",
  "attempts", "seconds", "tokens", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd", "skills_loaded", "error", "artifacts_dir",
  // issue 11: skill-attributable context tokens (total, mean per model call) and the verifier's chance baseline; empty when not recorded
  "skill_tokens", "skill_tokens_per_step", "chance",
] as const;

/** Columns of cells.csv (one row per task × condition × agent). */
export const CELL_COLUMNS = [
  "task", "family", "role", "condition", "agent", "granularity", "scored", "passed", "rate", "mean_reward",
  "agent_timeout", "agent_error", "excluded", "missing_trials",
  // issue 11: over the cell's scored trials that carry a measurement; chance of the task
  "skill_tokens_per_trial", "skill_tokens_per_step", "chance",
] as const;

/**
 * Writes `trials.csv` and `cells.csv` for a run into `outDir` (csv-stringify, RFC 4180
 * quoting, header row). Count-only runs get a header-only trials.csv.
 * @throws SkillDeltaError when the run cannot be read
 */
export async function exportCsv(runDir: string, outDir: string): Promise<string[]> {
  const run = await loadRun(runDir);
  await mkdir(outDir, { recursive: true });
  const trials = run.trials
    .slice()
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((t) => [
      t.key, t.trial_id, t.task, t.family, t.role ?? "", t.condition, t.agent, t.index, t.outcome,
      t.outcome === "verifier_error" || t.outcome === "infra_error" ? 0 : 1, t.outcome === "passed" ? 1 : 0, t.reward ?? "",
      t.attempts, t.seconds, t.tokens ?? "", t.prompt_tokens ?? "", t.completion_tokens ?? "", t.cached_tokens ?? "", t.cost_usd ?? "",
      t.skills_loaded, t.error ?? "", t.artifacts_dir ?? "",
      t.skill_tokens ?? "", t.skill_steps ? (t.skill_step_sum ?? 0) / t.skill_steps : "", t.chance ?? "",
    ]);
  const chances = taskChances(run.trials);
  const tokens = cellSkillTokens(run);
  const cells = cellTable(run).map((c) => [
    c.task, c.family, c.role ?? "", c.condition, c.agent, c.granularity, c.scored, c.passed, c.rate ?? "", c.mean_reward ?? "",
    c.agent_timeout, c.agent_error, c.excluded, c.missing_trials ?? "",
    ...(tokens.get(`${c.task}\u0000${c.condition}\u0000${c.agent}`) ?? ["", ""]), chances.get(c.task) ?? "",
  ]);
  const files = [join(outDir, "trials.csv"), join(outDir, "cells.csv")];
  await writeFile(files[0]!, stringify(trials, { header: true, columns: [...TRIAL_COLUMNS] }));
  await writeFile(files[1]!, stringify(cells, { header: true, columns: [...CELL_COLUMNS] }));
  return files;
}

/** Per (task, condition, agent): mean skill tokens per measured scored trial and per model call. */
function cellSkillTokens(run: RunData): Map<string, [number | "", number | ""]> {
  const acc = new Map<string, { n: number; total: number; stepSum: number; steps: number }>();
  for (const t of run.trials) {
    if (t.skill_tokens === null || t.skill_tokens === undefined || t.outcome === "verifier_error" || t.outcome === "infra_error") continue;
    const k = `${t.task}\u0000${t.condition}\u0000${t.agent}`;
    const e = acc.get(k) ?? { n: 0, total: 0, stepSum: 0, steps: 0 };
    e.n++;
    e.total += t.skill_tokens;
    e.stepSum += t.skill_step_sum ?? 0;
    e.steps += t.skill_steps ?? 0;
    acc.set(k, e);
  }
  return new Map([...acc].map(([k, e]) => [k, [e.total / e.n, e.steps > 0 ? e.stepSum / e.steps : ""]]));
}
