import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { nopAgent } from "./nop.ts";
import { oracleAgent } from "./oracle.ts";
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
} as const;

export type AgentKind = keyof typeof agentKinds;

export const AgentConfigSchema = z.discriminatedUnion("kind", [agentKinds.oracle.schema, agentKinds.nop.schema]);
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** Environment the factories may read (API keys stay on the host, never in a sandbox). */
export interface AgentDeps {
  env: Record<string, string | undefined>;
}

/**
 * Instantiates an agent from its validated config.
 * @throws InputError listing the known kinds when the kind is unknown
 */
export function createAgent(config: AgentConfig, _deps: AgentDeps = { env: process.env }): Agent {
  const entry = agentKinds[config.kind as AgentKind];
  if (!entry) {
    throw new InputError(`unknown agent kind \`${String(config.kind)}\``, { field: "agents.kind", hint: `use one of: ${Object.keys(agentKinds).join(", ")}` });
  }
  return entry.create(config as never);
}
