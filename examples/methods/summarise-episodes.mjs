#!/usr/bin/env node
// A worked external learning method for SkillDelta (see README.md in this folder).
//
// Reads the learning context ($SKILLDELTA_CONTEXT), asks the skill-writing model named in the
// context to turn the acquisition attempts into one procedural skill, and writes it to
// $SKILLDELTA_OUTPUT/<name>/SKILL.md. Reports token usage to $SKILLDELTA_USAGE.
// Plain Node (>= 22), no dependencies: the OpenAI-compatible API is called with fetch.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const ctx = JSON.parse(await readFile(process.env.SKILLDELTA_CONTEXT, "utf8"));
const out = process.env.SKILLDELTA_OUTPUT;
if (!ctx.model) throw new Error("this method needs a skill-writing model: set `model` in its [learning.methods] entry");

const attempts = ctx.episodes
  .map((e) => `--- attempt ${e.task} #${e.index}${e.passed === undefined ? "" : e.passed ? " (passed)" : " (failed)"} ---\n${e.trace}`)
  .join("\n");
const prompt = [
  `family: ${ctx.family.id}`,
  "Tasks:",
  ...ctx.tasks.map((t) => `- ${t.id}: ${t.instruction.trim()}`),
  "",
  `Attempts (feedback: ${ctx.feedback}):`,
  attempts || "(none)",
  "",
  'Reply with JSON only: {"name": "kebab-case", "description": "one line", "body": "markdown procedure"}',
].join("\n");

const base = (process.env[ctx.model.base_url_env] || "https://api.openai.com/v1").replace(/\/+$/, "");
const res = await fetch(`${base}/chat/completions`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${process.env[ctx.model.api_key_env] ?? ""}` },
  body: JSON.stringify({
    model: ctx.model.model,
    temperature: ctx.model.temperature,
    messages: [
      { role: "system", content: "You distil agent attempts into one reusable skill (SKILL.md)." },
      { role: "user", content: prompt },
    ],
  }),
});
if (!res.ok) throw new Error(`model endpoint answered ${res.status}: ${await res.text()}`);
const reply = await res.json();
const text = reply.choices[0].message.content ?? "";
const skill = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
const name = String(skill.name).toLowerCase().replace(/[^a-z0-9-]+/g, "-");

await mkdir(join(out, name), { recursive: true });
await writeFile(join(out, name, "SKILL.md"), `---\nname: ${name}\ndescription: ${JSON.stringify(String(skill.description))}\n---\n\n${skill.body}\n`);
await writeFile(
  process.env.SKILLDELTA_USAGE,
  JSON.stringify({
    prompt_tokens: reply.usage?.prompt_tokens ?? 0,
    completion_tokens: reply.usage?.completion_tokens ?? 0,
    scripted_model: reply.system_fingerprint === "skilldelta-mock",
  }),
);
console.error(`wrote skill ${name} for family ${ctx.family.id}`);
