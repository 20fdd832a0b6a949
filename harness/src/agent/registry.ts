import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { nopAgent } from "./nop.ts";
import { oracleAgent } from "./oracle.ts";
import { commandAgent, CommandAgentOptionsSchema, type CommandAgentOptions } from "./command.ts";
import { openaiAgent, OpenAIAgentOptionsSchema, type OpenAIAgentOptions } from "./openai/index.ts";
import type { PriceTable } from "./openai/pricing.ts";
import { replayAgent, ReplayAgentOptionsSchema, type ReplayAgentOptions } from "./replay.ts";
import type { Agent } from "./types.ts";

/**
 * Built-in agents by kind. Each entry is the zod schema of its `[[agents]]` block in run.toml
 * and a factory; `AgentConfigSchema` is derived from them, so the config format and the
 * registry cannot drift apart. A new kind is one entry here.
 */
const id = z.string().regex(/^[\w.-]+$/, "expected letters, digits, `.`, `_` or `-`");

export const agentKinds = {
  oracle: {
    summary: "runs the task's solution/solve.sh (proves a task solvable)",
    schema: z.strictObject({ kind: z.literal("oracle"), id: id.default("oracle") }),
    create: (cfg: { id: string }): Agent => oracleAgent(cfg.id),
  },
  nop: {
    summary: "does nothing (proves the verifier rejects an untouched environment)",
    schema: z.strictObject({ kind: z.literal("nop"), id: id.default("nop") }),
    create: (cfg: { id: string }): Agent => nopAgent(cfg.id),
  },
  openai: {
    summary: "tool-calling loop against an OpenAI-compatible endpoint (bash + skill tools, progressive disclosure)",
    schema: OpenAIAgentOptionsSchema,
    create: (cfg: OpenAIAgentOptions, deps: AgentDeps): Agent => openaiAgent(cfg, { env: deps.env, price: deps.prices?.[cfg.model], harnessVersion: deps.harnessVersion }),
  },
  command: {
    summary: "an external coding-agent CLI run inside the container, skills copied to .claude/skills, .codex/skills, …",
    schema: CommandAgentOptionsSchema,
    create: (cfg: CommandAgentOptions, deps: AgentDeps): Agent => commandAgent(cfg, deps),
  },
  replay: {
    summary: "re-executes the bash commands of a recorded trajectory.json in a fresh sandbox",
    schema: ReplayAgentOptionsSchema,
    create: (cfg: ReplayAgentOptions): Agent => replayAgent(cfg),
  },
} as const;

export type AgentKind = keyof typeof agentKinds;

export const AgentConfigSchema = z.discriminatedUnion("kind", [
  agentKinds.oracle.schema,
  agentKinds.nop.schema,
  agentKinds.openai.schema,
  agentKinds.command.schema,
  agentKinds.replay.schema,
]);
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** Environment the factories may read (API keys stay on the host, never in a sandbox). */
export interface AgentDeps {
  env: Record<string, string | undefined>;
  /** run.toml `[prices]`: dollars per million tokens by model name; cost is reported when the model has an entry */
  prices?: PriceTable;
  /** harness version, recorded in trajectories */
  harnessVersion?: string;
}

/**
 * Instantiates an agent from its validated config.
 * @throws InputError listing the known kinds when the kind is unknown
 */
export function createAgent(config: AgentConfig, deps: AgentDeps = { env: process.env }): Agent {
  const entry = agentKinds[config.kind as AgentKind];
  if (!entry) {
    throw new InputError(`unknown agent kind \`${String(config.kind)}\``, { field: "agents.kind", hint: `use one of: ${Object.keys(agentKinds).join(", ")}` });
  }
  return entry.create(config as never, deps);
}
