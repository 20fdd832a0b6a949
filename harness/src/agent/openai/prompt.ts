import type { Skill } from "../../skills/library.ts";
import { skillListing } from "./skill-tools.ts";

/**
 * The system prompt. Progressive disclosure: with a library, only each top-level skill's name
 * and one-line description are listed, bodies (and sub-skills) come through `load_skill`.
 * Without a library (`no-skill`) the prompt is the same text minus the skills section, and
 * nothing in it mentions skills, so the two conditions differ only by the library.
 */
export interface PromptOptions {
  /** the skills to list: the library's TOP-LEVEL skills; undefined in `no-skill` */
  skills?: readonly Skill[];
  skillsMountPath?: string;
  /** the library has sub-skills: the prompt says how they are reached */
  nested?: boolean;
  commandTimeoutSec: number;
  outputCapBytes: number;
}

/** The full system prompt: the base text, then `skillsSection` when a library is offered. */
export function systemPrompt(options: PromptOptions): string {
  const parts = [
    "You are an autonomous agent solving a task in a Linux container. You act only through tool calls.",
    `Use the \`bash\` tool to run shell commands; each call runs in a fresh \`bash -c\` (state such as the working directory or variables does not persist between calls), is stopped after ${options.commandTimeoutSec} seconds, and shows at most ${options.outputCapBytes} bytes of each output stream.`,
    "There is no human to answer questions: do not ask for confirmation, work until the task is done.",
    "When the task is complete, reply with a short summary and no tool call; that ends the episode.",
  ];
  const section = skillsSection(options);
  if (section !== undefined) parts.push(section);
  return parts.join("\n\n");
}

/**
 * The skills section of the system prompt, exactly as it appears there (it is the prompt's
 * last part), or undefined in `no-skill`. Its size is the prompt's skill-attributable share.
 */
export function skillsSection(options: PromptOptions): string | undefined {
  if (options.skills === undefined) return undefined;
  const listing = options.skills.length ? skillListing(options.skills) : "(the library is empty)";
  return [
    "## Skills",
    "Skills are folders of instructions, scripts and references for specific procedures. Before working on a task, check whether a skill below applies; if one does, call `load_skill` to read its full SKILL.md and follow it. `read_skill_file` reads other files inside a skill (scripts/, references/).",
    // Only for nested libraries, so a flat library's prompt is unchanged.
    options.nested ? "Some skills contain sub-skills: `load_skill` of a skill lists its direct sub-skills, which you load by their qualified name (e.g. `parent/sub`); `list_skills` with `parent` lists one level." : undefined,
    options.skillsMountPath ? `The library is also available read-only in the container at ${options.skillsMountPath}/, so scripts can be run from there.` : undefined,
    "\nAvailable skills:",
    listing,
  ]
    .filter((l) => l !== undefined)
    .join("\n");
}
