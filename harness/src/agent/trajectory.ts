import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { trialFiles } from "../core/paths.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import { SkillTokensSchema } from "./skill-tokens.ts";

/**
 * trajectory.json: one file per trial, shaped like Harbor's ATIF v1.4 (`schema_version`,
 * `session_id`, `agent`, `steps[]` with `source`, `message`, `tool_calls`, `observation`,
 * `metrics`, `final_metrics`), so ATIF viewers can read it. SkillDelta's additions live in
 * `extra`, where ATIF allows them: the skill events (`skill_listed`, `skill_loaded`,
 * `skill_file_read`), why the episode stopped, and whether the model was the scripted mock.
 */
export const TRAJECTORY_SCHEMA_VERSION = "ATIF-v1.4";
/** Version of SkillDelta's `extra` block; bump on incompatible changes. */
export const TRAJECTORY_EXTRA_VERSION = 1;

const count = z.number().int().min(0);

export const StepMetricsSchema = z.looseObject({
  prompt_tokens: count.optional(),
  completion_tokens: count.optional(),
  cached_tokens: count.optional(),
  cost_usd: z.number().min(0).optional(),
  /** wall time of the model call, retries included */
  latency_ms: z.number().min(0).optional(),
});

export const ToolCallSchema = z.looseObject({
  tool_call_id: z.string(),
  function_name: z.string(),
  /** parsed arguments; when the model sent malformed JSON, `{ _raw: "<text>" }` */
  arguments: z.record(z.string(), z.unknown()),
});

export const ObservationResultSchema = z.looseObject({
  source_call_id: z.string().nullable().optional(),
  content: z.string().optional(),
});

export const StepSchema = z.looseObject({
  step_id: z.number().int().min(1),
  timestamp: z.string().optional(),
  source: z.enum(["system", "user", "agent"]),
  model_name: z.string().optional(),
  message: z.string(),
  reasoning_content: z.string().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  observation: z.looseObject({ results: z.array(ObservationResultSchema) }).optional(),
  metrics: StepMetricsSchema.optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
});
export type Step = z.infer<typeof StepSchema>;

export const SKILL_EVENT_TYPES = ["skill_listed", "skill_loaded", "skill_file_read"] as const;

/**
 * "Did the agent use the skill" as data. `via: "prompt"` is the system prompt's listing,
 * `"tool"` a skill tool call, `"bash"` a shell command that read the mounted library.
 * `skill` is the qualified name (`parent/sub` in a nested library; the plain name in a flat
 * one), so every level an agent walked down is a `skill_loaded` event with its path.
 */
export const SkillEventSchema = z.strictObject({
  type: z.enum(SKILL_EVENT_TYPES),
  step_id: z.number().int().min(1),
  timestamp: z.string(),
  skill: z.string(),
  /** file inside the skill, for `skill_file_read` */
  path: z.string().optional(),
  via: z.enum(["prompt", "tool", "bash"]),
});
export type SkillEvent = z.infer<typeof SkillEventSchema>;

export const STOP_REASONS = ["final_answer", "max_turns", "timeout", "api_error", "agent_error", "completed", "replayed"] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const TrajectorySchema = z.looseObject({
  schema_version: z.literal(TRAJECTORY_SCHEMA_VERSION),
  session_id: z.string(),
  agent: z.looseObject({
    name: z.string(),
    version: z.string(),
    model_name: z.string().optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  }),
  steps: z.array(StepSchema),
  notes: z.string().optional(),
  final_metrics: z
    .looseObject({
      total_prompt_tokens: count.optional(),
      total_completion_tokens: count.optional(),
      total_cached_tokens: count.optional(),
      total_cost_usd: z.number().min(0).optional(),
      total_steps: count.optional(),
    })
    .optional(),
  extra: z.looseObject({
    skilldelta_version: z.literal(TRAJECTORY_EXTRA_VERSION),
    /** skills offered to the agent (names); empty in `no-skill` */
    skills_offered: z.array(z.string()),
    skill_events: z.array(SkillEventSchema),
    stop_reason: z.enum(STOP_REASONS),
    error: z.string().optional(),
    /** true when the replies came from `skilldelta mock-model`: never a model result */
    scripted_model: z.boolean().default(false),
    /**
     * skill-attributable context tokens of the episode (estimated, chars/4; see
     * skill-tokens.ts); each agent step carries its own share in `extra.skill_tokens`
     */
    skill_tokens: SkillTokensSchema.optional(),
    started_at: z.string(),
    finished_at: z.string(),
  }),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;

/** Distinct skill names with a `skill_loaded` or `skill_file_read` event, in first-use order. */
export function skillsUsed(events: readonly SkillEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) if (e.type !== "skill_listed" && !out.includes(e.skill)) out.push(e.skill);
  return out;
}

/** Writes `trajectory.json` into a trial directory (validated first, so a bad file is never written). */
export async function writeTrajectory(trialDir: string, trajectory: Trajectory): Promise<string> {
  const file = join(trialDir, trialFiles.trajectory);
  const valid = parseOrThrow(TrajectorySchema, trajectory, file);
  await writeFile(file, JSON.stringify(valid, null, 2) + "\n");
  return file;
}

/**
 * Reads a trajectory from a trial directory or a trajectory.json path.
 * @throws InputError when the file is missing, not JSON or not a trajectory
 */
export async function readTrajectory(path: string): Promise<{ file: string; trajectory: Trajectory }> {
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new InputError("no such trial directory or trajectory file", { file: path, hint: "pass results/<run>/trials/<trial-id> or its trajectory.json" });
  const file = st.isDirectory() ? join(path, trialFiles.trajectory) : path;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new InputError(missing ? "the trial has no trajectory.json" : "trajectory.json is not valid JSON", {
      file,
      hint: missing ? "only the openai and replay agents record trajectories; see agent.log for others" : "the file may be truncated; rerun the trial",
    });
  }
  return { file, trajectory: parseOrThrow(TrajectorySchema, raw, file) };
}

/** Shortens long text for terminal display, saying how much was left out. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more chars]`;
}

function indent(text: string, pad = "    "): string {
  return text.split("\n").map((l) => pad + l).join("\n");
}

/**
 * Renders a trajectory for a terminal: header, one block per step (tool calls, observations
 * clipped to `maxChars`, tokens), skill events inline, totals at the end.
 */
export function formatTrajectory(t: Trajectory, options: { maxChars?: number } = {}): string {
  const max = options.maxChars ?? 800;
  const x = t.extra;
  const lines: string[] = [];
  lines.push(`trajectory ${t.session_id}  agent ${t.agent.name}${t.agent.model_name ? ` (${t.agent.model_name})` : ""}`);
  if (x.scripted_model) lines.push("  NOTE: replies came from the scripted mock model — not a model result");
  lines.push(`  stopped: ${x.stop_reason}${x.error ? ` — ${x.error}` : ""}   ${x.started_at} → ${x.finished_at}`);
  lines.push(`  skills offered: ${x.skills_offered.length ? x.skills_offered.join(", ") : "(none)"}   used: ${skillsUsed(x.skill_events).join(", ") || "(none)"}`);
  const eventsByStep = new Map<number, SkillEvent[]>();
  for (const e of x.skill_events) eventsByStep.set(e.step_id, [...(eventsByStep.get(e.step_id) ?? []), e]);
  for (const step of t.steps) {
    const m = step.metrics;
    const tokens = m && m.prompt_tokens !== undefined ? `  [tokens in ${m.prompt_tokens} out ${m.completion_tokens ?? 0} cached ${m.cached_tokens ?? 0}${m.cost_usd !== undefined ? ` $${m.cost_usd.toFixed(4)}` : ""}]` : "";
    lines.push("", `#${step.step_id} ${step.source}${step.timestamp ? ` ${step.timestamp}` : ""}${tokens}`);
    if (step.message.trim()) lines.push(indent(clip(step.message.trim(), max)));
    for (const call of step.tool_calls ?? []) {
      const args = call.function_name === "bash" && typeof call.arguments.command === "string" ? `$ ${call.arguments.command}` : JSON.stringify(call.arguments);
      lines.push(`  → ${call.function_name}: ${clip(args, max)}`);
      const result = step.observation?.results.find((r) => r.source_call_id === call.tool_call_id);
      if (result?.content !== undefined) lines.push(indent(clip(result.content, max), "    │ "));
    }
    for (const e of eventsByStep.get(step.step_id) ?? []) lines.push(`  ★ ${e.type} ${e.skill}${e.path ? `/${e.path}` : ""} (via ${e.via})`);
  }
  const st = x.skill_tokens;
  if (st) lines.push("", `skill tokens (est.): listing ${st.listing}, loaded ${st.loaded}, tool definitions ${st.tool_defs}, total ${st.total}; per step max ${st.step_max}, mean ${st.steps ? Math.round(st.step_sum / st.steps) : 0}`);
  const f = t.final_metrics;
  if (f) {
    lines.push("", `total: ${f.total_steps ?? t.steps.length} steps, tokens in ${f.total_prompt_tokens ?? 0} out ${f.total_completion_tokens ?? 0} cached ${f.total_cached_tokens ?? 0}${f.total_cost_usd !== undefined ? `, $${f.total_cost_usd.toFixed(4)}` : ""}`);
  }
  return lines.join("\n");
}
