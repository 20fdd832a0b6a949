import { z } from "zod";
// Imported from its own zod-only module, not agent/index.ts, so the journal schema (and the
// analysis and site that read it) never load the agent and the openai SDK.
import { SkillTokensSchema } from "../agent/skill-tokens.ts";

/**
 * Outcome classes of a trial attempt (DESIGN section 2). `agent_timeout` and `agent_error`
 * are scored as failures but counted apart; `verifier_error` and `infra_error` are not scored
 * and are retried up to a limit.
 */
export const OUTCOMES = ["passed", "failed", "agent_timeout", "agent_error", "verifier_error", "infra_error"] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const SCORED_OUTCOMES: ReadonlySet<Outcome> = new Set(["passed", "failed", "agent_timeout", "agent_error"]);
export const RETRYABLE_OUTCOMES: ReadonlySet<Outcome> = new Set(["verifier_error", "infra_error"]);

/** One named check a verifier reports in reward.json. */
export const CheckSchema = z.looseObject({
  name: z.string(),
  passed: z.boolean(),
  message: z.string().optional(),
});

/** reward.json as verifiers write it; only `reward` is required. */
export const RewardFileSchema = z.looseObject({
  reward: z.number().finite(),
  checks: z.array(CheckSchema).optional(),
  /** probability of passing by guessing (e.g. 0.2 for a five-choice question); shown beside pass rates */
  chance: z.number().min(0).max(1).optional(),
});
export type RewardFile = z.infer<typeof RewardFileSchema>;

export const TokenUsageSchema = z.strictObject({
  prompt: z.number().int().min(0),
  completion: z.number().int().min(0),
  cached: z.number().int().min(0).default(0),
});

/**
 * One line of `trials.jsonl`: one finished trial attempt. The journal is append-only; a trial
 * key (task, condition, agent, index) is complete once it has a non-retryable attempt or has
 * used up its retries.
 */
export const TrialRecordSchema = z.strictObject({
  v: z.literal(1),
  /** `<task>|<condition>|<agent>|<index>`: identical across runs of the same plan */
  key: z.string(),
  trial_id: z.string(),
  attempt: z.number().int().min(1),
  task: z.string(),
  task_digest: z.string(),
  family: z.string(),
  split: z.string().optional(),
  role: z.string().optional(),
  condition: z.string(),
  library_digest: z.string().nullable(),
  agent: z.string(),
  agent_digest: z.string(),
  index: z.number().int().min(0),
  seed: z.number().int(),
  image: z.string(),
  outcome: OutcomeSchema,
  reward: z.number().nullable(),
  checks: z.array(CheckSchema).default([]),
  error: z.string().optional(),
  started_at: z.string(),
  finished_at: z.string(),
  timings_ms: z.strictObject({
    setup: z.number().min(0),
    agent: z.number().min(0),
    verifier: z.number().min(0),
    teardown: z.number().min(0),
    total: z.number().min(0),
  }),
  agent_exit_code: z.number().int().nullable(),
  tokens: TokenUsageSchema.optional(),
  cost_usd: z.number().min(0).optional(),
  /** names of skills the agent loaded (measured from the trajectory, not guessed) */
  skills_loaded: z.array(z.string()).default([]),
  /** skill-attributable context tokens (estimated, chars/4); all zero in no-skill; absent for agents that do not measure them */
  skill_tokens: SkillTokensSchema.optional(),
  /** the verifier's chance baseline from reward.json (`chance`), e.g. 0.2 for five choices */
  chance: z.number().min(0).max(1).optional(),
  /** the agent talked to SkillDelta's scripted mock model: a dry run, never a model result */
  scripted_model: z.boolean().optional(),
  /** relative to the run directory */
  artifacts_dir: z.string(),
});
export type TrialRecord = z.infer<typeof TrialRecordSchema>;
