import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { errorMessage, SandboxError } from "../../core/errors.ts";
import { MOCK_FINGERPRINT } from "../mock-model/server.ts";
import { skillsUsed, TRAJECTORY_EXTRA_VERSION, TRAJECTORY_SCHEMA_VERSION, writeTrajectory, type SkillEvent, type Step, type StopReason, type Trajectory } from "../trajectory.ts";
import type { AgentContext, AgentResult, TokenUsage } from "../types.ts";
import type { OpenAIAgentOptions } from "./options.ts";
import { addUsage, costUsd, ZERO_USAGE, type ModelPrice } from "./pricing.ts";
import { isNested, topLevelSkills } from "../../skills/library.ts";
import { skillsSection, systemPrompt } from "./prompt.ts";
import { createWithRetry, ModelCallError, type RetryBudget } from "./retry.ts";
import { skillMeter, skillShareOf } from "./skill-meter.ts";
import { runTool, skillToolDefinitions, toolDefinitions } from "./tools.ts";
import { truncateMessages } from "./truncate.ts";
import type { SkillEventDraft } from "./skill-tools.ts";

/**
 * The tool-calling episode: system prompt + instruction, then model turn → tool calls →
 * observations until the model answers without a tool call, the turn limit is reached, the
 * agent timeout fires, or the model endpoint fails for good. The model is called from the
 * host; the sandbox only ever sees the commands the model asks for.
 */

export interface LoopDeps {
  /** host environment the endpoint and key are read from (by the NAMES in the options) */
  env: Record<string, string | undefined>;
  /** price of `options.model`, when the run config has one */
  price?: ModelPrice;
  /** recorded in trajectory.json `agent.version` */
  harnessVersion?: string;
}

const now = () => new Date().toISOString();
const OVERFLOW_RETRIES = 3;

function usageOf(u: OpenAI.CompletionUsage | undefined): TokenUsage {
  return { prompt: u?.prompt_tokens ?? 0, completion: u?.completion_tokens ?? 0, cached: u?.prompt_tokens_details?.cached_tokens ?? 0 };
}

/** Resolves endpoint and key from the host env; returns an error message when unusable. */
function clientFor(options: OpenAIAgentOptions, env: LoopDeps["env"]): OpenAI | string {
  const baseURL = env[options.base_url_env]?.trim() || undefined;
  const apiKey = env[options.api_key_env]?.trim() || undefined;
  if (!apiKey && !baseURL) return `no API key: set ${options.api_key_env} (and ${options.base_url_env} for a non-OpenAI endpoint) in the harness's environment`;
  // Local OpenAI-compatible servers often need no key, but the SDK insists on one.
  return new OpenAI({ baseURL, apiKey: apiKey ?? "no-key", maxRetries: 0, timeout: options.request_timeout_sec * 1000 });
}

/**
 * Runs one episode and writes trajectory.json into `ctx.trialDir`.
 * @throws SandboxError when the sandbox itself fails (an infra error, not the agent's); the trajectory is still written
 */
export async function runOpenAIEpisode(options: OpenAIAgentOptions, ctx: AgentContext, deps: LoopDeps): Promise<AgentResult> {
  const startedAt = now();
  const startMs = Date.now();
  const deadlineMs = startMs + ctx.timeoutSec * 1000;
  const library = ctx.library;
  const steps: Step[] = [];
  const events: SkillEvent[] = [];
  let total: TokenUsage = ZERO_USAGE;
  let totalCost = 0;
  let stop: StopReason = "final_answer";
  let error: string | undefined;
  let scripted = false;
  let thrown: unknown;

  const addEvents = (stepId: number, drafts: SkillEventDraft[]) => {
    for (const d of drafts) events.push({ ...d, step_id: stepId, timestamp: now() });
  };
  // Progressive disclosure: the prompt lists the top-level skills; sub-skills appear when their parent is loaded.
  const listed = library ? topLevelSkills(library) : undefined;
  const promptOptions = { skills: listed, skillsMountPath: library ? ctx.skillsMountPath : undefined, nested: library ? isNested(library) : false, commandTimeoutSec: options.command_timeout_sec, outputCapBytes: options.output_cap_bytes };
  const system = systemPrompt(promptOptions);
  const meter = skillMeter(skillsSection(promptOptions), skillToolDefinitions(library));
  steps.push({ step_id: 1, timestamp: startedAt, source: "system", message: system });
  addEvents(1, (listed ?? []).map((s) => ({ type: "skill_listed", skill: s.id, via: "prompt" })));
  steps.push({ step_id: 2, timestamp: startedAt, source: "user", message: ctx.instruction });
  const messages: ChatCompletionMessageParam[] = [
    { role: "system", content: system },
    { role: "user", content: ctx.instruction },
  ];
  const tools = toolDefinitions(library);
  const budget: RetryBudget = { remainingMs: options.retry.budget_sec * 1000 };
  const seed = ((options.seed ?? 0) + ctx.seed) % 2 ** 31;
  let contextBudget = options.max_context_tokens;
  let keepRecent = options.keep_recent_observations;

  try {
    const client = clientFor(options, deps.env);
    if (typeof client === "string") throw new ModelCallError("fatal", client);
    let turn = 0;
    for (; turn < options.max_turns; turn++) {
      if (ctx.signal.aborted) throw new ModelCallError("aborted", "stopped by the agent timeout");
      let call;
      let sent: { messages: ChatCompletionMessageParam[]; elided: number };
      for (let overflow = 0; ; overflow++) {
        sent = contextBudget ? truncateMessages(messages, contextBudget, keepRecent) : { messages, elided: 0 };
        if (sent.elided) ctx.log(`turn ${turn + 1}: elided ${sent.elided} old observation(s) to fit ${contextBudget} tokens`);
        const t0 = Date.now();
        try {
          call = await createWithRetry(
            client,
            { model: options.model, messages: sent.messages, tools, temperature: options.temperature, seed, max_completion_tokens: options.max_output_tokens },
            { retry: options.retry, budget, signal: ctx.signal, log: ctx.log },
          );
          call = { ...call, latencyMs: Date.now() - t0 };
          break;
        } catch (e) {
          if (!(e instanceof ModelCallError) || e.kind !== "context_overflow" || overflow >= OVERFLOW_RETRIES) throw e;
          // Halve the budget (estimated from what was just refused) and keep fewer observations verbatim.
          const refused = Math.ceil(JSON.stringify(sent.messages).length / 4);
          contextBudget = Math.floor(Math.min(contextBudget ?? refused, refused) / 2);
          keepRecent = Math.max(1, Math.floor(keepRecent / 2));
          ctx.log(`turn ${turn + 1}: endpoint reported context overflow; retrying with a budget of ${contextBudget} tokens`);
          if (truncateMessages(messages, contextBudget, keepRecent).elided === 0) throw new ModelCallError("fatal", `context window exceeded and nothing left to elide: ${e.message}`);
        }
      }
      const { completion } = call;
      const skillTokens = meter.measure(sent.messages);
      if (completion.system_fingerprint === MOCK_FINGERPRINT) scripted = true;
      const choice = completion.choices[0]!;
      const usage = usageOf(completion.usage);
      const stepCost = deps.price ? costUsd(usage, deps.price) : undefined;
      total = addUsage(total, usage);
      if (stepCost !== undefined) totalCost += stepCost;
      const calls = (choice.message.tool_calls ?? []).flatMap((c) => (c.type === "function" ? [c] : []));
      const stepId = steps.length + 1;
      const step: Step = {
        step_id: stepId,
        timestamp: now(),
        source: "agent",
        model_name: completion.model || options.model,
        message: choice.message.content ?? "",
        metrics: {
          prompt_tokens: usage.prompt,
          completion_tokens: usage.completion,
          cached_tokens: usage.cached,
          ...(stepCost !== undefined ? { cost_usd: stepCost } : {}),
          latency_ms: call.latencyMs,
        },
        extra: { finish_reason: choice.finish_reason, attempts: call.attempts, ...(call.waitedMs ? { retry_wait_ms: call.waitedMs } : {}), skill_tokens: skillTokens },
      };
      steps.push(step);
      messages.push({ role: "assistant", content: choice.message.content ?? null, ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.function.name, arguments: c.function.arguments } })) } : {}) });
      ctx.log(`turn ${turn + 1}: ${calls.length ? calls.map((c) => c.function.name).join(", ") : "final answer"} (tokens in ${usage.prompt} out ${usage.completion})`);
      if (calls.length === 0) {
        stop = "final_answer";
        break;
      }
      step.tool_calls = [];
      step.observation = { results: [] };
      for (const c of calls) {
        if (ctx.signal.aborted) throw new ModelCallError("aborted", "stopped by the agent timeout");
        const outcome = await runTool(c.function.name, c.function.arguments, {
          sandbox: ctx.sandbox,
          library,
          skillsMountPath: ctx.skillsMountPath,
          commandTimeoutSec: options.command_timeout_sec,
          outputCapBytes: options.output_cap_bytes,
          remainingSec: () => (deadlineMs - Date.now()) / 1000,
          signal: ctx.signal,
        });
        step.tool_calls.push({ tool_call_id: c.id, function_name: c.function.name, arguments: outcome.recordedArgs });
        step.observation.results.push({ source_call_id: c.id, content: outcome.content });
        addEvents(stepId, outcome.events);
        const share = library ? skillShareOf(c.function.name) : undefined;
        if (share) meter.mark(messages.length, share, outcome.content);
        messages.push({ role: "tool", tool_call_id: c.id, content: outcome.content });
      }
    }
    if (turn >= options.max_turns) {
      stop = "max_turns";
      ctx.log(`turn limit of ${options.max_turns} reached`);
    }
  } catch (e) {
    if (ctx.signal.aborted || (e instanceof ModelCallError && e.kind === "aborted")) {
      stop = "timeout";
      ctx.log("agent timeout: episode stopped");
    } else if (e instanceof ModelCallError) {
      stop = "api_error";
      error = e.message;
    } else if (e instanceof SandboxError) {
      stop = "agent_error";
      error = errorMessage(e);
      thrown = e;
    } else {
      stop = "agent_error";
      error = `agent crashed: ${errorMessage(e)}`;
    }
    if (error) ctx.log(`error: ${error}`);
  }

  const trajectory: Trajectory = {
    schema_version: TRAJECTORY_SCHEMA_VERSION,
    session_id: randomUUID(),
    agent: { name: "skilldelta-openai", version: deps.harnessVersion ?? "0", model_name: options.model, extra: { config_id: options.id, temperature: options.temperature, seed, max_turns: options.max_turns } },
    steps,
    final_metrics: {
      total_prompt_tokens: total.prompt,
      total_completion_tokens: total.completion,
      total_cached_tokens: total.cached,
      ...(deps.price ? { total_cost_usd: totalCost } : {}),
      total_steps: steps.length,
    },
    extra: {
      skilldelta_version: TRAJECTORY_EXTRA_VERSION,
      skills_offered: (library?.skills ?? []).map((s) => s.id),
      skill_events: events,
      stop_reason: stop,
      ...(error ? { error } : {}),
      scripted_model: scripted,
      skill_tokens: meter.totals(),
      started_at: startedAt,
      finished_at: now(),
    },
  };
  let written = false;
  try {
    await writeTrajectory(ctx.trialDir, trajectory);
    written = true;
  } catch (e) {
    ctx.log(`could not write trajectory.json: ${errorMessage(e)}`);
  }
  if (thrown) throw thrown;
  return {
    exitCode: null,
    ...(error ? { error } : {}),
    tokens: total,
    ...(deps.price ? { costUsd: totalCost } : {}),
    skillsLoaded: skillsUsed(events),
    skillTokens: meter.totals(),
    trajectoryWritten: written,
    ...(scripted ? { scriptedModel: true } : {}),
  };
}
