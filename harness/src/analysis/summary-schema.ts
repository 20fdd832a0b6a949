import { z } from "zod";

/**
 * summary.json: everything the site renders for one run. The site never recomputes
 * statistics; it reads this file and the per-task files (task-page-schema.ts).
 * Rates are fractions in [0, 1]; deltas are differences of such fractions. Documented field by
 * field in harness/src/analysis/README.md. Bump `version` on any incompatible change.
 *
 * Revision 1.1 (issue 11), additive only, so summaries written before still parse: optional
 * `methods[].skill_tokens` / `.chance`, `tasks[].chance`, `contrasts[].agent_a` / `.agent_b`
 * (cross-agent contrasts), top-level `rounds` (score by round) and `transfer` (libraries
 * built with one agent config, evaluated with another).
 */
export const SUMMARY_VERSION = 1;

const rate = z.number().min(0).max(1);
const nullableRate = rate.nullable();

/** Point estimate with a percentile bootstrap interval. */
export const IntervalSchema = z.strictObject({ estimate: z.number(), lo: z.number(), hi: z.number() });

/** Trials by outcome class; `excluded` = verifier_error + infra_error (not scored, always shown). */
export const DenominatorsSchema = z.strictObject({
  /** (task) cells this row should have: every task of the run */
  expected_cells: z.number().int().min(0),
  /** cells with no final trial at all */
  missing_cells: z.number().int().min(0),
  /** final trials (last attempt per key) */
  trials: z.number().int().min(0),
  scored: z.number().int().min(0),
  passed: z.number().int().min(0),
  failed: z.number().int().min(0),
  agent_timeout: z.number().int().min(0),
  agent_error: z.number().int().min(0),
  verifier_error: z.number().int().min(0),
  infra_error: z.number().int().min(0),
  excluded: z.number().int().min(0),
  /** trial indices seen for the same (task, agent) under another condition but absent here; null for count data */
  missing_trials: z.number().int().min(0).nullable(),
});

/** Cost and wall time of a row, learning cost included where recorded. */
export const CostSchema = z.strictObject({
  tokens_total: z.number().min(0).nullable(),
  tokens_per_trial: z.number().min(0).nullable(),
  /** dollars: the records' cost_usd, else tokens × run.json config.prices; null when neither exists */
  usd_total: z.number().min(0).nullable(),
  usd_per_trial: z.number().min(0).nullable(),
  /** total dollars / passed trials */
  usd_per_pass: z.number().min(0).nullable(),
  seconds_total: z.number().min(0).nullable(),
  seconds_per_trial: z.number().min(0).nullable(),
  seconds_per_pass: z.number().min(0).nullable(),
  /** run.json learning_cost of this condition (acquisition phase), null when none */
  learning: z.strictObject({ tokens: z.number().nullable(), usd: z.number().nullable(), seconds: z.number().nullable() }).nullable(),
  tokens_total_incl_learning: z.number().min(0).nullable(),
  usd_total_incl_learning: z.number().min(0).nullable(),
  seconds_total_incl_learning: z.number().min(0).nullable(),
});

/** pass@k and pass^k for one k. */
export const PassAtKSchema = z.strictObject({
  k: z.number().int().min(1),
  /** unbiased pass@k averaged over tasks (over agents first for pooled rows) */
  pass_at_k: rate,
  /** unbiased pass^k (all k trials pass) averaged the same way */
  pass_hat_k: rate,
  tasks: z.number().int().min(0),
});

/** Skill use, measured from trajectories (records' skills_loaded); null for count-only data. */
export const SkillUseSchema = z.strictObject({
  scored: z.number().int().min(0),
  loaded: z.number().int().min(0),
  rate: nullableRate,
  pass_rate_loaded: nullableRate,
  pass_rate_not_loaded: nullableRate,
});

/**
 * Skill-attributable context tokens of a row (trial records' `skill_tokens`, estimated chars/4 by
 * the agent), over its scored trials that carry a measurement; pooled rows pool the trials.
 */
export const SkillTokenStatsSchema = z.strictObject({
  /** scored trials with a measurement */
  trials: z.number().int().min(0),
  /** scored trials without one (agents that do not measure) */
  unmeasured: z.number().int().min(0),
  /** mean per trial of listing + loaded + tool_defs */
  per_trial: z.number().min(0),
  /** summed per-call skill tokens / model calls over the measured trials; null without calls */
  per_step: z.number().min(0).nullable(),
  /** model calls measured */
  steps: z.number().int().min(0),
});
/** Skill-token overhead of a row. */
export type SkillTokenStats = z.infer<typeof SkillTokenStatsSchema>;

/** Chance baseline of a row: mean over its tasks that declare one (verifier `chance`). */
export const ChanceSchema = z.strictObject({ mean: rate, tasks: z.number().int().min(0) });

/** Macro pass rate of a row within one family or role. */
export const GroupRateSchema = z.strictObject({ group: z.string(), tasks: z.number().int().min(0), scored: z.number().int().min(0), passed: z.number().int().min(0), rate: nullableRate });

/** Whether a row rests on individual trials, per-cell counts, or both. */
export const GranularitySchema = z.enum(["trial", "counts", "mixed"]);

/** One leaderboard row: an agent config (or "*" = all agents pooled) under one condition. */
export const MethodRowSchema = z.strictObject({
  id: z.string(),
  agent: z.string(),
  agent_label: z.string(),
  condition: z.string(),
  pooled: z.boolean(),
  granularity: GranularitySchema,
  /** tasks with at least one scored trial */
  tasks: z.number().int().min(0),
  /** mean over tasks of the per-task pass rate, with a two-stage bootstrap CI */
  macro: IntervalSchema.nullable(),
  /** passed / scored over all trials */
  micro: nullableRate,
  /** mean over tasks of the per-task mean reward (partial credit); null without rewards */
  mean_reward: z.number().nullable(),
  pass_at_k: z.array(PassAtKSchema),
  denominators: DenominatorsSchema,
  cost: CostSchema,
  skill_use: SkillUseSchema.nullable(),
  by_family: z.array(GroupRateSchema),
  by_role: z.array(GroupRateSchema),
  /** (1.1) null when no scored trial carries a measurement */
  skill_tokens: SkillTokenStatsSchema.nullable().optional(),
  /** (1.1) null when none of the row's tasks declares a chance baseline */
  chance: ChanceSchema.nullable().optional(),
});
/** A leaderboard row. */
export type MethodRow = z.infer<typeof MethodRowSchema>;

/** A contrast restricted to one family or role. */
export const GroupDeltaSchema = z.strictObject({
  group: z.string(),
  tasks: z.number().int().min(0),
  rate_a: nullableRate,
  rate_b: nullableRate,
  delta: IntervalSchema.nullable(),
  win: z.number().int().min(0),
  tie: z.number().int().min(0),
  loss: z.number().int().min(0),
});

/**
 * Per-task paired cells for the compare page. `a`/`b` hold one character per entry of
 * `indices`: P passed, F failed, T agent_timeout, E agent_error, V verifier_error,
 * I infra_error, . missing. Count-only data has `indices`/`a`/`b` null and only the counts.
 */
export const GridRowSchema = z.strictObject({
  task: z.string(),
  family: z.string(),
  role: z.string().nullable(),
  indices: z.array(z.number().int()).nullable(),
  a: z.string().nullable(),
  b: z.string().nullable(),
  /** matched pairs (trial data) or scored trials per side (counts) used for the delta */
  a_n: z.number().int().min(0),
  a_passed: z.number().int().min(0),
  b_n: z.number().int().min(0),
  b_passed: z.number().int().min(0),
  /** per-task delta on matched data; null when the task has no matched data */
  delta: z.number().nullable(),
});

/** One matched comparison a − b for one agent config (or all pooled). */
export const ContrastRowSchema = z.strictObject({
  id: z.string(),
  /** treatment ("with") condition */
  a: z.string(),
  /** baseline ("without") condition */
  b: z.string(),
  agent: z.string(),
  agent_label: z.string(),
  pooled: z.boolean(),
  granularity: GranularitySchema,
  /** tasks with matched data on both sides */
  tasks: z.number().int().min(0),
  /** matched (task, agent, index) trial pairs; null for count data */
  pairs: z.number().int().min(0).nullable(),
  rate_a: nullableRate,
  rate_b: nullableRate,
  /** mean over tasks of (rate_a − rate_b) per task, paired two-stage bootstrap CI */
  delta: IntervalSchema.nullable(),
  /** normalized gain (rate_a − rate_b) / (1 − rate_b) */
  g: z.number().nullable(),
  /** two-sided sign-flip permutation test over per-task deltas (the primary test) */
  sign_flip: z.strictObject({ p: z.number(), method: z.enum(["exact", "monte-carlo"]), nonzero: z.number().int(), draws: z.number().int() }).nullable(),
  /** exact McNemar over all matched trial pairs (ignores clustering by task); null for count data */
  mcnemar: z.strictObject({ p: z.number(), a_only: z.number().int(), b_only: z.number().int() }).nullable(),
  /** sign-flip p Holm-adjusted over every contrast row of this summary */
  p_holm: z.number().nullable(),
  win: z.number().int().min(0),
  tie: z.number().int().min(0),
  loss: z.number().int().min(0),
  by_family: z.array(GroupDeltaSchema),
  by_role: z.array(GroupDeltaSchema),
  /** scored trials (or count cells) without a matched partner: counted, listed (capped), never mixed in */
  unmatched: z.strictObject({ a_only: z.number().int().min(0), b_only: z.number().int().min(0), listed: z.array(z.string()), truncated: z.boolean() }),
  grid: z.array(GridRowSchema),
  /** (1.1) cross-agent contrast (run.toml `"<agent>/<condition>"` sides): A's and B's agent ids; `agent` is then `"<agent_a> vs <agent_b>"` */
  agent_a: z.string().optional(),
  agent_b: z.string().optional(),
});
/** A matched comparison row. */
export type ContrastRow = z.infer<typeof ContrastRowSchema>;

/** One (task, condition, agent) cell with its denominators. */
export const TaskCellSchema = z.strictObject({
  agent: z.string(),
  condition: z.string(),
  granularity: z.enum(["trial", "counts"]),
  scored: z.number().int().min(0),
  passed: z.number().int().min(0),
  rate: nullableRate,
  mean_reward: z.number().nullable(),
  agent_timeout: z.number().int().min(0),
  agent_error: z.number().int().min(0),
  excluded: z.number().int().min(0),
  missing_trials: z.number().int().min(0).nullable(),
});

/** One task's row of the per-task table. */
export const TaskRowSchema = z.strictObject({
  task: z.string(),
  family: z.string(),
  role: z.string().nullable(),
  /** per-condition macro over agents (mean of per-agent rates) */
  by_condition: z.record(z.string(), nullableRate),
  cells: z.array(TaskCellSchema),
  /** relative path of this task's page file, e.g. `tasks/<id>.json` */
  page: z.string(),
  /** (1.1) the task's chance baseline (verifier `chance`), null when it declares none */
  chance: nullableRate.optional(),
});

/** One point of a score-by-round series: a round's frozen library evaluated as its own condition. */
export const RoundPointSchema = z.strictObject({
  round: z.number().int().min(1),
  condition: z.string(),
  /** macro pass rate on the trials matched across every round of the series, bootstrap CI */
  macro: IntervalSchema.nullable(),
  tasks: z.number().int().min(0),
  /** (task, agent, index) trials scored in every round of the series; null for count-only data */
  matched_trials: z.number().int().min(0).nullable(),
  /** all scored trials of this round's condition (matched or not) */
  scored: z.number().int().min(0),
});

/** Score by round for one base condition (`X@r1..X@r{R-1}`, then X as round R) and one agent (or pooled). */
export const RoundSeriesSchema = z.strictObject({
  base: z.string(),
  agent: z.string(),
  agent_label: z.string(),
  pooled: z.boolean(),
  points: z.array(RoundPointSchema),
});

/** A transfer comparison: the statistics of a contrast row, without the grid. */
export const TransferComparisonSchema = ContrastRowSchema.pick({
  id: true, a: true, b: true, tasks: true, pairs: true, rate_a: true, rate_b: true, delta: true, g: true, sign_flip: true, p_holm: true, win: true, tie: true, loss: true,
}).extend({ unmatched: z.strictObject({ a_only: z.number().int().min(0), b_only: z.number().int().min(0) }) });

/**
 * A library built with agent config `built_with` (run.json `library_meta`), evaluated with
 * `evaluated_with`: matched against that agent with no skills and with its own library (the
 * condition of the same method built with it). `p_holm` is adjusted over all transfer comparisons.
 */
export const TransferRowSchema = z.strictObject({
  condition: z.string(),
  method: z.string().nullable(),
  built_with: z.string(),
  evaluated_with: z.string(),
  evaluated_label: z.string(),
  vs_no_skill: TransferComparisonSchema.nullable(),
  own_condition: z.string().nullable(),
  vs_own: TransferComparisonSchema.nullable(),
});
/** A transfer row. */
export type TransferRow = z.infer<typeof TransferRowSchema>;
/** A score-by-round series. */
export type RoundSeries = z.infer<typeof RoundSeriesSchema>;

/** The whole summary.json (see README.md for every field). */
export const SummarySchema = z.strictObject({
  schema: z.literal("skilldelta.summary"),
  version: z.literal(SUMMARY_VERSION),
  run: z.strictObject({
    id: z.string(),
    created_at: z.string().nullable(),
    source: z.string().nullable(),
    attestation: z.string().nullable(),
    granularity: GranularitySchema,
    conditions: z.array(z.string()),
    agents: z.array(z.strictObject({ id: z.string(), label: z.string(), kind: z.string().nullable(), model: z.string().nullable() })),
    families: z.array(z.string()),
    roles: z.array(z.string()),
    tasks: z.number().int().min(0),
    journal: z.strictObject({ lines: z.number().int(), attempts: z.number().int(), torn_lines: z.number().int(), final_trials: z.number().int(), count_cells: z.number().int() }),
  }),
  method: z.strictObject({
    seed: z.number().int(),
    bootstrap_resamples: z.number().int(),
    within_tasks: z.boolean(),
    level: z.number(),
    bootstrap: z.string(),
    permutation_exact_max: z.number().int(),
    permutation_draws: z.number().int(),
    holm_family: z.number().int(),
    pooled_rows: z.string(),
  }),
  methods: z.array(MethodRowSchema),
  contrasts: z.array(ContrastRowSchema),
  tasks: z.array(TaskRowSchema),
  /** over all per-agent rows */
  denominators: DenominatorsSchema,
  notes: z.array(z.string()),
  /** (1.1) present when the run evaluated per-round libraries (`X@r<N>` conditions) */
  rounds: z.array(RoundSeriesSchema).optional(),
  /** (1.1) present when run.json `library_meta` records a library evaluated with an agent other than its builder */
  transfer: z.array(TransferRowSchema).optional(),
});
/** summary.json as a type. */
export type Summary = z.infer<typeof SummarySchema>;

/** tasks/<task-id>.json: what a task page shows. */
export const TaskPageSchema = z.strictObject({
  schema: z.literal("skilldelta.task"),
  version: z.literal(SUMMARY_VERSION),
  run_id: z.string(),
  task: z.string(),
  family: z.string(),
  role: z.string().nullable(),
  instruction: z.string().nullable(),
  results: z.array(TaskCellSchema),
  /** every final trial of the task; null when the source has only counts */
  trials: z.array(z.strictObject({
    trial_id: z.string(),
    key: z.string(),
    agent: z.string(),
    condition: z.string(),
    index: z.number().int(),
    outcome: z.string(),
    reward: z.number().nullable(),
    attempts: z.number().int(),
    seconds: z.number(),
    tokens: z.number().nullable(),
    skills_loaded: z.number().int(),
    error: z.string().nullable(),
    artifacts_dir: z.string().nullable(),
  })).nullable(),
});
/** A task page as a type. */
export type TaskPage = z.infer<typeof TaskPageSchema>;
