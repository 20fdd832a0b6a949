import type { Skill } from "../../skills/library.ts";

/**
 * The system prompt. Progressive disclosure: with a library, only each skill's name and
 * one-line description are listed, bodies come through `load_skill`. Without a library
 * (`no-skill`) the prompt is the same text minus the skills section, and nothing in it
 * mentions skills, so the two conditions differ only by the library.
 */
export function systemPrompt(options: { skills?: readonly Skill[]; skillsMountPath?: string; commandTimeoutSec: number; outputCapBytes: number }): string {
  const parts = [
    "You are an autonomous agent solving a task in a Linux container. You act only through tool calls.",
    `Use the \`bash\` tool to run shell commands; each call runs in a fresh \`bash -c\` (state such as the working directory or variables does not persist between calls), is stopped after ${options.commandTimeoutSec} seconds, and shows at most ${options.outputCapBytes} bytes of each output stream.`,
    "There is no human to answer questions: do not ask for confirmation, work until the task is done.",
    "When the task is complete, reply with a short summary and no tool call; that ends the episode.",
  ];
  if (options.skills !== undefined) {
    const listing = options.skills.length
      ? options.skills.map((s) => `- ${s.name}: ${s.description}`).join("\n")
      : "(the library is empty)";
    parts.push(
      [
        "## Skills",
        "Skills are folders of instructions, scripts and references for specific procedures. Before working on a task, check whether a skill below applies; if one does, call `load_skill` to read its full SKILL.md and follow it. `read_skill_file` reads other files inside a skill (scripts/, references/).",
        options.skillsMountPath ? `The library is also available read-only in the container at ${options.skillsMountPath}/, so scripts can be run from there.` : undefined,
        "\nAvailable skills:",
        listing,
      ]
        .filter((l) => l !== undefined)
        .join("\n"),
    );
  }
  return parts.join("\n\n");
}
