import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Trajectory } from "../agent/trajectory.ts";

/**
 * The `raw-trace` condition (DESIGN sections 1 and 5, SkillEvolBench raw_trajectory_rag):
 * acquisition trajectories compacted deterministically into one library entry each, with a
 * generated SKILL.md. Same inputs → byte-identical entries (no timestamps, no host paths).
 */

/** Caps of the compaction; recorded with the library so a change shows as a new digest. */
export interface CompactionCaps {
  /** characters kept of each observation / message */
  observationChars: number;
  /** leading agent steps always kept */
  headSteps: number;
  /** trailing agent steps always kept */
  tailSteps: number;
  /** estimated tokens (characters / 4) of the whole entry body */
  maxTokens: number;
}

export const DEFAULT_COMPACTION: CompactionCaps = { observationChars: 600, headSteps: 2, tailSteps: 3, maxTokens: 1500 };

/** One acquisition episode as the raw-trace builder sees it. */
export interface TraceEpisode {
  family: string;
  task: string;
  /** attempt index within the acquisition split */
  index: number;
  instruction: string;
  trajectory?: Trajectory;
  /** verdict at the run's feedback level; undefined when the level is `none` */
  outcome?: string;
  reward?: number | null;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)} […${s.length - n} more characters]` : s);

/** One line per kept agent step: tool calls with their arguments and truncated observations. */
function renderStep(step: Trajectory["steps"][number], caps: CompactionCaps): string {
  const lines: string[] = [];
  if (step.message.trim()) lines.push(`- says: ${cut(step.message.trim(), caps.observationChars)}`);
  const results = step.observation?.results ?? [];
  for (const call of step.tool_calls ?? []) {
    const args = call.function_name === "bash" && typeof call.arguments.command === "string" ? call.arguments.command : JSON.stringify(call.arguments);
    lines.push(`- ${call.function_name}: ${cut(args, caps.observationChars)}`);
    const obs = results.find((r) => r.source_call_id === call.tool_call_id)?.content;
    if (obs !== undefined) lines.push(`  → ${cut(obs, caps.observationChars).replace(/\n/g, "\n    ")}`);
  }
  return lines.join("\n");
}

/** True for a step worth keeping wherever it is: a failed command or an error observation. */
function isErrorStep(step: Trajectory["steps"][number]): boolean {
  return (step.observation?.results ?? []).some((r) => /^exit code: [1-9]|^error:/m.test(r.content ?? ""));
}

/**
 * Compacts one trajectory: the instruction, the first and last agent steps, every error step,
 * every skill event, the stop reason and the verdict; observations truncated; the whole body
 * cut to the token cap from the middle out (head and verdict survive).
 */
export function compactTrajectory(ep: TraceEpisode, caps: CompactionCaps = DEFAULT_COMPACTION): string {
  const steps = (ep.trajectory?.steps ?? []).filter((s) => s.source === "agent");
  const keep = new Set<number>();
  steps.forEach((s, i) => {
    if (i < caps.headSteps || i >= steps.length - caps.tailSteps || isErrorStep(s)) keep.add(i);
  });
  const body: string[] = [];
  let skipped = 0;
  steps.forEach((s, i) => {
    if (!keep.has(i)) {
      skipped++;
      return;
    }
    if (skipped) body.push(`- […${skipped} step(s) omitted]`);
    skipped = 0;
    const text = renderStep(s, caps);
    if (text) body.push(text);
  });
  if (skipped) body.push(`- […${skipped} step(s) omitted]`);
  const events = (ep.trajectory?.extra.skill_events ?? []).filter((e) => e.type !== "skill_listed").map((e) => `- ${e.type} ${e.skill}${e.path ? `/${e.path}` : ""} (via ${e.via})`);
  const verdict = ep.outcome === undefined ? "not disclosed (feedback level `none`)" : `${ep.outcome}${ep.reward === undefined || ep.reward === null ? "" : ` (reward ${ep.reward})`}`;
  const head = [`## Task\n${cut(ep.instruction.trim(), caps.observationChars * 2)}`];
  const tail = [
    events.length ? `## Skill events\n${events.join("\n")}` : "",
    `## Outcome\nstop: ${ep.trajectory?.extra.stop_reason ?? "no trajectory"}; verdict: ${verdict}`,
  ].filter(Boolean);
  let steptext = body.join("\n");
  const budget = caps.maxTokens * 4 - (head.join("\n").length + tail.join("\n").length + 64);
  if (steptext.length > budget) {
    const half = Math.max(0, Math.floor(budget / 2));
    steptext = `${steptext.slice(0, half)}\n[…${steptext.length - 2 * half} characters omitted to fit the token cap…]\n${steptext.slice(steptext.length - half)}`;
  }
  return [...head, `## Steps\n${steptext || "(no agent steps)"}`, ...tail].join("\n\n");
}

/** Entry (skill) name of an episode: stable, filesystem-safe, unique within a family. */
export function traceEntryName(ep: Pick<TraceEpisode, "task" | "index">): string {
  return `trace-${ep.task}-${ep.index}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

/** The generated SKILL.md of one entry. */
export function traceSkillMd(ep: TraceEpisode, caps: CompactionCaps = DEFAULT_COMPACTION): string {
  const first = ep.instruction.trim().split("\n")[0]!.replace(/["\\]/g, "").slice(0, 160);
  const verdict = ep.outcome ?? "verdict undisclosed";
  return [
    "---",
    `name: ${traceEntryName(ep)}`,
    `description: "Raw trace of an earlier attempt (${verdict}) at a task of family ${ep.family}: ${first}"`,
    "---",
    "",
    `# Earlier attempt: ${ep.task} #${ep.index}`,
    "",
    "This is a compacted record of what an agent did on a similar task, not curated advice.",
    "",
    compactTrajectory(ep, caps),
    "",
  ].join("\n");
}

/**
 * Writes one entry per episode under `outDir/<family>/<entry>/SKILL.md` and returns the entries
 * per family (sorted by name). Input order does not matter.
 */
export async function writeRawTraceEntries(episodes: readonly TraceEpisode[], outDir: string, caps: CompactionCaps = DEFAULT_COMPACTION): Promise<Map<string, RawTraceEntry[]>> {
  const byFamily = new Map<string, RawTraceEntry[]>();
  const sorted = [...episodes].sort((a, b) => traceEntryName(a).localeCompare(traceEntryName(b)));
  for (const ep of sorted) {
    const name = traceEntryName(ep);
    const dir = join(outDir, ep.family, name);
    const text = traceSkillMd(ep, caps);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "SKILL.md"), text);
    const list = byFamily.get(ep.family) ?? [];
    list.push({ name, dir, family: ep.family, text });
    byFamily.set(ep.family, list);
  }
  return byFamily;
}

/** One raw-trace library entry on disk. */
export interface RawTraceEntry {
  name: string;
  dir: string;
  family: string;
  /** the SKILL.md text, what retrieval indexes */
  text: string;
}
