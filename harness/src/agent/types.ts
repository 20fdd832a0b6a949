import type { Sandbox } from "../sandbox/types.ts";
import type { SkillLibrary } from "../skills/library.ts";
import type { Task } from "../task/load.ts";
import type { SkillTokens } from "./skill-tokens.ts";

/** Token usage as OpenAI-compatible endpoints report it. */
export interface TokenUsage {
  prompt: number;
  completion: number;
  cached: number;
}

/** Everything an agent gets for one trial. Dependencies are passed in, never read from globals. */
export interface AgentContext {
  task: Task;
  instruction: string;
  sandbox: Sandbox;
  /** the condition's library, mounted read-only at `skillsMountPath`; undefined in `no-skill` */
  library?: SkillLibrary;
  /** where the library is visible inside the sandbox */
  skillsMountPath: string;
  /** agent-phase budget; `signal` aborts when it passes */
  timeoutSec: number;
  signal: AbortSignal;
  /** deterministic per trial (task, condition-independent index), so matched trials share it */
  seed: number;
  /** host directory for this trial's artefacts (trajectory.json, agent.log) */
  trialDir: string;
  /** appends a line to the trial's agent.log */
  log: (line: string) => void;
}

/** What an agent reports. Agents never throw for agent-side failures: they set `error`. */
export interface AgentResult {
  /** exit code of the agent process, when there is one */
  exitCode: number | null;
  /** set when the agent itself failed (crash, API budget exhausted); classified as agent_error */
  error?: string;
  tokens?: TokenUsage;
  costUsd?: number;
  /** skill names loaded during the episode (from the trajectory's skill events) */
  skillsLoaded: string[];
  /** skill-attributable context tokens (see skill-tokens.ts); set by agents that see their context */
  skillTokens?: SkillTokens;
  /** true when the agent wrote trajectory.json into trialDir */
  trajectoryWritten?: boolean;
  /** true when the replies came from the scripted mock model: the run must be marked as a dry run, never a model result */
  scriptedModel?: boolean;
}

export interface Agent {
  /** the config id, e.g. "oracle" or "gpt-4o-mini-t0" */
  readonly id: string;
  readonly kind: string;
  /** the resolved config, recorded in the run lock; its digest identifies matched trials */
  readonly config: Record<string, unknown>;
  run(ctx: AgentContext): Promise<AgentResult>;
}
