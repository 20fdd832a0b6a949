import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { errorMessage } from "../../core/errors.ts";
import type { OpenAIAgentOptions } from "./options.ts";

/**
 * One model call with SkillDelta's own retry policy (the SDK's retries are switched off so
 * every wait is logged and counted against the trial's budget): 429, 5xx, 408/409 and
 * connection errors are retried with exponential backoff (Retry-After honoured when it fits),
 * until `max_retries` or the budget of waiting seconds is spent.
 */

export type ModelCallFailure = "budget_exhausted" | "fatal" | "context_overflow" | "aborted";

/** Why a model call gave up; the loop maps it to a stop reason. */
export class ModelCallError extends Error {
  readonly kind: ModelCallFailure;
  readonly status?: number;
  constructor(kind: ModelCallFailure, message: string, status?: number) {
    super(message);
    this.name = "ModelCallError";
    this.kind = kind;
    this.status = status;
  }
}

/** Waiting time left for retries in one trial, shared by all its model calls. */
export interface RetryBudget {
  remainingMs: number;
}

export interface CallResult {
  completion: ChatCompletion;
  attempts: number;
  waitedMs: number;
  /** x-request-id of the answer, when the endpoint sends one */
  requestId?: string;
}

const CONTEXT_OVERFLOW = /context[_ ]length|maximum context|too many tokens|prompt is too long|context window/i;

function isContextOverflow(error: InstanceType<typeof OpenAI.APIError>): boolean {
  const code = (error as { code?: unknown }).code;
  return error.status === 400 && (code === "context_length_exceeded" || CONTEXT_OVERFLOW.test(error.message));
}

function retryable(error: unknown): boolean {
  if (error instanceof OpenAI.APIUserAbortError) return false;
  if (error instanceof OpenAI.APIConnectionError) return true;
  if (error instanceof OpenAI.APIError) {
    const s = error.status ?? 0;
    return s === 408 || s === 409 || s === 429 || s >= 500;
  }
  return false;
}

/** Seconds from a Retry-After header (delta seconds or HTTP date), if present. */
function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { headers?: Headers }).headers;
  const value = headers instanceof Headers ? headers.get("retry-after") : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ModelCallError("aborted", "stopped by the agent timeout"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelCallError("aborted", "stopped by the agent timeout"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Calls chat completions, retrying transient failures.
 * @throws ModelCallError `aborted` (signal), `context_overflow` (400 context length), `budget_exhausted` (retries or wait budget spent), `fatal` (other 4xx, bad response)
 */
export async function createWithRetry(
  client: OpenAI,
  body: ChatCompletionCreateParamsNonStreaming,
  options: { retry: OpenAIAgentOptions["retry"]; budget: RetryBudget; signal: AbortSignal; log: (line: string) => void },
): Promise<CallResult> {
  const { retry, budget, signal, log } = options;
  let waitedMs = 0;
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw new ModelCallError("aborted", "stopped by the agent timeout");
    try {
      const { data, response } = await client.chat.completions.create(body, { signal }).withResponse();
      if (!data || !Array.isArray(data.choices) || !data.choices[0]?.message) {
        throw new ModelCallError("fatal", "the endpoint answered without choices[0].message");
      }
      return { completion: data, attempts: attempt + 1, waitedMs, requestId: response.headers.get("x-request-id") ?? undefined };
    } catch (error) {
      if (error instanceof ModelCallError) throw error;
      if (signal.aborted || error instanceof OpenAI.APIUserAbortError) throw new ModelCallError("aborted", "stopped by the agent timeout");
      const status = error instanceof OpenAI.APIError ? error.status : undefined;
      if (error instanceof OpenAI.APIError && isContextOverflow(error)) throw new ModelCallError("context_overflow", errorMessage(error), status);
      if (!retryable(error)) throw new ModelCallError("fatal", `model call failed${status ? ` (HTTP ${status})` : ""}: ${errorMessage(error)}`, status);
      if (attempt >= retry.max_retries) {
        throw new ModelCallError("budget_exhausted", `model call failed after ${attempt + 1} attempts (last: ${status ? `HTTP ${status}` : errorMessage(error)})`, status);
      }
      const backoff = Math.min(retry.max_backoff_ms, retry.initial_backoff_ms * 2 ** attempt);
      const hinted = retryAfterMs(error);
      const wait = hinted !== undefined && hinted <= retry.max_backoff_ms ? Math.max(hinted, backoff / 2) : backoff;
      if (wait > budget.remainingMs) {
        throw new ModelCallError("budget_exhausted", `retry budget spent: next wait ${Math.round(wait)} ms exceeds the ${Math.round(budget.remainingMs)} ms left (last: ${status ? `HTTP ${status}` : errorMessage(error)})`, status);
      }
      log(`model call attempt ${attempt + 1} failed (${status ? `HTTP ${status}` : errorMessage(error)}); retrying in ${Math.round(wait)} ms`);
      budget.remainingMs -= wait;
      waitedMs += wait;
      await sleep(wait, signal);
    }
  }
}
