#!/usr/bin/env node
// SkillForge-style learning method for SkillDelta (README.md in this folder).
//
// Round 1, domain-grounded creation: skills written from the family's knowledge base
// (family.toml `knowledge`, seen by learners only) and the historical tickets (the acquisition
// tasks and the acquisition agent's recorded attempts at them).
// Round r > 1, one batch-feedback iteration over ALL failures of the previous round's library:
//   failure analyzer → skill diagnostician → skill optimizer   (three model calls)
// The harness freezes and hashes every round's library; with `evaluate_rounds = true` each one is
// evaluated as `<condition>@r<N>`, so the site can plot score by round. Plain Node, no dependencies.
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { episodeText, filesText, libraryText, loadContext, modelClient, slug, writeSkill } from "../lib/kit.mjs";

const { ctx, out } = await loadContext();
const model = modelClient(ctx.model);
const kb = ctx.knowledge_base?.files.length ? await filesText(ctx.knowledge_base, 40_000) : "(this family has no knowledge base)";
const SKILLS_FORMAT =
  'Answer with one JSON object and nothing else: {"skills": [{"name": "kebab-case", "description": "one line: when to use it", "body": "markdown procedure"}]}. Give the COMPLETE library (it replaces the previous one). Ground every rule in the knowledge base or the tickets; write procedures that transfer to other tasks of this family.';
const header = [`family: ${ctx.family.id}${ctx.family.title ? ` (${ctx.family.title})` : ""}`, `round ${ctx.round}${ctx.rounds ? ` of ${ctx.rounds}` : ""}`].join("\n");
const tickets = ctx.tasks.map((t) => `- ${t.id}: ${t.instruction.trim()}`).join("\n");

async function writeLibrary(reply) {
  const skills = Array.isArray(reply.skills) ? reply.skills : [];
  if (!skills.length) throw new Error("the model's reply has no `skills`: nothing to write");
  const names = new Set();
  for (const s of skills) {
    let name = slug(s.name);
    for (let i = 2; names.has(name); i++) name = `${slug(s.name)}-${i}`;
    names.add(name);
    await writeSkill(join(out, name), { name, description: s.description, body: s.body });
  }
  return names.size;
}

if (!ctx.previous_library) {
  const reply = await model.chatJson(
    "You are SkillForge's skill creator. You write domain-grounded agent skills for a support/operations domain from its knowledge base and its historical tickets: the procedures, the in-house rules and the traps an agent must know to resolve new tickets of the same kind.",
    [header, "", "Knowledge base:", kb, "", "Historical tickets:", tickets, "", `Recorded attempts at them (feedback level: ${ctx.feedback}):`, ctx.episodes.map(episodeText).join("\n") || "(none)", "", SKILLS_FORMAT].join("\n"),
  );
  const n = await writeLibrary(reply);
  console.error(`round 1: created ${n} skill(s) from ${ctx.knowledge_base?.files.length ?? 0} knowledge-base file(s) and ${ctx.tasks.length} ticket(s)`);
} else {
  if (ctx.feedback === "none") throw new Error('SkillForge learns from deployment failures: set [learning] feedback = "binary" or "rich"');
  const failures = ctx.episodes.filter((e) => e.passed === false);
  const library = await libraryText(ctx.previous_library);
  if (!failures.length) {
    // Nothing failed with the last library: SkillForge's loop has converged; keep it unchanged.
    await cp(ctx.previous_library, out, { recursive: true });
    console.error(`round ${ctx.round}: no failures in ${ctx.episodes.length} attempt(s); library kept unchanged`);
  } else {
    const batch = failures.map(episodeText).join("\n");
    const analysis = await model.chat(
      "You are SkillForge's failure analyzer. You read a batch of failed agent attempts and report, for each, the symptom and the most likely root cause, then the patterns shared across failures. Be specific: commands, files, values.",
      [header, "", `Failed attempts (${failures.length} of ${ctx.episodes.length}, feedback level: ${ctx.feedback}):`, batch].join("\n"),
    );
    const diagnosis = await model.chat(
      "You are SkillForge's skill diagnostician. Given a failure analysis and the skill library the agent used, you decide which skill is deficient for each failure pattern (wrong rule, missing step, missing skill, misleading wording) and what change would fix it, citing the knowledge base where it applies.",
      [header, "", "Failure analysis:", analysis, "", "Skill library used:", library, "", "Knowledge base:", kb].join("\n"),
    );
    const reply = await model.chatJson(
      "You are SkillForge's skill optimizer. You rewrite a skill library to apply a diagnosis: change the deficient skills, add the missing ones, keep what works unchanged.",
      [header, "", "Diagnosis:", diagnosis, "", "Current library:", library, "", "Knowledge base:", kb, "", SKILLS_FORMAT].join("\n"),
    );
    const n = await writeLibrary(reply);
    console.error(`round ${ctx.round}: ${failures.length} failure(s) analysed, diagnosed and optimised into ${n} skill(s)`);
  }
}
await model.writeUsage();
