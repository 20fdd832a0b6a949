/** Agents: what solves a task inside a sandbox (DESIGN section 5). */
export type { Agent, AgentContext, AgentResult, TokenUsage } from "./types.ts";
export { agentKinds, AgentConfigSchema, createAgent, type AgentConfig, type AgentKind, type AgentDeps } from "./registry.ts";
export { oracleAgent } from "./oracle.ts";
export { nopAgent } from "./nop.ts";
