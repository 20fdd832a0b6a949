import type { Agent, AgentContext, AgentResult } from "../types.ts";
import { runOpenAIEpisode, type LoopDeps } from "./loop.ts";
import type { OpenAIAgentOptions } from "./options.ts";

/** The `openai` agent: a tool-calling loop against any OpenAI-compatible endpoint (DESIGN section 5). */
export function openaiAgent(options: OpenAIAgentOptions, deps: LoopDeps): Agent {
  return {
    id: options.id,
    kind: "openai",
    // The resolved options (env var NAMES, never values) are what the lock records and digests.
    config: { ...options },
    run: (ctx: AgentContext): Promise<AgentResult> => runOpenAIEpisode(options, ctx, deps),
  };
}

export { OpenAIAgentOptionsSchema, type OpenAIAgentOptions } from "./options.ts";
export { PriceTableSchema, ModelPriceSchema, costUsd, type PriceTable, type ModelPrice } from "./pricing.ts";
export { systemPrompt, skillsSection } from "./prompt.ts";
export { toolDefinitions, skillToolDefinitions, parseArguments } from "./tools.ts";
export { resolveSkillPath, skillEventsFromCommand, skillListing } from "./skill-tools.ts";
export { skillMeter, skillShareOf } from "./skill-meter.ts";
export { truncateMessages } from "./truncate.ts";
export type { LoopDeps } from "./loop.ts";
