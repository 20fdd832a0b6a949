#!/usr/bin/env node
// EXPORT ONLY — SkillDelta trains nothing. Writes a family's curated skills as an in-context
// training curriculum (SKILL0-style: skills in context first, then withdrawn stage by stage) for
// YOUR OWN fine-tuning pipeline; evaluate the resulting model with run-openai.toml in this folder.
//
//   node examples/methods/skill0/export-curriculum.mjs tasks/ledger curriculum.jsonl
//
// One JSON line per (acquisition task, stage): chat messages with no assistant turn (rollouts and
// rewards come from your RL loop). Stage 0 puts every curated SKILL.md in the system prompt, stage 1
// only the skill names and descriptions, stage 2 nothing. Only the family's ACQUISITION tasks are
// used: evaluation tasks, tests and solutions are never read. `<out>.meta.json` records the
// sources with their sha256. Plain Node, no dependencies.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";

const [familyDir, outFile] = process.argv.slice(2);
if (!familyDir || !outFile) {
  console.error("usage: export-curriculum.mjs <tasks/<family> dir> <out.jsonl>");
  process.exit(2);
}
const familyToml = await readFile(join(familyDir, "family.toml"), "utf8");
const family = /^id\s*=\s*"([^"]+)"/m.exec(familyToml)?.[1] ?? basename(familyDir);
// family.toml [splits]: acquisition = ["a", "b", ...] (possibly over several lines)
const acqList = /^acquisition\s*=\s*\[([^\]]*)\]/m.exec(familyToml)?.[1];
if (acqList === undefined) throw new Error(`${familyDir}/family.toml has no [splits] acquisition list`);
const acquisition = [...acqList.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
if (!acquisition.length) throw new Error(`${familyDir}/family.toml lists no acquisition tasks: nothing to train on without touching evaluation tasks`);

const sha = (text) => createHash("sha256").update(text).digest("hex");
const skills = [];
const walk = async (d) => {
  for (const e of (await readdir(d, { withFileTypes: true }).catch(() => [])).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) await walk(join(d, e.name));
    else if (e.name === "SKILL.md") {
      const text = await readFile(join(d, e.name), "utf8");
      const meta = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
      const field = (k) => new RegExp(`^${k}:\\s*(.*)$`, "m").exec(meta)?.[1]?.trim().replace(/^["']|["']$/g, "") ?? "";
      skills.push({ path: relative(familyDir, join(d, e.name)), name: field("name"), description: field("description"), text, sha256: sha(text) });
    }
  }
};
await walk(join(familyDir, "skills"));
if (!skills.length) throw new Error(`${familyDir}/skills holds no SKILL.md: no curated skills to internalise`);

const BASE = "You are an agent solving a task in a Linux container with a bash tool.";
const STAGES = [
  { stage: 0, name: "full-skills", system: `${BASE}\n\nSkills:\n\n${skills.map((s) => `### ${s.path}\n${s.text}`).join("\n\n")}` },
  { stage: 1, name: "skill-listing", system: `${BASE}\n\nSkills (names only; their content is what you have learned):\n${skills.map((s) => `- ${s.name}: ${s.description}`).join("\n")}` },
  { stage: 2, name: "no-skills", system: BASE },
];

const lines = [];
const tasks = [];
for (const id of acquisition) {
  const instruction = await readFile(join(familyDir, id, "instruction.md"), "utf8");
  tasks.push({ id, instruction_sha256: sha(instruction) });
  for (const s of STAGES) {
    lines.push(JSON.stringify({ export_only: true, family, task: id, stage: s.stage, stage_name: s.name, skill_context_chars: s.system.length - BASE.length, messages: [{ role: "system", content: s.system }, { role: "user", content: instruction }] }));
  }
}
await writeFile(outFile, `${lines.join("\n")}\n`);
await writeFile(
  `${outFile}.meta.json`,
  `${JSON.stringify({ export_only: true, note: "SkillDelta does not fine-tune. This curriculum is for your own training pipeline; evaluate the trained model as agent ft-b with examples/methods/skill0/run-openai.toml.", family, stages: STAGES.map(({ stage, name }) => ({ stage, name })), tasks, skills: skills.map(({ path, name, sha256 }) => ({ path, name, sha256 })), excluded: "evaluation tasks, tests/, solution/" }, null, 2)}\n`,
);
console.error(`wrote ${lines.length} curriculum records (${acquisition.length} acquisition task(s) × ${STAGES.length} stages, ${skills.length} skill(s)) to ${outFile} — export only`);
