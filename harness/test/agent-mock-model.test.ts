// The scripted OpenAI-compatible server over real HTTP, driven by the real openai SDK, and the
// agent's retry policy against its injected 429/5xx/slow/overflow responses.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MOCK_FINGERPRINT, parseMockScript, startMockModel, type MockModelServer } from "../src/agent/mock-model/index.ts";
import { createWithRetry, ModelCallError } from "../src/agent/openai/retry.ts";

const script = parseMockScript({
  version: 1,
  model: "scripted-test",
  require_api_key: "sk-test-secret",
  context_window_tokens: 4000,
  turns: [
    [
      { when: { system_includes: "skill-alpha", tools_include: "load_skill" }, reply: { tool_calls: [{ name: "load_skill", arguments: { name: "skill-alpha" } }] } },
      { when: { user_includes: "RATE" }, reply: { content: "after 429", fail_first: [429], retry_after_sec: 0 } },
      { when: { user_includes: "BROKEN" }, reply: { content: "never", fail_first: [500, 503, 500, 500] } },
      { when: { user_includes: "SLOW" }, reply: { content: "slow", delay_ms: 5000 } },
      { when: { user_includes: "MALFORMED" }, reply: { tool_calls: [{ name: "bash", raw_arguments: '{"command": "ls' }] } },
      { reply: { tool_calls: [{ name: "bash", arguments: { command: "echo no-skill-path" } }] } },
    ],
    [{ when: { last_tool_result_matches: "magic word: ([A-Z0-9-]+)" }, reply: { tool_calls: [{ name: "bash", arguments: { command: "echo {{m1}} > /app/answer.txt" } }] } }],
  ],
  after_last: { content: "done" },
});

let server: MockModelServer;
let client: OpenAI;
const retry = { max_retries: 3, budget_sec: 10, initial_backoff_ms: 10, max_backoff_ms: 100 };
const never = new AbortController().signal;

beforeAll(async () => {
  server = await startMockModel(script);
  client = new OpenAI({ baseURL: server.url, apiKey: "sk-test-secret", maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
});

const tools = (names: string[]) => names.map((name) => ({ type: "function" as const, function: { name, parameters: { type: "object", properties: {} } } }));

describe("mock model over HTTP", () => {
  test("replies depend on the system prompt and offered tools; usage is reported", async () => {
    const withSkill = await client.chat.completions.create({
      model: "x",
      messages: [
        { role: "system", content: "Available skills:\n- skill-alpha: does alpha" },
        { role: "user", content: "do it" },
      ],
      tools: tools(["bash", "load_skill"]),
    });
    expect(withSkill.system_fingerprint).toBe(MOCK_FINGERPRINT);
    expect(withSkill.choices[0]!.message.tool_calls?.[0]).toMatchObject({ type: "function", function: { name: "load_skill", arguments: '{"name":"skill-alpha"}' } });
    expect(withSkill.choices[0]!.finish_reason).toBe("tool_calls");
    expect(withSkill.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(withSkill.usage!.completion_tokens).toBeGreaterThan(0);

    // Same system text but no load_skill tool offered: the no-skill branch answers.
    const without = await client.chat.completions.create({
      model: "x",
      messages: [
        { role: "system", content: "Available skills:\n- skill-alpha: does alpha" },
        { role: "user", content: "do it" },
      ],
      tools: tools(["bash"]),
    });
    expect(without.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { name: "bash", arguments: '{"command":"echo no-skill-path"}' } });
    expect(server.requests.at(-1)).toMatchObject({ turn: 0, tools: ["bash"], answeredBy: "turns[0][5]", status: 200 });
  });

  test("turn 2 interpolates capture groups from the last tool result; cached tokens count the repeated prefix", async () => {
    const r = await client.chat.completions.create({
      model: "x",
      messages: [
        { role: "system", content: "sys" },
        { role: "user", content: "do it" },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "load_skill", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "The magic word: PAPAYA-42 is required" },
      ],
    });
    expect(JSON.parse(r.choices[0]!.message.tool_calls![0]!.type === "function" ? r.choices[0]!.message.tool_calls![0]!.function.arguments : "")).toEqual({ command: "echo PAPAYA-42 > /app/answer.txt" });
    expect(r.usage!.prompt_tokens_details!.cached_tokens).toBeGreaterThan(0);
    expect(r.usage!.prompt_tokens_details!.cached_tokens).toBeLessThan(r.usage!.prompt_tokens);
  });

  test("a wrong API key is refused with 401", async () => {
    const bad = new OpenAI({ baseURL: server.url, apiKey: "sk-wrong", maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: "x", messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  test("malformed tool-call arguments are sent verbatim", async () => {
    const r = await client.chat.completions.create({ model: "x", messages: [{ role: "user", content: "MALFORMED" }] });
    const call = r.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function.arguments).toBe('{"command": "ls');
  });
});

describe("retry policy against the mock", () => {
  test("a 429 followed by success is retried", async () => {
    const logs: string[] = [];
    const r = await createWithRetry(client, { model: "x", messages: [{ role: "user", content: "RATE" }] }, { retry, budget: { remainingMs: 10_000 }, signal: never, log: (l) => logs.push(l) });
    expect(r.completion.choices[0]!.message.content).toBe("after 429");
    expect(r.attempts).toBe(2);
    expect(logs.join("\n")).toMatch(/HTTP 429/);
  });

  test("persistent 5xx ends as budget_exhausted after max_retries", async () => {
    const err = await createWithRetry(client, { model: "x", messages: [{ role: "user", content: "BROKEN" }] }, { retry, budget: { remainingMs: 10_000 }, signal: never, log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect((err as ModelCallError).kind).toBe("budget_exhausted");
    expect((err as ModelCallError).message).toMatch(/after 4 attempts/);
  });

  test("the wait budget is enforced across calls", async () => {
    const err = await createWithRetry(client, { model: "x", messages: [{ role: "user", content: "BROKEN again" }] }, { retry: { ...retry, initial_backoff_ms: 50 }, budget: { remainingMs: 20 }, signal: never, log: () => {} }).catch((e: unknown) => e);
    expect((err as ModelCallError).kind).toBe("budget_exhausted");
    expect((err as ModelCallError).message).toMatch(/retry budget spent/);
  });

  test("an abort stops a slow call promptly", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const err = await createWithRetry(client, { model: "x", messages: [{ role: "user", content: "SLOW" }] }, { retry, budget: { remainingMs: 10_000 }, signal: ac.signal, log: () => {} }).catch((e: unknown) => e);
    expect((err as ModelCallError).kind).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("an oversized request is reported as context overflow, not retried", async () => {
    const err = await createWithRetry(client, { model: "x", messages: [{ role: "user", content: "x".repeat(40_000) }] }, { retry, budget: { remainingMs: 10_000 }, signal: never, log: () => {} }).catch((e: unknown) => e);
    expect((err as ModelCallError).kind).toBe("context_overflow");
  });
});
