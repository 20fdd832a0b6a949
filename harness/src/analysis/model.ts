import type { Outcome } from "../run/schema.ts";
import type { AggregateCell } from "./cells-schema.ts";
import type { RunMeta } from "./run-meta.ts";

/** The final attempt of one trial key, reduced to what the analysis needs. */
export interface TrialFact {
  key: string;
  trial_id: string;
  task: string;
  family: string;
  role: string | null;
  condition: string;
  agent: string;
  index: number;
  outcome: Outcome;
  reward: number | null;
  /** attempts seen for this key (retries of infra/verifier errors) */
  attempts: number;
  /** prompt + completion tokens (cached ones are a subset of prompt), `null` when the record has no usage */
  tokens: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  cost_usd: number | null;
  seconds: number;
  skills_loaded: number;
  error: string | null;
  artifacts_dir: string | null;
  /** skill-attributable context tokens of the trial (record `skill_tokens.total`); null/absent when not measured */
  skill_tokens?: number | null;
  /** summed per model call (`skill_tokens.step_sum`) and the number of calls (`steps`), for the mean per step */
  skill_step_sum?: number | null;
  skill_steps?: number | null;
  /** the verifier's chance baseline (record `chance`); null/absent when the task declares none */
  chance?: number | null;
}

/** What reading the journal saw, for the denominators shown on the site. */
export interface JournalStats {
  lines: number;
  attempts: number;
  /** 1 when the last line was cut off (kill -9 mid-write); tolerated */
  torn_lines: number;
  final_trials: number;
}

/** Everything the pure analysis needs; produced by `loadRun` (I/O) or built in memory by tests. */
export interface RunData {
  meta: RunMeta;
  trials: TrialFact[];
  cells: AggregateCell[];
  journal: JournalStats;
  /** task instructions, when the analysis could find them */
  instructions: Record<string, string>;
}

/** Outcomes that count in pass rates (the others are excluded but shown). */
export const SCORED = new Set<Outcome>(["passed", "failed", "agent_timeout", "agent_error"]);

/** Outcome counts of one group of trials. */
export interface OutcomeCounts {
  scored: number;
  passed: number;
  failed: number;
  agent_timeout: number;
  agent_error: number;
  verifier_error: number;
  infra_error: number;
}

/** All-zero outcome counts. */
export function emptyCounts(): OutcomeCounts {
  return { scored: 0, passed: 0, failed: 0, agent_timeout: 0, agent_error: 0, verifier_error: 0, infra_error: 0 };
}

/** Adds `b` into a copy of `a`. */
export function addCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return {
    scored: a.scored + b.scored, passed: a.passed + b.passed, failed: a.failed + b.failed,
    agent_timeout: a.agent_timeout + b.agent_timeout, agent_error: a.agent_error + b.agent_error,
    verifier_error: a.verifier_error + b.verifier_error, infra_error: a.infra_error + b.infra_error,
  };
}

/**
 * One (task, condition, agent) cell. `trials` is set when per-trial data exists
 * (granularity "trial"), `null` when only counts are known (granularity "counts").
 */
export interface Cell {
  task: string;
  family: string;
  role: string | null;
  condition: string;
  agent: string;
  granularity: "trial" | "counts";
  trials: TrialFact[] | null;
  counts: OutcomeCounts;
  reward_sum: number;
  reward_n: number;
  perfect: number | null;
  tokens: number | null;
  cost_usd: number | null;
  seconds: number | null;
  skills_loaded_trials: number | null;
  skills_loaded_passed: number | null;
}

/** Map key of a (agent, condition, task) cell. */
export const cellKey = (agent: string, condition: string, task: string): string => `${agent}\u0000${condition}\u0000${task}`;
