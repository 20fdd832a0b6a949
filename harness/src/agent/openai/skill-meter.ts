import type { ChatCompletionFunctionTool, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { estimateTextTokens, ZERO_SKILL_TOKENS, type SkillTokens, type StepSkillTokens } from "../skill-tokens.ts";

/**
 * Counts skill-attributable context tokens during an episode (see `../skill-tokens.ts` for
 * the estimator). Three sources exist only because a library was offered: the system prompt's
 * skills section, the skill tool definitions, and the observations of skill tools
 * (`list_skills` → listing; `load_skill`, `read_skill_file` → loaded). Shell commands that
 * `cat` files under the mount are recorded as skill events but not counted here: their
 * observations mix skill text with command output, so any share would be a guess.
 */
export type SkillShare = "listing" | "loaded";

/** Which share a tool's observation belongs to, or undefined when it is not a skill tool. */
export function skillShareOf(toolName: string): SkillShare | undefined {
  if (toolName === "list_skills") return "listing";
  if (toolName === "load_skill" || toolName === "read_skill_file") return "loaded";
  return undefined;
}

export interface SkillMeter {
  /** marks message `index` of the conversation as skill text of `share` (call when pushing it) */
  mark(index: number, share: SkillShare, content: string): void;
  /** measures one request as SENT (after truncation) and adds it to the per-step statistics */
  measure(sent: readonly ChatCompletionMessageParam[]): StepSkillTokens;
  /** the per-trial totals so far */
  totals(): SkillTokens;
}

const contentOf = (m: ChatCompletionMessageParam | undefined): string => (m === undefined ? "" : typeof m.content === "string" ? m.content : m.content ? JSON.stringify(m.content) : "");

/**
 * @param section the system prompt's skills section (undefined in `no-skill`)
 * @param skillTools the skill tool definitions sent with every request (empty in `no-skill`)
 */
export function skillMeter(section: string | undefined, skillTools: readonly ChatCompletionFunctionTool[]): SkillMeter {
  const sectionTokens = section === undefined ? 0 : estimateTextTokens(section);
  const toolDefTokens = skillTools.length ? estimateTextTokens(JSON.stringify(skillTools)) : 0;
  const marked = new Map<number, SkillShare>();
  const totals: SkillTokens = { ...ZERO_SKILL_TOKENS, listing: sectionTokens, tool_defs: toolDefTokens, total: sectionTokens + toolDefTokens };
  return {
    mark(index, share, content) {
      marked.set(index, share);
      const n = estimateTextTokens(content);
      totals[share] += n;
      totals.total += n;
    },
    measure(sent) {
      const step: StepSkillTokens = { listing: sectionTokens, loaded: 0, tool_defs: toolDefTokens, total: 0 };
      // Truncation keeps message positions, so marks index the sent copy too (an elided
      // observation counts as its short stub: that is what the model read).
      for (const [index, share] of marked) step[share] += estimateTextTokens(contentOf(sent[index]));
      step.total = step.listing + step.loaded + step.tool_defs;
      totals.steps += 1;
      totals.step_sum += step.total;
      totals.step_max = Math.max(totals.step_max, step.total);
      return step;
    },
    totals: () => ({ ...totals }),
  };
}
