#!/usr/bin/env node
// SkillX-style learning method for SkillDelta (README.md in this folder): distils acquisition
// trajectories into a THREE-LEVEL nested library, refines it round by round from execution
// feedback, and spends the exploration budget re-attempting the acquisition tasks it covers worst.
//
//   <plan>/SKILL.md                                   strategic plan: how to organise a whole task
//   <plan>/skills/<functional>/SKILL.md               functional skill: a reusable subroutine
//   <plan>/skills/<functional>/skills/<atomic>/SKILL.md  atomic skill: one tool, flag, fact or check
//
// The agent sees the plans first and loads lower levels on demand (progressive disclosure, level by
// level: harness/src/skills/library.ts). Plain Node, no dependencies.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { episodeText, libraryText, loadContext, modelClient, slug, writeSkill } from "../lib/kit.mjs";

const { ctx, out } = await loadContext();
const model = modelClient(ctx.model);

const HIERARCHY_FORMAT = `Answer with one JSON object and nothing else:
{"plans": [{"name": "kebab-case", "description": "one line: when to use this plan", "body": "markdown: the ordered steps of the whole task, naming the functional skills it calls",
  "functional": [{"name": "kebab-case", "description": "one line", "body": "markdown: the subroutine, naming the atomic skills it uses",
    "atomic": [{"name": "kebab-case", "description": "one line", "body": "markdown: exact command/flag/file/format/constant and its constraints"}]}]}]}
Every plan has at least one functional skill, every functional skill at least one atomic skill. Give the COMPLETE library (it replaces the previous one). Write procedures that transfer to other tasks of this family, not answers to one task.`;

const header = [
  `family: ${ctx.family.id}${ctx.family.title ? ` (${ctx.family.title})` : ""}`,
  `round ${ctx.round}${ctx.rounds ? ` of ${ctx.rounds}` : ""}`,
  "Acquisition tasks:",
  ...ctx.tasks.map((t) => `- ${t.id}: ${t.instruction.trim()}`),
].join("\n");
// Successful trajectories first: SkillX extracts skills from what worked and treats failures as refinement signal.
const ordered = (eps) => [...eps].sort((a, b) => Number(b.passed === true) - Number(a.passed === true) || a.task.localeCompare(b.task) || a.index - b.index);
const attempts = (eps) => (eps?.length ? ordered(eps).map(episodeText).join("\n") : "(none)");

let reply;
if (!ctx.previous_library) {
  // Round 1: multi-level skill extraction from the acquisition trajectories.
  reply = await model.chatJson(
    "You are SkillX's skill extractor. You distil agent trajectories into a three-level skill hierarchy: strategic plan skills (how to organise a whole task of this family), functional skills (reusable subroutines a plan calls) and atomic skills (one tool, command, file format or constant, with its exact usage and constraints).",
    `${header}\n\nTrajectories (feedback level: ${ctx.feedback}):\n${attempts(ctx.episodes)}\n\n${HIERARCHY_FORMAT}`,
  );
} else {
  // Later rounds: iterative refinement from the attempts made with the previous library,
  // plus the episodes of last round's exploration attempts (SkillX's exploratory expansion).
  reply = await model.chatJson(
    "You are SkillX's skill refiner. You revise a three-level skill hierarchy (plans → functional skills → atomic skills) from execution feedback: keep what led to success, fix or remove what misled the agent, add the skills that failed attempts were missing.",
    [
      header,
      "",
      "Current library (paths show the nesting):",
      await libraryText(ctx.previous_library),
      "",
      `Attempts made with the current library (feedback level: ${ctx.feedback}):`,
      attempts(ctx.episodes),
      "",
      "Exploration attempts:",
      attempts(ctx.exploration_episodes),
      "",
      HIERARCHY_FORMAT,
    ].join("\n"),
  );
}

const plans = Array.isArray(reply.plans) ? reply.plans : [];
if (!plans.length) throw new Error("the model's reply has no `plans`: nothing to write");
const counts = { plans: 0, functional: 0, atomic: 0 };
// Names must be unique among siblings (the qualified name parent/sub addresses a skill).
const unique = (used, name, fallback) => {
  let n = slug(name, fallback);
  for (let i = 2; used.has(n); i++) n = `${slug(name, fallback)}-${i}`;
  used.add(n);
  return n;
};
const planNames = new Set();
for (const p of plans) {
  const pName = unique(planNames, p.name, "plan");
  const pDir = join(out, pName);
  await writeSkill(pDir, { name: pName, description: p.description, body: p.body });
  counts.plans++;
  const fNames = new Set();
  for (const f of Array.isArray(p.functional) ? p.functional : []) {
    const fName = unique(fNames, f.name, "functional");
    const fDir = join(pDir, "skills", fName);
    await writeSkill(fDir, { name: fName, description: f.description, body: f.body });
    counts.functional++;
    const aNames = new Set();
    for (const a of Array.isArray(f.atomic) ? f.atomic : []) {
      const aName = unique(aNames, a.name, "atomic");
      await writeSkill(join(fDir, "skills", aName), { name: aName, description: a.description, body: a.body });
      counts.atomic++;
    }
  }
}

// Exploration: re-attempt, with this round's library, the acquisition tasks it covers worst
// (failed most, then attempted least). The harness runs them on acquisition tasks only and
// hands their episodes to the next round; the last round has nobody to learn from them.
const budget = ctx.exploration?.budget ?? 0;
const lastRound = ctx.rounds !== undefined && ctx.round >= ctx.rounds;
if (budget > 0 && !lastRound) {
  const seen = [...ctx.episodes, ...(ctx.exploration_episodes ?? [])];
  const score = (id) => {
    const mine = seen.filter((e) => e.task === id);
    return { failed: mine.filter((e) => e.passed === false).length, tried: mine.length };
  };
  const pick = ctx.tasks
    .map((t) => ({ id: t.id, ...score(t.id) }))
    .sort((a, b) => b.failed - a.failed || a.tried - b.tried || a.id.localeCompare(b.id))
    .slice(0, budget);
  const file = ctx.exploration.request_file ?? process.env.SKILLDELTA_EXPLORE;
  await writeFile(file, JSON.stringify({ attempts: pick.map((t) => ({ task: t.id })) }, null, 2));
  console.error(`explore: ${pick.map((t) => t.id).join(", ")}`);
}

// The hierarchy is what the method is about: say so when the model flattened it.
if (!counts.functional || !counts.atomic) console.error(`warning: the model's hierarchy has ${counts.functional} functional and ${counts.atomic} atomic skill(s); the library is not three levels deep`);
await model.writeUsage();
console.error(`round ${ctx.round}: wrote ${counts.plans} plan, ${counts.functional} functional and ${counts.atomic} atomic skill(s) for family ${ctx.family.id}`);
