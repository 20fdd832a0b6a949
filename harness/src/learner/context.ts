import { z } from "zod";
import { FeedbackLevelSchema, SkillModelSchema, type FeedbackLevel } from "./config.ts";

/**
 * The learning context: everything a learner may know, as one JSON document (what an external
 * method reads from `$SKILLDELTA_CONTEXT`). It is built only from acquisition-split
 * instructions, the acquisition agent's trajectories and the verdict at the declared feedback
 * level. Never test source, never solutions, never evaluation tasks.
 */
export const LEARNING_CONTEXT_VERSION = 2;

export const CheckViewSchema = z.strictObject({ name: z.string(), passed: z.boolean(), message: z.string().optional() });

/** One acquisition attempt as a learner sees it. Verdict fields appear only at their level. */
export const EpisodeSchema = z.strictObject({
  task: z.string(),
  index: z.number().int().min(0),
  /** compacted trajectory (see skills/raw-trace.ts `compactTrajectory`), verdict line withheld below `binary` */
  trace: z.string(),
  /** `binary` and `rich` */
  passed: z.boolean().optional(),
  /** `rich`: reward and named checks from reward.json */
  reward: z.number().nullable().optional(),
  checks: z.array(CheckViewSchema).optional(),
  /** `rich`: the tail of the verifier's output */
  verifier_output: z.string().optional(),
});
export type Episode = z.infer<typeof EpisodeSchema>;

/** A directory a learner may read (offline corpus, family knowledge base), listed with digests. */
export const ReadableDirSchema = z.strictObject({
  /** absolute path, readable by the method (also under the guard) */
  dir: z.string(),
  files: z.array(z.strictObject({ path: z.string(), sha256: z.string(), bytes: z.number().int().min(0) })),
});
export type ReadableDir = z.infer<typeof ReadableDirSchema>;

export const LearningContextSchema = z.strictObject({
  v: z.literal(LEARNING_CONTEXT_VERSION),
  /** condition the library is for, e.g. `self-evolved` */
  condition: z.string(),
  method: z.string(),
  family: z.strictObject({ id: z.string(), title: z.string().optional(), domain: z.string().optional() }),
  feedback: FeedbackLevelSchema,
  /** acquisition tasks: id and instruction only */
  tasks: z.array(z.strictObject({ id: z.string(), instruction: z.string() })),
  episodes: z.array(EpisodeSchema),
  /** revision round (1-based) for methods that attempt repeatedly */
  round: z.number().int().min(1).default(1),
  /** total rounds of this method (v2) */
  rounds: z.number().int().min(1).optional(),
  /** round > 1: a copy of the last round's library (the method writes the complete new one to its output) */
  previous_library: z.string().optional(),
  /** the method's offline corpus (option `corpus`) */
  corpus: ReadableDirSchema.optional(),
  /** the family's knowledge base (family.toml `knowledge`); learners only, never solving agents */
  knowledge_base: ReadableDirSchema.optional(),
  /** episodes of the exploration attempts the method requested last round, at the feedback level */
  exploration_episodes: z.array(EpisodeSchema).optional(),
  /** extra acquisition attempts the method may request this round: write them to `request_file` */
  exploration: z.strictObject({ budget: z.number().int().min(0), request_file: z.string() }).optional(),
  /** the skill-writing model: endpoint and key are in the env vars NAMED here */
  model: SkillModelSchema.optional(),
  /** what a library must look like to pass the freeze */
  library_rules: z.string(),
});
export type LearningContext = z.infer<typeof LearningContextSchema>;

export const LIBRARY_RULES =
  "Write one folder per skill, each with a SKILL.md starting with YAML frontmatter (`name:`, `description:`), optional scripts/ (the only place for executable files) and references/. No symlinks out of the library; SKILL.md at most 64 KiB, files at most 1 MiB.";

/** Raw material for an episode, before the feedback level filters it. */
export interface EpisodeSource {
  task: string;
  index: number;
  /** compacted trajectory WITHOUT the verdict line */
  trace: string;
  passed: boolean;
  reward: number | null;
  checks: { name: string; passed: boolean; message?: string }[];
  verifierOutput?: string;
}

/** Applies the feedback level: `none` → trajectory only; `binary` → + pass/fail; `rich` → + reward, checks, verifier output. */
export function episodeAt(level: FeedbackLevel, src: EpisodeSource): Episode {
  const base: Episode = { task: src.task, index: src.index, trace: src.trace };
  if (level === "none") return base;
  if (level === "binary") return { ...base, passed: src.passed };
  return {
    ...base,
    passed: src.passed,
    reward: src.reward,
    checks: src.checks.map((c) => ({ name: c.name, passed: c.passed, ...(c.message ? { message: c.message.slice(0, 500) } : {}) })),
    ...(src.verifierOutput ? { verifier_output: src.verifierOutput.slice(-2000) } : {}),
  };
}
