import { z } from "zod";

/**
 * The `[learning]` table of run.toml: how libraries are acquired (DESIGN sections 2 and 5).
 * Pure zod, no imports from run/, so run/config.ts can embed it without a cycle.
 */
export const FEEDBACK_LEVELS = ["none", "binary", "rich"] as const;
export const FeedbackLevelSchema = z.enum(FEEDBACK_LEVELS);
export type FeedbackLevel = z.infer<typeof FeedbackLevelSchema>;

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "expected an environment variable NAME (never a secret value)");

/** The skill-writing model; it may differ from the solving agent's model. Only env var NAMES are recorded. */
export const SkillModelSchema = z.strictObject({
  model: z.string().min(1),
  base_url_env: envName.default("OPENAI_BASE_URL"),
  api_key_env: envName.default("OPENAI_API_KEY"),
  temperature: z.number().min(0).max(2).default(0),
  max_output_tokens: z.number().int().min(1).default(4096),
  request_timeout_sec: z.number().positive().max(3600).default(300),
});
export type SkillModel = z.infer<typeof SkillModelSchema>;

/**
 * Options of methods that revise over rounds. Optional without defaults (defaults are applied
 * by `roundsOf`), so configs written before they existed keep their lock digest.
 */
const RoundOptions = {
  /** also evaluate every earlier round's frozen library, as condition `<condition>@r<N>` */
  evaluate_rounds: z.boolean().optional(),
  /** true (default): one revision per round over all its episodes; false: one revision per episode */
  batch_feedback: z.boolean().optional(),
};

/** Options of process methods (`command`, `module`): what they may read and try beyond the context. */
const ProcessOptions = {
  /** an offline corpus directory (relative to run.toml) the method may read; digested into the lock */
  corpus: z.string().min(1).optional(),
  /** extra acquisition attempts the method may request per family per round (explore.json); default 0 */
  exploration_attempts: z.number().int().min(0).max(100).optional(),
};

/** Built-in and plug-in methods, by `kind`. Every option here is digested into the lock. */
export const MethodConfigSchema = z.discriminatedUnion("kind", [
  /** SkillLearnBench b1: skills from the acquisition instructions alone */
  z.strictObject({ kind: z.literal("one-shot"), model: SkillModelSchema }),
  /** b2: attempt with the current library, self-critique, revise; `rounds` rounds (verdicts withheld) */
  z.strictObject({ kind: z.literal("self-feedback"), model: SkillModelSchema, rounds: z.number().int().min(1).max(10).default(2), ...RoundOptions }),
  /** b3: attempt, receive the declared feedback level, revise; up to `rounds` rounds */
  z.strictObject({ kind: z.literal("verifier-feedback"), model: SkillModelSchema, rounds: z.number().int().min(1).max(10).default(2), ...RoundOptions }),
  /** SkillEvolBench always-revise: one revision after every acquisition episode */
  z.strictObject({ kind: z.literal("experience"), model: SkillModelSchema }),
  /** an external program: reads the JSON context, writes a skill directory (see examples/methods/) */
  z.strictObject({
    kind: z.literal("command"),
    /** argv; `{context}` and `{output}` are replaced by the context file and the output directory */
    command: z.array(z.string()).min(1),
    /** working directory for relative argv paths (resolved against run.toml) */
    cwd: z.string().optional(),
    timeout_sec: z.number().positive().max(24 * 3600).default(1800),
    /** host environment variables forwarded by NAME (the model's key and endpoint are forwarded automatically) */
    pass_env: z.array(envName).default([]),
    model: SkillModelSchema.optional(),
    /** harness-driven rounds (default 1): each round gets the episodes of the last round's library */
    rounds: z.number().int().min(1).max(10).optional(),
    ...RoundOptions,
    ...ProcessOptions,
  }),
  /** a module exporting a `Learner` (default export or `export`), run in a guarded child process */
  z.strictObject({
    kind: z.literal("module"),
    module: z.string().min(1),
    export: z.string().default("default"),
    options: z.record(z.string(), z.unknown()).default({}),
    timeout_sec: z.number().positive().max(24 * 3600).default(1800),
    model: SkillModelSchema.optional(),
    rounds: z.number().int().min(1).max(10).optional(),
    ...RoundOptions,
    ...ProcessOptions,
  }),
]);
export type MethodConfig = z.infer<typeof MethodConfigSchema>;
export type MethodKind = MethodConfig["kind"];

export const LearningConfigSchema = z.strictObject({
  /** what learners may see of each acquisition attempt */
  feedback: FeedbackLevelSchema.default("binary"),
  /** attempts per acquisition task (they also feed raw-trace) */
  acquisition_trials: z.number().int().min(1).max(100).default(1),
  /** agent id (from [[agents]]) that attempts acquisition tasks; default: the first agent */
  acquisition_agent: z.string().optional(),
  /** condition → agent id that builds its library (acquisition episodes, round and exploration attempts); default `acquisition_agent` */
  acquisition_agents: z.record(z.string(), z.string()).optional(),
  /** condition → method; conditions without one must be bound in [libraries] (or be no-skill/curated/raw-trace) */
  methods: z.record(z.string(), MethodConfigSchema).default({}),
  raw_trace: z
    .strictObject({
      /** entries retrieved per evaluation task */
      top_k: z.number().int().min(1).max(50).default(3),
      max_tokens: z.number().int().min(100).max(100_000).default(1500),
      observation_chars: z.number().int().min(50).max(100_000).default(600),
    })
    .default({ top_k: 3, max_tokens: 1500, observation_chars: 600 }),
  /**
   * How external learners are kept from tests, solutions, evaluation instructions and curated
   * skills: `namespace` (Linux user+mount+pid namespaces hide them) or `none` (recorded; such
   * runs cannot be submitted).
   */
  guard: z.enum(["namespace", "none"]).default("namespace"),
  /**
   * Written by the protocol, not by hand: digests of every corpus and knowledge base learners
   * read (`corpus:<condition>`, `knowledge:<family>`), put into the evaluation run's recorded
   * config so the run lock covers their contents. A value in run.toml is replaced.
   */
  input_digests: z.record(z.string(), z.string()).optional(),
});
export type LearningConfig = z.infer<typeof LearningConfigSchema>;

/** How a method iterates, with the defaults applied: rounds 1 for methods without the option. */
export interface RoundPlan {
  rounds: number;
  evaluateRounds: boolean;
  batchFeedback: boolean;
  explorationAttempts: number;
  corpus?: string;
}

/** The round plan of a method config (defaults: 1 round, rounds not evaluated, batch feedback, no exploration). */
export function roundsOf(m: MethodConfig): RoundPlan {
  const o = m as Partial<{ rounds: number; evaluate_rounds: boolean; batch_feedback: boolean; exploration_attempts: number; corpus: string }>;
  return { rounds: o.rounds ?? 1, evaluateRounds: o.evaluate_rounds ?? false, batchFeedback: o.batch_feedback ?? true, explorationAttempts: o.exploration_attempts ?? 0, corpus: o.corpus };
}

/** Condition name under which round `n` of `condition`'s method is evaluated (`<condition>@r<n>`). */
export function roundCondition(condition: string, n: number): string {
  return `${condition}@r${n}`;
}
