import { cp } from "node:fs/promises";
import type { MethodConfig, SkillModel } from "./config.ts";
import type { Episode, LearningContext } from "./context.ts";
import { libraryText, parseSkills, SKILL_JSON_FORMAT, SkillWriter, writeDraftLibrary } from "./model.ts";
import { ZERO_COST, type Learner, type LearnerRuntime, type LearningCost } from "./types.ts";

/**
 * The built-in methods (DESIGN section 5). All write the library through the skill-writing
 * model in the same JSON format; they differ only in what they show it and how often.
 */

const SYSTEM = "You write agent skills: reusable procedural knowledge (SKILL.md files) that an agent loads when solving tasks of one task family.";

function header(ctx: LearningContext): string {
  return [
    `family: ${ctx.family.id}${ctx.family.title ? ` (${ctx.family.title})` : ""}${ctx.family.domain ? `, domain: ${ctx.family.domain}` : ""}`,
    "",
    "Acquisition tasks (instructions):",
    ...ctx.tasks.map((t) => `--- task ${t.id} ---\n${t.instruction.trim()}`),
  ].join("\n");
}

/** An episode as prompt text; verdict lines exist only when the feedback level disclosed them. */
export function episodeText(e: Episode): string {
  const lines = [`--- attempt ${e.task} #${e.index} ---`, e.trace];
  if (e.passed !== undefined) lines.push(`verdict: ${e.passed ? "passed" : "failed"}${e.reward === undefined || e.reward === null ? "" : ` (reward ${e.reward})`}`);
  for (const c of e.checks ?? []) lines.push(`check ${c.name}: ${c.passed ? "passed" : "FAILED"}${c.message ? ` (${c.message})` : ""}`);
  if (e.verifier_output) lines.push(`verifier output (tail):\n${e.verifier_output}`);
  return lines.join("\n");
}

const sortEpisodes = (es: readonly Episode[]) => [...es].sort((a, b) => (a.task === b.task ? a.index - b.index : a.task < b.task ? -1 : 1));

async function write(writer: SkillWriter, rt: LearnerRuntime, user: string): Promise<void> {
  const reply = await writer.complete(SYSTEM, `${user}\n\n${SKILL_JSON_FORMAT}`);
  const { skills, problems } = parseSkills(reply);
  for (const p of problems) rt.log(`[learner] dropped: ${p}`);
  // A reply with no usable skill keeps the previous library rather than erasing it.
  if (skills.length || !problems.length) await writeDraftLibrary(rt.outDir, skills);
}

async function revise(writer: SkillWriter, ctx: LearningContext, rt: LearnerRuntime, episodes: readonly Episode[], critique?: string): Promise<void> {
  await write(
    writer,
    rt,
    [
      header(ctx),
      "",
      "Current library:",
      await libraryText(rt.outDir),
      "",
      `Attempts (feedback level: ${ctx.feedback}):`,
      ...sortEpisodes(episodes).map(episodeText),
      critique ? `\nYour critique of these attempts:\n${critique}` : "",
      "",
      "Revise the library so that future attempts at tasks of this family succeed.",
    ].join("\n"),
  );
}

/** Starts from an empty library, runs `fn` with a cost-tracking writer, returns the cost (wall time included). */
function timed(fn: (writer: SkillWriter) => Promise<void>, cfg: { model: SkillModel }) {
  return async (_ctx: LearningContext, rt: LearnerRuntime): Promise<LearningCost> => {
    const cost = { ...ZERO_COST };
    const t0 = Date.now();
    await writeDraftLibrary(rt.outDir, []);
    await fn(new SkillWriter(cfg.model, rt.env, cost));
    return { ...cost, seconds: (Date.now() - t0) / 1000 };
  };
}

type Of<K extends MethodConfig["kind"]> = Extract<MethodConfig, { kind: K }>;

/** b1: skills from the acquisition instructions alone; trajectories are not shown. */
export function oneShot(cfg: Of<"one-shot">): Learner {
  return {
    kind: cfg.kind,
    config: { ...cfg },
    learn: (ctx, rt) => timed((w) => write(w, rt, `${header(ctx)}\n\nWrite a skill library for this family.`), cfg)(ctx, rt),
  };
}

/** SkillEvolBench always-revise: one revision after every acquisition episode, in (task, index) order. */
export function experience(cfg: Of<"experience">): Learner {
  return {
    kind: cfg.kind,
    config: { ...cfg },
    learn: (ctx, rt) =>
      timed(async (w) => {
        for (const e of sortEpisodes(ctx.episodes)) await revise(w, ctx, rt, [e]);
      }, cfg)(ctx, rt),
  };
}

/**
 * b3 and b2, one round per call: the protocol drives the rounds (learner/config.ts `rounds`).
 * Round 1 revises an empty library from the acquisition phase's episodes; round r > 1 starts
 * from `ctx.previous_library` and revises it from the episodes of the attempts made with it.
 * `self-feedback` withholds verdicts and asks the model to critique the attempts first.
 */
function iterative(cfg: Of<"verifier-feedback"> | Of<"self-feedback">): Learner {
  const self = cfg.kind === "self-feedback";
  return {
    kind: cfg.kind,
    config: { ...cfg },
    learn: (ctx, rt) =>
      timed(async (w) => {
        if (ctx.previous_library) await cp(ctx.previous_library, rt.outDir, { recursive: true });
        const shown = self ? ctx.episodes.map((e) => ({ task: e.task, index: e.index, trace: e.trace })) : ctx.episodes;
        let critique: string | undefined;
        if (self) critique = await w.complete(SYSTEM, `${header(ctx)}\n\nCritique these attempts: what went wrong, what procedure would have worked?\n\n${sortEpisodes(shown).map(episodeText).join("\n")}`);
        await revise(w, { ...ctx, feedback: self ? "none" : ctx.feedback }, rt, shown, critique);
      }, cfg)(ctx, rt),
  };
}

export const verifierFeedback = (cfg: Of<"verifier-feedback">): Learner => iterative(cfg);
export const selfFeedback = (cfg: Of<"self-feedback">): Learner => iterative(cfg);
