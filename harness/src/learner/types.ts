import type { LearningContext, Episode } from "./context.ts";

/** Tokens, dollars and time a learner spent; charged to its condition (DESIGN section 5). */
export interface LearningCost {
  prompt_tokens: number;
  completion_tokens: number;
  usd: number;
  seconds: number;
  /** model calls made */
  calls: number;
  /** true when any reply came from SkillDelta's scripted mock model */
  scripted_model: boolean;
}

export const ZERO_COST: LearningCost = { prompt_tokens: 0, completion_tokens: 0, usd: 0, seconds: 0, calls: 0, scripted_model: false };

/** What a learner gets besides the context. Dependencies are passed in, never read from globals. */
export interface LearnerRuntime {
  /** write the library here (one folder per skill); it starts empty */
  outDir: string;
  /** scratch space */
  workDir: string;
  /** host environment the model endpoint and key are read from (by NAME) */
  env: Record<string, string | undefined>;
  /**
   * Runs the acquisition agent on the family's acquisition tasks with `libraryDir` mounted and
   * returns the episodes at the declared feedback level. Charged to the exploration budget
   * (`exploration_attempts` per family per round; each task attempted counts one); refused
   * beyond it. Undefined for methods run out of process (they write explore.json instead).
   */
  attempt?: (libraryDir: string, round: number) => Promise<Episode[]>;
  log: (line: string) => void;
}

/**
 * A skill-learning method: `learn(ctx)` writes a library directory. Built-ins live in
 * `registry.ts`; a maintainer's method is a module exporting one, or an external command.
 */
export interface Learner {
  readonly kind: string;
  /** resolved options, recorded in the lock */
  readonly config: Record<string, unknown>;
  learn(ctx: LearningContext, rt: LearnerRuntime): Promise<LearningCost>;
}
