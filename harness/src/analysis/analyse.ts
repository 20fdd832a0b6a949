import { parseOrThrow } from "../core/zod-errors.ts";
import type { StatOptions } from "./common.ts";
import { analysisPaths } from "./layout.ts";
import { freshDir, loadRun, writeJsonAtomic } from "./load.ts";
import { summarize } from "./summarize.ts";
import { SummarySchema, type Summary } from "./summary-schema.ts";

/** What `analyseRun` produced: the summary and the files written. */
export interface AnalyseResult {
  summary: Summary;
  /** files written, absolute or relative as `runDir` was given */
  files: string[];
}

/**
 * Analyses a run directory and writes `summary.json` and `tasks/<task-id>.json` into it.
 * The summary is validated against its schema before it is written.
 * @throws SkillDeltaError when the run cannot be read (see `loadRun`)
 */
export async function analyseRun(runDir: string, options: Partial<StatOptions> & { seed: number }): Promise<AnalyseResult> {
  const run = await loadRun(runDir);
  const { summary, pages } = summarize(run, options);
  const p = analysisPaths(runDir);
  parseOrThrow(SummarySchema, summary, p.summary);
  await freshDir(p.tasksDir);
  const files: string[] = [];
  for (const page of pages) {
    const f = p.taskPage(page.task);
    await writeJsonAtomic(f, page);
    files.push(f);
  }
  await writeJsonAtomic(p.summary, summary);
  files.unshift(p.summary);
  return { summary, files };
}
