/**
 * analysis: turns a run's journal (and imported counts) into summary.json, the per-task pages
 * and terminal reports. Statistics are pure functions with explicit seeds (STYLE rule 8).
 */
export { analyseRun, type AnalyseResult } from "./analyse.ts";
export { loadRun } from "./load.ts";
export { summarize, cellTable } from "./summarize.ts";
export { analysisPaths, encodeTaskFile } from "./layout.ts";
export { DEFAULT_STATS, POOLED, type StatOptions } from "./common.ts";
export { defaultContrasts } from "./contrasts.ts";
export { passAtK, passHatK, normalizedGain, mean } from "./estimators.ts";
export { signFlipTest, mcnemarExact, holm, type PermutationResult } from "./hypothesis.ts";
export { bootstrapMean, ratePart, pairPart, type TaskUnit, type Interval } from "./resample.ts";
export { makeRng, type Rng } from "./rng.ts";
export { AggregateCellSchema, type AggregateCell } from "./cells-schema.ts";
export { readRunMeta, type RunMeta } from "./run-meta.ts";
export type { RunData, TrialFact } from "./model.ts";
export { readJournal, readCells } from "./journal.ts";
export { syntheticRecords, type SyntheticPlan } from "./synthetic.ts";
export {
  SummarySchema, TaskPageSchema, MethodRowSchema, ContrastRowSchema, SUMMARY_VERSION,
  type Summary, type TaskPage, type MethodRow, type ContrastRow,
} from "./summary-schema.ts";
export { formatReport } from "./report.ts";
export { taskChances, skillTokenStats } from "./overhead.ts";
export { parseContrastSide, parseRoundCondition, roundSeries, type ContrastSide } from "./sides.ts";
export type { RoundSeries, TransferRow, SkillTokenStats } from "./summary-schema.ts";
