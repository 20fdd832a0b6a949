import { basename, dirname, join } from "node:path";
import { runPaths } from "../core/paths.ts";

/**
 * Files the analysis reads and writes inside a run directory, beside those of `runPaths`:
 * ```
 * results/<run-id>/
 *   cells.jsonl          # aggregated per-cell counts (imports whose source has no per-trial data)
 *   summary.json         # the site's contract (summary-schema.ts)
 *   tasks/<task-id>.json # one file per task for task pages (task-page-schema.ts)
 *   export/trials.csv, export/cells.csv   # `skilldelta export --csv`
 * ```
 * Kept here until the lead folds them into core/paths.ts.
 */
export function analysisPaths(runDir: string) {
  const base = runPaths(dirname(runDir), basename(runDir));
  return {
    dir: runDir,
    runJson: base.runJson,
    journal: base.journal,
    summary: base.summary,
    cells: join(runDir, "cells.jsonl"),
    tasksDir: join(runDir, "tasks"),
    taskPage: (taskId: string) => join(runDir, "tasks", `${encodeTaskFile(taskId)}.json`),
    exportDir: join(runDir, "export"),
  };
}

/** Task ids become file names: anything outside [A-Za-z0-9._-] is percent-encoded. */
export function encodeTaskFile(taskId: string): string {
  return taskId.replace(/[^A-Za-z0-9._-]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
