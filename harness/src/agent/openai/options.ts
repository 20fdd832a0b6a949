import { z } from "zod";

/**
 * The `[[agents]]` block of kind `openai`. Everything that changes behaviour is here, so the
 * config digest identifies matched trials. Secrets are never values in the config: only the
 * NAMES of host environment variables that hold the endpoint and key are recorded.
 */
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "expected an environment variable NAME such as OPENAI_API_KEY (never the key itself)");

export const OpenAIAgentOptionsSchema = z.strictObject({
  kind: z.literal("openai"),
  id: z.string().regex(/^[\w.-]+$/, "expected letters, digits, `.`, `_` or `-`"),
  model: z.string().min(1),
  temperature: z.number().min(0).max(2).default(0),
  /** sent to the endpoint; the trial's seed is added to it so trials differ but matched trials agree */
  seed: z.number().int().optional(),
  max_turns: z.number().int().min(1).max(1000).default(40),
  max_output_tokens: z.number().int().min(1).default(4096),
  /** per bash command, seconds (the agent-phase timeout still bounds the whole episode) */
  command_timeout_sec: z.number().positive().max(3600).default(120),
  /** bytes of each stream a bash observation keeps; the rest is replaced by a visible marker */
  output_cap_bytes: z.number().int().min(256).max(1024 * 1024).default(16 * 1024),
  base_url_env: envName.default("OPENAI_BASE_URL"),
  api_key_env: envName.default("OPENAI_API_KEY"),
  /** per model request, seconds */
  request_timeout_sec: z.number().positive().max(3600).default(300),
  retry: z
    .strictObject({
      /** attempts per model call after the first */
      max_retries: z.number().int().min(0).max(20).default(6),
      /** total seconds spent waiting on retries in one trial; past it the trial is an agent_error */
      budget_sec: z.number().min(0).default(300),
      initial_backoff_ms: z.number().int().min(0).default(1000),
      max_backoff_ms: z.number().int().min(0).default(60_000),
    })
    .default({ max_retries: 6, budget_sec: 300, initial_backoff_ms: 1000, max_backoff_ms: 60_000 }),
  /**
   * Context budget in estimated tokens (characters / 4) for what is sent each turn; older tool
   * observations are elided first (see openai/truncate.ts). Omit to rely on the endpoint's
   * context_length_exceeded error alone.
   */
  max_context_tokens: z.number().int().min(1000).optional(),
  /** the most recent observations the truncation policy never elides */
  keep_recent_observations: z.number().int().min(1).default(4),
});
export type OpenAIAgentOptions = z.infer<typeof OpenAIAgentOptionsSchema>;
