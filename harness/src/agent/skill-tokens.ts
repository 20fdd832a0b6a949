import { z } from "zod";

/**
 * Skill-attributable context tokens (issue 11, SKILL0): how much of what the model reads
 * exists only because a skill library was offered. This module only depends on zod, so the
 * run journal schema (and through it the analysis and the site) can import it without
 * pulling in the agent and the openai SDK.
 *
 * Estimator: `ceil(characters / 4)` per piece of text, the same characters/4 rule the
 * truncation policy uses (`openai/truncate.ts`). Each piece (the prompt's skills section,
 * one tool observation, the skill tool definitions) is estimated on its own and the pieces
 * are summed, so an independent count of the same texts gives the same number. It is an
 * estimate, not the endpoint's tokenizer: compare conditions with it, not with billed tokens.
 */

/** Tokens of one text under the estimator above. */
export const estimateTextTokens = (text: string): number => Math.ceil(text.length / 4);

const count = z.number().int().min(0);

/**
 * Per trial. `listing`, `loaded` and `tool_defs` count each piece once, as it entered the
 * context; `step_max` / `step_sum` / `steps` describe what every model call actually carried.
 */
export const SkillTokensSchema = z.strictObject({
  /** the system prompt's skills section plus every `list_skills` observation */
  listing: count,
  /** every `load_skill` and `read_skill_file` observation (skill bodies, sub-skill listings, files) */
  loaded: count,
  /** the JSON of the skill tool definitions (`list_skills`, `load_skill`, `read_skill_file`), sent with each request */
  tool_defs: count,
  /** listing + loaded + tool_defs */
  total: count,
  /** the largest skill-attributable share of one model call's context */
  step_max: count,
  /** summed over model calls: skill tokens re-read every turn (mean per step = step_sum / steps) */
  step_sum: count,
  /** model calls measured */
  steps: count,
});
export type SkillTokens = z.infer<typeof SkillTokensSchema>;

/** Per model call (trajectory step `extra.skill_tokens`): the skill-attributable part of the context as sent. */
export const StepSkillTokensSchema = z.strictObject({ listing: count, loaded: count, tool_defs: count, total: count });
export type StepSkillTokens = z.infer<typeof StepSkillTokensSchema>;

/** All zeros: what `no-skill` reports (nothing in its context comes from a library). */
export const ZERO_SKILL_TOKENS: SkillTokens = { listing: 0, loaded: 0, tool_defs: 0, total: 0, step_max: 0, step_sum: 0, steps: 0 };
