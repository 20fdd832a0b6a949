import { z } from "zod";

/**
 * task.toml, as Harbor writes it, plus SkillDelta's `[metadata]` extensions (`split`, `role`,
 * `extra_skills`, `pass_threshold`). Known fields are typed; unknown keys are tolerated
 * (foreign suites add their own) and reported by `tasks lint`, not rejected.
 */
const seconds = z.number().positive();
const envVars = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

export const TASK_SPLITS = ["acquisition", "evaluation"] as const;
export const TASK_ROLES = ["acquisition", "transfer", "trap", "composition", "core"] as const;

/**
 * One `[[environment.assets]]` entry: a file the image build needs but git does not carry (videos,
 * images, datasets). The bytes live in the local content-addressed asset cache (task/assets.ts),
 * `skilldelta assets add <file>` puts them there; the build verifies the digest and copies the
 * file to `dest` inside the build context (the task's `environment/` folder), where the
 * Dockerfile can COPY it. The digest is in task.toml, so the task digest (and the run lock) pins it.
 */
export const TaskAssetSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, "expected a short name like `clip-1` (letters, digits, `_`, `.`, `-`)"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits (`skilldelta assets add <file>` prints them)"),
  /** size in bytes: lets `assets check` spot a truncated cache entry without hashing it */
  bytes: z.number().int().min(0).optional(),
  /** path inside the build context (`environment/`), e.g. `data/video1.mp4` */
  dest: z
    .string()
    .regex(/^(?![/\\])(?!.*(^|[/\\])\.\.?([/\\]|$))[^\\]+$/, "expected a relative path inside environment/ without `.`/`..` segments, e.g. `data/video1.mp4`")
    .refine((d) => d !== "Dockerfile" && !/^skills(\/|$)/.test(d), "`Dockerfile` and `skills/` are reserved in the build context"),
});
export type TaskAsset = z.infer<typeof TaskAssetSchema>;

function uniqueAssets(assets: TaskAsset[], ctx: z.RefinementCtx): void {
  for (const key of ["name", "dest"] as const) {
    const seen = new Set<string>();
    assets.forEach((a, i) => {
      if (seen.has(a[key])) ctx.addIssue({ code: "custom", path: [i, key], message: `two assets share the ${key} \`${a[key]}\`` });
      seen.add(a[key]);
    });
  }
}

export const TaskTomlSchema = z.looseObject({
  version: z.union([z.string(), z.number()]).transform(String).optional(),
  metadata: z
    .looseObject({
      split: z.enum(TASK_SPLITS).optional(),
      role: z.enum(TASK_ROLES).optional(),
      /** skills of other families the curated condition adds, as `family/skill` */
      extra_skills: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected `family/skill`")).optional(),
      /** reward at or above which a trial counts as passed (default 1) */
      pass_threshold: z.number().min(0).optional(),
      /** run the verifier in a fresh container that receives only the agent's final state */
      separate_verifier: z.boolean().optional(),
    })
    .default({}),
  agent: z.looseObject({ timeout_sec: seconds.default(600) }).default({ timeout_sec: 600 }),
  verifier: z
    .looseObject({ timeout_sec: seconds.default(600), env: envVars.default({}) })
    .default({ timeout_sec: 600, env: {} }),
  solution: z
    .looseObject({ timeout_sec: seconds.optional(), env: envVars.default({}) })
    .default({ env: {} }),
  environment: z
    .looseObject({
      cpus: z.number().positive().default(1),
      memory_mb: z.number().int().positive().default(2048),
      storage_mb: z.number().int().positive().default(10240),
      pids: z.number().int().positive().default(512),
      gpus: z.number().int().min(0).default(0),
      build_timeout_sec: seconds.default(600),
      allow_internet: z.boolean().default(false),
      /** Terminal-Bench style; anything but "none" counts as network access */
      network_mode: z.string().optional(),
      docker_image: z.string().optional(),
      /** large files kept out of git, pinned by digest, copied into the build context from the local asset cache */
      assets: z.array(TaskAssetSchema).superRefine(uniqueAssets).optional(),
    })
    .default({ cpus: 1, memory_mb: 2048, storage_mb: 10240, pids: 512, gpus: 0, build_timeout_sec: 600, allow_internet: false }),
});
export type TaskToml = z.infer<typeof TaskTomlSchema>;

/** family.toml: SkillDelta's own file, so it is strict. */
export const FamilyTomlSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a lowercase slug like `ledger`"),
  title: z.string().min(1),
  domain: z.string().min(1),
  /** name of `environments/<name>`, the image the family's tasks build FROM */
  environment: z.string().min(1).optional(),
  where_the_knowledge_lives: z.string().min(1),
  why_a_skill_helps: z.string().min(1),
  description: z.string().optional(),
  /**
   * the family's knowledge base for learners (issue 11): a directory relative to the family dir,
   * e.g. `knowledge = "knowledge"`. Learners read it; solving agents never see it.
   */
  knowledge: z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/, "expected a relative path inside the family directory").optional(),
  splits: z.strictObject({
    acquisition: z.array(z.string()).default([]),
    evaluation: z.array(z.string()).default([]),
  }),
});
export type FamilyToml = z.infer<typeof FamilyTomlSchema>;
