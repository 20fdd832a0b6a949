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

/** Built-in and plug-in methods, by `kind`. Every option here is digested into the lock. */
export const MethodConfigSchema = z.discriminatedUnion("kind", [
  /** SkillLearnBench b1: skills from the acquisition instructions alone */
  z.strictObject({ kind: z.literal("one-shot"), model: SkillModelSchema }),
  /** b2: attempt with the current library, self-critique, revise; `rounds` rounds (verdicts withheld) */
  z.strictObject({ kind: z.literal("self-feedback"), model: SkillModelSchema, rounds: z.number().int().min(1).max(10).default(2) }),
  /** b3: attempt, receive the declared feedback level, revise; up to `rounds` rounds */
  z.strictObject({ kind: z.literal("verifier-feedback"), model: SkillModelSchema, rounds: z.number().int().min(1).max(10).default(2) }),
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
  }),
  /** a module exporting a `Learner` (default export or `export`), run in a guarded child process */
  z.strictObject({
    kind: z.literal("module"),
    module: z.string().min(1),
    export: z.string().default("default"),
    options: z.record(z.string(), z.unknown()).default({}),
    timeout_sec: z.number().positive().max(24 * 3600).default(1800),
    model: SkillModelSchema.optional(),
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
});
export type LearningConfig = z.infer<typeof LearningConfigSchema>;
