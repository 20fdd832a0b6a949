import { readFile } from "node:fs/promises";
import { z } from "zod";
import { InputError } from "../../core/errors.ts";
import { parseOrThrow } from "../../core/zod-errors.ts";

/**
 * A mock-model script (JSON). The server is stateless about conversations: the reply to a
 * request is chosen by its **turn** (the number of assistant messages already in it) and by
 * conditions on what the request contains, so one script serves many concurrent trials and
 * behaves differently per condition ("if the system prompt lists skill X, call load_skill X").
 *
 * ```json
 * { "version": 1, "model": "scripted",
 *   "turns": [
 *     [ { "when": { "tools_include": "load_skill", "system_includes": "ledger-fix" },
 *         "reply": { "tool_calls": [ { "name": "load_skill", "arguments": { "name": "ledger-fix" } } ] } },
 *       { "reply": { "tool_calls": [ { "name": "bash", "arguments": { "command": "ls" } } ] } } ],
 *     [ { "when": { "last_tool_result_matches": "magic word: (\\w+)" },
 *         "reply": { "tool_calls": [ { "name": "bash", "arguments": { "command": "echo {{m1}} > /app/out" } } ] } } ]
 *   ],
 *   "after_last": { "content": "Done." } }
 * ```
 * Strings in a reply may use `{{m1}}`…`{{m9}}`: capture groups of the matched
 * `last_tool_result_matches` / `any_message_matches` condition.
 */
export const SCRIPT_VERSION = 1;

export const ConditionSchema = z.strictObject({
  system_includes: z.string().optional(),
  system_excludes: z.string().optional(),
  user_includes: z.string().optional(),
  /** a tool of this name is offered in the request's `tools` */
  tools_include: z.string().optional(),
  tools_exclude: z.string().optional(),
  any_message_includes: z.string().optional(),
  /** regex (JavaScript syntax) over all message contents joined by newlines */
  any_message_matches: z.string().optional(),
  last_tool_result_includes: z.string().optional(),
  /** regex over the content of the last `tool` message */
  last_tool_result_matches: z.string().optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const ScriptToolCallSchema = z
  .strictObject({
    name: z.string().min(1),
    /** JSON arguments as an object… */
    arguments: z.record(z.string(), z.unknown()).optional(),
    /** …or verbatim text, to send malformed JSON on purpose */
    raw_arguments: z.string().optional(),
  })
  .refine((c) => (c.arguments === undefined) !== (c.raw_arguments === undefined), "give exactly one of `arguments` or `raw_arguments`");

export const ReplySchema = z.strictObject({
  content: z.string().nullable().default(null),
  tool_calls: z.array(ScriptToolCallSchema).default([]),
  finish_reason: z.enum(["stop", "tool_calls", "length", "content_filter"]).optional(),
  /** HTTP statuses answered (with an OpenAI-style error body) the first N times this exact request is seen */
  fail_first: z.array(z.number().int().min(400).max(599)).default([]),
  /** `Retry-After` seconds sent with the failures */
  retry_after_sec: z.number().min(0).optional(),
  /** wait this long before answering (a slow endpoint) */
  delay_ms: z.number().int().min(0).max(600_000).default(0),
  /** overrides the estimated usage (tokens ≈ characters / 4) */
  usage: z
    .strictObject({ prompt_tokens: z.number().int().min(0), completion_tokens: z.number().int().min(0), cached_tokens: z.number().int().min(0).default(0) })
    .optional(),
});
export type Reply = z.infer<typeof ReplySchema>;

export const CandidateSchema = z.strictObject({ when: ConditionSchema.default({}), reply: ReplySchema });
export type Candidate = z.infer<typeof CandidateSchema>;

export const MockScriptSchema = z.strictObject({
  version: z.literal(SCRIPT_VERSION),
  /** model id reported in responses */
  model: z.string().default("skilldelta-mock"),
  description: z.string().optional(),
  /** per turn, candidates tried in order; the first whose `when` holds answers */
  turns: z.array(z.array(CandidateSchema).min(1)).default([]),
  /** answer for turns past the end of `turns` (and when no candidate matches) */
  after_last: ReplySchema.default({ content: "I have finished.", tool_calls: [], fail_first: [], delay_ms: 0 }),
  /** when set, requests must carry `Authorization: Bearer <this>` (proves the key is sent) */
  require_api_key: z.string().optional(),
  /** context window in estimated tokens; larger requests get a 400 `context_length_exceeded` */
  context_window_tokens: z.number().int().positive().optional(),
});
export type MockScript = z.infer<typeof MockScriptSchema>;

/**
 * Loads and validates a script file.
 * @throws InputError naming the file and field at fault
 */
export async function loadMockScript(file: string): Promise<MockScript> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new InputError(missing ? "script not found" : "script is not valid JSON", { file, hint: missing ? "pass an existing JSON file with --script" : "check commas and quotes" });
  }
  return parseMockScript(raw, file);
}

/**
 * Validates a script object (also checks that every regex compiles).
 * @throws InputError naming the file and field at fault
 */
export function parseMockScript(raw: unknown, file = "(mock script)"): MockScript {
  const script = parseOrThrow(MockScriptSchema, raw, file);
  for (const [t, candidates] of script.turns.entries()) {
    for (const [i, c] of candidates.entries()) {
      for (const key of ["any_message_matches", "last_tool_result_matches"] as const) {
        const source = c.when[key];
        if (source === undefined) continue;
        try {
          new RegExp(source);
        } catch {
          throw new InputError(`invalid regular expression ${JSON.stringify(source)}`, { file, field: `turns.${t}.${i}.when.${key}`, hint: "use JavaScript RegExp syntax; escape backslashes in JSON" });
        }
      }
    }
  }
  return script;
}
