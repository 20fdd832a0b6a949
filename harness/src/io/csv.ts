import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { cellTable, loadRun } from "../analysis/index.ts";

/** Columns of trials.csv, in order (one row per trial key, its last attempt). */
export const TRIAL_COLUMNS = [
  "key", "trial_id", "task", "family", "role", "condition", "agent", "index", "outcome", "scored", "passed", "reward",
  "attempts", "seconds", "tokens", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd", "skills_loaded", "error", "artifacts_dir",
] as const;

/** Columns of cells.csv (one row per task × condition × agent). */
export const CELL_COLUMNS = [
  "task", "family", "role", "condition", "agent", "granularity", "scored", "passed", "rate", "mean_reward",
  "agent_timeout", "agent_error", "excluded", "missing_trials",
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
    ]);
  const cells = cellTable(run).map((c) => [
    c.task, c.family, c.role ?? "", c.condition, c.agent, c.granularity, c.scored, c.passed, c.rate ?? "", c.mean_reward ?? "",
    c.agent_timeout, c.agent_error, c.excluded, c.missing_trials ?? "",
  ]);
  const files = [join(outDir, "trials.csv"), join(outDir, "cells.csv")];
  await writeFile(files[0]!, stringify(trials, { header: true, columns: [...TRIAL_COLUMNS] }));
  await writeFile(files[1]!, stringify(cells, { header: true, columns: [...CELL_COLUMNS] }));
  return files;
}
