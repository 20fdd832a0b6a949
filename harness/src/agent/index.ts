/** Agents: what solves a task inside a sandbox (DESIGN section 5). */
export type { Agent, AgentContext, AgentResult, TokenUsage } from "./types.ts";
export { agentKinds, AgentConfigSchema, createAgent, type AgentConfig, type AgentKind, type AgentDeps } from "./registry.ts";
export { oracleAgent } from "./oracle.ts";
export { nopAgent } from "./nop.ts";
export { openaiAgent, OpenAIAgentOptionsSchema, PriceTableSchema, ModelPriceSchema, costUsd, type OpenAIAgentOptions, type PriceTable, type ModelPrice } from "./openai/index.ts";
export { commandAgent, CommandAgentOptionsSchema, type CommandAgentOptions } from "./command.ts";
export { replayAgent, ReplayAgentOptionsSchema, recordedCommands, type ReplayAgentOptions } from "./replay.ts";
export {
  TrajectorySchema,
  SkillEventSchema,
  TRAJECTORY_SCHEMA_VERSION,
  readTrajectory,
  writeTrajectory,
  formatTrajectory,
  skillsUsed,
  type Trajectory,
  type SkillEvent,
  type Step,
  type StopReason,
} from "./trajectory.ts";
export { SkillTokensSchema, StepSkillTokensSchema, estimateTextTokens, ZERO_SKILL_TOKENS, type SkillTokens, type StepSkillTokens } from "./skill-tokens.ts";
export { startMockModel, loadMockScript, parseMockScript, MockScriptSchema, MOCK_FINGERPRINT, type MockModelServer, type MockScript } from "./mock-model/index.ts";
