/** Runs: config, plan, trial lifecycle, journal, lock and resume (DESIGN sections 2 and 6). */
export { RunConfigSchema, loadRunConfig, runConfigFromFlags, BASE_CONDITIONS, type RunConfig, type RunConfigInput } from "./config.ts";
export { buildSchedule, seededShuffle, trialKey, trialId, trialSeed, type PlannedTrial } from "./plan.ts";
export { readJournal, isComplete, JournalWriter, type JournalState } from "./journal.ts";
export { runTrial, readReward, type TrialInput } from "./trial.ts";
export { executeRun, acquireRunLock, type ImageResolver, type ImageInfo, type RunDeps, type RunResult } from "./runner.ts";
export { RunJsonSchema, LockSchema, readRunJson, writeRunJson, diffLocks, type RunJson, type Lock, type Host } from "./run-json.ts";
export { resolveLibraries, libraryKey, PER_TASK_DIR } from "./libraries.ts";
export { selectTasks, globMatch } from "./select.ts";
export { Progress } from "./progress.ts";
export { OUTCOMES, SCORED_OUTCOMES, RETRYABLE_OUTCOMES, TrialRecordSchema, RewardFileSchema, type Outcome, type TrialRecord, type RewardFile } from "./schema.ts";
export { verify, type Verdict } from "./verifier.ts";
export { separateVerifierFor } from "./trial.ts";
export { captureFinalState, restoreFinalState, readFinalState, classifyChanges, isToolchainPath, isRuntimePath, FinalStateSchema, FINAL_STATE_FILES, FINAL_STATE_CAPS, type FinalState } from "./final-state.ts";
