import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sha256 } from "../../core/digest.ts";
import type { Condition, MockScript, Reply } from "./script.ts";

/**
 * The scripted OpenAI-compatible endpoint: `POST /v1/chat/completions` (tool calls, usage with
 * cached tokens, injected 429/5xx and slow replies), `GET /v1/models`, and `GET /_mock/requests`
 * (the recent request log, for debugging a script). It answers as a model would over real HTTP,
 * so the agent under test runs its real SDK, retry and parsing code.
 */

/** Fingerprint in every response: lets the agent record that a run used the mock, not a model. */
export const MOCK_FINGERPRINT = "skilldelta-mock";
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MAX_LOGGED = 1000;

interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: string;
}

/** What the server saw of one request; `GET /_mock/requests` returns these. */
export interface RecordedRequest {
  at: string;
  turn: number;
  model: string;
  /** names of the tools offered */
  tools: string[];
  /** the tool definitions exactly as received (tests count their size independently) */
  toolDefinitions: unknown[];
  messages: { role: string; content: string }[];
  status: number;
  /** `turns[turn][i]`, `after_last`, or why the request was refused */
  answeredBy: string;
}

export interface MockModelServer {
  /** base URL to give an OpenAI client, ending in `/v1` */
  url: string;
  port: number;
  /** requests seen so far, oldest first (the last 1000) */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Text of a message's content, whether a string or an array of parts. */
function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === "object" && "text" in p ? String((p as { text: unknown }).text) : "")).join("");
  return "";
}

const estimateTokens = (s: string) => Math.ceil(s.length / 4);

/** Checks a candidate's conditions; returns the capture groups of its regex conditions, or undefined when it does not hold. */
export function matchCondition(when: Condition, messages: ChatMessage[], tools: string[]): string[] | undefined {
  const system = messages.filter((m) => m.role === "system").map((m) => text(m.content)).join("\n");
  const user = messages.filter((m) => m.role === "user").map((m) => text(m.content)).join("\n");
  const all = messages.map((m) => text(m.content)).join("\n");
  const lastTool = text([...messages].reverse().find((m) => m.role === "tool")?.content);
  if (when.system_includes !== undefined && !system.includes(when.system_includes)) return undefined;
  if (when.system_excludes !== undefined && system.includes(when.system_excludes)) return undefined;
  if (when.user_includes !== undefined && !user.includes(when.user_includes)) return undefined;
  if (when.tools_include !== undefined && !tools.includes(when.tools_include)) return undefined;
  if (when.tools_exclude !== undefined && tools.includes(when.tools_exclude)) return undefined;
  if (when.any_message_includes !== undefined && !all.includes(when.any_message_includes)) return undefined;
  if (when.last_tool_result_includes !== undefined && !lastTool.includes(when.last_tool_result_includes)) return undefined;
  let captures: string[] = [];
  for (const [source, subject] of [
    [when.any_message_matches, all],
    [when.last_tool_result_matches, lastTool],
  ] as const) {
    if (source === undefined) continue;
    const m = new RegExp(source).exec(subject);
    if (!m) return undefined;
    captures = m.slice(1).map((g) => g ?? "");
  }
  return captures;
}

/** Replaces `{{m1}}`…`{{m9}}` in every string of a JSON value. */
function interpolate<T>(value: T, captures: string[]): T {
  if (typeof value === "string") return value.replace(/\{\{m([1-9])\}\}/g, (_, i: string) => captures[Number(i) - 1] ?? "") as T;
  if (Array.isArray(value)) return value.map((v) => interpolate(v, captures)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, captures)])) as T;
  return value;
}

/** Picks the reply for a request: the first matching candidate of its turn, else `after_last`. */
export function pickReply(script: MockScript, messages: ChatMessage[], tools: string[]): { reply: Reply; answeredBy: string; captures: string[] } {
  const turn = messages.filter((m) => m.role === "assistant").length;
  for (const [i, candidate] of (script.turns[turn] ?? []).entries()) {
    const captures = matchCondition(candidate.when, messages, tools);
    if (captures) return { reply: candidate.reply, answeredBy: `turns[${turn}][${i}]`, captures };
  }
  return { reply: script.after_last, answeredBy: "after_last", captures: [] };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(data)), ...headers });
  res.end(data);
}

function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the scripted server on `host:port` (port 0 picks a free one).
 * @throws Error when the port cannot be bound
 */
export async function startMockModel(script: MockScript, options: { port?: number; host?: string; onRequest?: (r: RecordedRequest) => void } = {}): Promise<MockModelServer> {
  const requests: RecordedRequest[] = [];
  // Failure injection counts per exact request: a client's retry sends the same body again.
  const seen = new Map<string, number>();
  let counter = 0;
  const record = (r: RecordedRequest) => {
    requests.push(r);
    if (requests.length > MAX_LOGGED) requests.shift();
    options.onRequest?.(r);
  };

  const handleChat = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: { model?: unknown; messages?: unknown; tools?: unknown; stream?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, errorBody("request body is not valid JSON", "invalid_request_error"));
    }
    const messages = (Array.isArray(body.messages) ? body.messages : []) as ChatMessage[];
    const tools = (Array.isArray(body.tools) ? body.tools : []).map((t: { function?: { name?: string } }) => String(t?.function?.name ?? ""));
    const turn = messages.filter((m) => m.role === "assistant").length;
    const base = { at: new Date().toISOString(), turn, model: String(body.model ?? ""), tools, toolDefinitions: Array.isArray(body.tools) ? body.tools : [], messages: messages.map((m) => ({ role: m.role, content: text(m.content) })) };
    if (script.require_api_key !== undefined && req.headers.authorization !== `Bearer ${script.require_api_key}`) {
      record({ ...base, status: 401, answeredBy: "missing or wrong API key" });
      return sendJson(res, 401, errorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
    }
    if (body.stream === true) {
      record({ ...base, status: 400, answeredBy: "streaming not supported" });
      return sendJson(res, 400, errorBody("the mock model does not stream; send stream: false", "invalid_request_error"));
    }
    const promptTokens = estimateTokens(JSON.stringify(messages) + JSON.stringify(body.tools ?? []));
    if (script.context_window_tokens !== undefined && promptTokens > script.context_window_tokens) {
      record({ ...base, status: 400, answeredBy: "context_length_exceeded" });
      return sendJson(res, 400, errorBody(`This model's maximum context length is ${script.context_window_tokens} tokens. However, your messages resulted in ${promptTokens} tokens.`, "invalid_request_error", "context_length_exceeded"));
    }
    const { reply, answeredBy, captures } = pickReply(script, messages, tools);
    const key = sha256(JSON.stringify([messages, body.tools ?? null]));
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    const failure = reply.fail_first[times];
    if (reply.delay_ms > 0) {
      const closed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), reply.delay_ms);
        res.once("close", () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (closed) return record({ ...base, status: 499, answeredBy: `${answeredBy} (client went away while delayed)` });
    }
    if (failure !== undefined) {
      record({ ...base, status: failure, answeredBy: `${answeredBy} fail_first[${times}]` });
      const headers: Record<string, string> = reply.retry_after_sec !== undefined ? { "retry-after": String(reply.retry_after_sec) } : {};
      const type = failure === 429 ? "rate_limit_exceeded" : failure >= 500 ? "server_error" : "invalid_request_error";
      return sendJson(res, failure, errorBody(`scripted failure ${failure}`, type), headers);
    }
    const filled = interpolate(reply, captures);
    const toolCalls = filled.tool_calls.map((c, i) => ({
      id: `call_${turn}_${i}_${(counter++).toString(36)}`,
      type: "function",
      function: { name: c.name, arguments: c.raw_arguments ?? JSON.stringify(c.arguments ?? {}) },
    }));
    const completionTokens = estimateTokens((filled.content ?? "") + JSON.stringify(toolCalls));
    // What a prompt cache would hit: everything up to the last assistant message was sent before.
    const lastAssistant = messages.map((m) => m.role).lastIndexOf("assistant");
    const cachedTokens = lastAssistant < 0 ? 0 : Math.min(promptTokens, estimateTokens(JSON.stringify(messages.slice(0, lastAssistant + 1))));
    const usage = filled.usage ?? { prompt_tokens: promptTokens, completion_tokens: completionTokens, cached_tokens: cachedTokens };
    record({ ...base, status: 200, answeredBy });
    sendJson(res, 200, {
      id: `chatcmpl-mock-${(counter++).toString(36)}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: script.model,
      system_fingerprint: MOCK_FINGERPRINT,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: filled.content, refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
          finish_reason: filled.finish_reason ?? (toolCalls.length ? "tool_calls" : "stop"),
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        total_tokens: usage.prompt_tokens + usage.completion_tokens,
        prompt_tokens_details: { cached_tokens: usage.cached_tokens },
      },
    });
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "");
    if (req.method === "POST" && (path === "/v1/chat/completions" || path === "/chat/completions")) {
      handleChat(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, errorBody(`mock model crashed: ${String(error)}`, "server_error"));
      });
      return;
    }
    if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
      return sendJson(res, 200, { object: "list", data: [{ id: script.model, object: "model", created: 0, owned_by: MOCK_FINGERPRINT }] });
    }
    if (req.method === "GET" && path === "/_mock/requests") return sendJson(res, 200, requests);
    sendJson(res, 404, errorBody(`no route ${req.method} ${path}; the mock serves POST /v1/chat/completions`, "invalid_request_error"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
