import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";

/**
 * Context truncation policy (documented in harness/src/agent/README.md):
 *
 * 1. The system prompt, the task instruction (first user message) and the most recent
 *    `keepRecent` tool observations are never touched.
 * 2. When the estimated size (characters / 4) of the conversation exceeds the budget, the
 *    OLDEST tool observations are replaced, one at a time, by a one-line stub saying how many
 *    characters were elided, until the estimate fits. Tool-call/observation pairing is kept,
 *    so the conversation stays valid for every OpenAI-compatible endpoint.
 * 3. If the endpoint still answers `context_length_exceeded`, the loop halves the budget and
 *    retries (at most 3 times, with keepRecent falling to 1); if nothing is left to elide
 *    the episode ends with `agent_error`.
 *
 * Elided observations stay complete in trajectory.json; only what is sent is shortened.
 */

export const estimateTokens = (messages: readonly ChatCompletionMessageParam[]): number => Math.ceil(JSON.stringify(messages).length / 4);

const STUB = /^\[observation elided/;

/**
 * Returns a copy of `messages` that fits `budgetTokens` under the policy above, and how many
 * observations were elided. Never mutates its input.
 */
export function truncateMessages(messages: readonly ChatCompletionMessageParam[], budgetTokens: number, keepRecent: number): { messages: ChatCompletionMessageParam[]; elided: number } {
  const out = messages.map((m) => ({ ...m })) as ChatCompletionMessageParam[];
  let size = estimateTokens(out);
  if (size <= budgetTokens) return { messages: out, elided: 0 };
  const toolIdx = out.flatMap((m, i) => (m.role === "tool" ? [i] : []));
  const candidates = toolIdx.slice(0, Math.max(0, toolIdx.length - keepRecent));
  let elided = 0;
  for (const i of candidates) {
    if (size <= budgetTokens) break;
    const m = out[i]!;
    const content = typeof m.content === "string" ? m.content : JSON.stringify(m.content);
    if (STUB.test(content)) continue;
    const stub = `[observation elided to fit the context window: ${content.length} characters]`;
    size -= Math.ceil((JSON.stringify(content).length - JSON.stringify(stub).length) / 4);
    out[i] = { ...m, content: stub } as ChatCompletionMessageParam;
    elided++;
  }
  return { messages: out, elided };
}
