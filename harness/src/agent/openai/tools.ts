import type { ChatCompletionFunctionTool } from "openai/resources/chat/completions";
import { errorMessage } from "../../core/errors.ts";
import { isNested, type SkillLibrary } from "../../skills/library.ts";
import type { Sandbox } from "../../sandbox/types.ts";
import { listSkills, loadSkill, readSkillFile, skillEventsFromCommand, type SkillEventDraft } from "./skill-tools.ts";

/**
 * Tool definitions offered to the model and their dispatch. In `no-skill` only `bash` exists,
 * so the request itself carries no hint of skills.
 */

const bashTool: ChatCompletionFunctionTool = {
  type: "function",
  function: {
    name: "bash",
    description: "Run a shell command with `bash -c` in the task's container and return its exit code, stdout and stderr (each capped).",
    parameters: { type: "object", properties: { command: { type: "string", description: "the command to run" } }, required: ["command"], additionalProperties: false },
  },
};

const skillTools: ChatCompletionFunctionTool[] = [
  {
    type: "function",
    function: {
      name: "list_skills",
      description: "List the available skills (name and one-line description).",
      parameters: { type: "object", properties: {}, additionalProperties: false },
    },
  },
  {
    type: "function",
    function: {
      name: "load_skill",
      description: "Read a skill's full SKILL.md (its instructions) and the list of its other files.",
      parameters: { type: "object", properties: { name: { type: "string", description: "the skill's name" } }, required: ["name"], additionalProperties: false },
    },
  },
  {
    type: "function",
    function: {
      name: "read_skill_file",
      description: "Read a file inside a skill, e.g. scripts/run.sh or references/format.md.",
      parameters: {
        type: "object",
        properties: { skill: { type: "string", description: "the skill's name" }, path: { type: "string", description: "path relative to the skill folder" } },
        required: ["skill", "path"],
        additionalProperties: false,
      },
    },
  },
];

/**
 * The skill tools for a nested library: `list_skills` takes an optional `parent`, skills are
 * named by qualified name. Flat libraries keep the definitions above byte for byte, so their
 * requests (and skill-token counts) do not change.
 */
const nestedSkillTools: ChatCompletionFunctionTool[] = [
  {
    type: "function",
    function: {
      name: "list_skills",
      description: "List skills (qualified name and one-line description): the top-level skills, or the direct sub-skills of `parent`.",
      parameters: { type: "object", properties: { parent: { type: "string", description: "qualified name of a skill whose sub-skills to list" } }, additionalProperties: false },
    },
  },
  {
    type: "function",
    function: {
      name: "load_skill",
      description: "Read a skill's full SKILL.md (its instructions), the list of its direct sub-skills and the list of its other files.",
      parameters: { type: "object", properties: { name: { type: "string", description: "the skill's qualified name, e.g. `parent/sub` (a bare name works when unique)" } }, required: ["name"], additionalProperties: false },
    },
  },
  {
    ...skillTools[2]!,
    function: {
      ...skillTools[2]!.function,
      parameters: {
        type: "object",
        properties: { skill: { type: "string", description: "the skill's qualified name" }, path: { type: "string", description: "path relative to the skill folder" } },
        required: ["skill", "path"],
        additionalProperties: false,
      },
    },
  },
];

/** The skill tools offered for a library (none without one). */
export function skillToolDefinitions(library: SkillLibrary | undefined): ChatCompletionFunctionTool[] {
  if (!library) return [];
  return isNested(library) ? nestedSkillTools : skillTools;
}

/** The tools offered: `bash` always, the skill tools only when a library is present. */
export function toolDefinitions(library: SkillLibrary | undefined): ChatCompletionFunctionTool[] {
  return [bashTool, ...skillToolDefinitions(library)];
}

export interface ToolEnv {
  sandbox: Sandbox;
  library?: SkillLibrary;
  skillsMountPath: string;
  commandTimeoutSec: number;
  outputCapBytes: number;
  /** seconds left in the agent phase; a command never gets more than this */
  remainingSec: () => number;
  signal: AbortSignal;
}

export interface ToolOutcome {
  /** the observation text returned to the model */
  content: string;
  /** arguments as recorded in the trajectory (`{ _raw }` when they were not JSON) */
  recordedArgs: Record<string, unknown>;
  events: SkillEventDraft[];
  isError: boolean;
}

/**
 * Parses a tool call's argument string. Malformed JSON is not fatal: the model receives the
 * parse error as its observation and may try again.
 */
export function parseArguments(raw: string): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  const text = raw.trim() === "" ? "{}" : raw;
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) return { ok: false, error: "the arguments must be a JSON object" };
    return { ok: true, args: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, error: `the arguments are not valid JSON (${errorMessage(error)})` };
  }
}

/** Formats a command result for the model, with a visible marker where output was cut. */
function bashObservation(r: { exitCode: number; stdout: string; stderr: string; timedOut: boolean; truncatedBytes: { stdout: number; stderr: number } }, timeoutSec: number): string {
  const parts = [`exit code: ${r.exitCode}${r.timedOut ? ` (killed: the command ran longer than ${timeoutSec} s)` : ""}`];
  for (const stream of ["stdout", "stderr"] as const) {
    const body = r[stream];
    const cut = r.truncatedBytes[stream];
    if (!body && !cut) continue;
    parts.push(`[${stream}]\n${body}${cut ? `\n[... output truncated: ${cut} more bytes of ${stream} not shown ...]` : ""}`);
  }
  return parts.join("\n");
}

/** Runs one tool call. Never throws for model mistakes; sandbox failures propagate. */
export async function runTool(name: string, rawArgs: string, env: ToolEnv): Promise<ToolOutcome> {
  const parsed = parseArguments(rawArgs);
  if (!parsed.ok) {
    return { content: `error: ${parsed.error}. Call ${name} again with a JSON object as arguments.`, recordedArgs: { _raw: rawArgs }, events: [], isError: true };
  }
  const args = parsed.args;
  const skillTool = name === "list_skills" || name === "load_skill" || name === "read_skill_file";
  if (name === "bash") {
    if (typeof args.command !== "string" || !args.command.trim()) {
      return { content: 'error: `command` must be a non-empty string, e.g. {"command": "ls -la"}', recordedArgs: args, events: [], isError: true };
    }
    // The agent timeout (ctx.signal) is what stops a command at the deadline; the extra margin
    // keeps the per-command timeout from racing it and turning a timeout into a normal exit.
    const timeoutSec = Math.max(1, Math.min(env.commandTimeoutSec, Math.ceil(env.remainingSec()) + 5));
    const result = await env.sandbox.exec(args.command, { timeoutSec, outputCapBytes: env.outputCapBytes, signal: env.signal });
    const events = env.library ? skillEventsFromCommand(env.library, env.skillsMountPath, args.command) : [];
    return { content: bashObservation(result, timeoutSec), recordedArgs: args, events, isError: result.exitCode !== 0 };
  }
  if (skillTool && env.library) {
    const r = name === "list_skills" ? listSkills(env.library, args) : name === "load_skill" ? await loadSkill(env.library, args) : await readSkillFile(env.library, args);
    return { content: r.content, recordedArgs: args, events: r.events, isError: r.content.startsWith("error:") };
  }
  const offered = toolDefinitions(env.library).map((t) => t.function.name).join(", ");
  return { content: `error: there is no tool named ${JSON.stringify(name)}. Available tools: ${offered}`, recordedArgs: args, events: [], isError: true };
}
