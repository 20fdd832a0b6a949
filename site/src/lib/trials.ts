import { existsSync, readdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import type { TaskPage } from "../../../harness/src/analysis/summary-schema.ts";
import type { RunView } from "./results.ts";
import { trialSlug } from "./slug.ts";

type Trial = NonNullable<TaskPage["trials"]>[number];

const dirCache = new Map<string, Set<string>>();

/** Names under results/<run>/trials/, listed once per run (one readdir instead of a stat per trial). */
function trialDirs(run: RunView): Set<string> {
  let s = dirCache.get(run.path);
  if (!s) {
    const d = join(run.path, "trials");
    s = new Set(existsSync(d) ? readdirSync(d) : []);
    dirCache.set(run.path, s);
  }
  return s;
}

/**
 * The trajectory.json of a trial, if the run kept one: under its `artifacts_dir` (relative to
 * the run) or `trials/<trial-id>/`. Paths that would leave the run directory are ignored.
 */
export function trajectoryFile(run: RunView, trial: Trial): { source: string; slug: string } | null {
  const names = trialDirs(run);
  if (names.size === 0) return null;
  const candidates: string[] = [];
  if (trial.artifacts_dir) candidates.push(resolve(run.path, trial.artifacts_dir));
  if (names.has(trial.trial_id)) candidates.push(join(run.path, "trials", trial.trial_id));
  for (const c of candidates) {
    if (!c.startsWith(run.path + sep)) continue;
    const f = join(c, "trajectory.json");
    if (existsSync(f)) return { source: f, slug: trialSlug(trial.trial_id) };
  }
  return null;
}
