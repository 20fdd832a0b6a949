#!/usr/bin/env node
// EffiSkill-style learning method for SkillDelta (README.md in this folder): mines OPERATOR
// skills (one code transformation that makes a program faster with identical output) from the
// slow/fast program pairs of an offline corpus, then META skills (how to find the hotspot, pick
// an operator, prove equivalence and measure) from the operators. No runtime feedback: the
// acquisition episodes in the context are deliberately not read.
//
// Corpus layout (method option `corpus`, digested into the run lock): one folder per pair holding
// `slow.<ext>` and `fast.<ext>` (other files are ignored). Every skill cites the corpus files
// (path + sha256) it was mined from. Plain Node, no dependencies.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { loadContext, modelClient, slug, writeSkill } from "../lib/kit.mjs";

const { ctx, out } = await loadContext();
if (!ctx.corpus) throw new Error('EffiSkill mines an offline corpus: set `corpus = "<dir of slow/fast pairs>"` in this method\'s [learning.methods] entry');
const model = modelClient(ctx.model);
const MAX_PROGRAM_CHARS = 12_000;

// Pairs: a top-level folder with a slow.* and a fast.* file.
const byFolder = new Map();
for (const f of ctx.corpus.files) {
  const [folder, ...rest] = f.path.split("/");
  if (rest.length !== 1) continue;
  const role = /^(slow|fast)\./.exec(basename(f.path))?.[1];
  if (!role) continue;
  byFolder.set(folder, { ...byFolder.get(folder), [role]: f });
}
const pairs = [...byFolder.entries()].filter(([, p]) => p.slow && p.fast).sort(([a], [b]) => a.localeCompare(b));
if (!pairs.length) throw new Error(`the corpus ${ctx.corpus.dir} holds no pair folder with slow.* and fast.* files`);

const cite = (f) => `corpus/${f.path} (sha256 ${f.sha256.slice(0, 16)}…)`;
const read = async (f) => (await readFile(join(ctx.corpus.dir, f.path), "utf8")).slice(0, MAX_PROGRAM_CHARS);

// 1. Operator mining: one call per pair. Pairs that yield the same operator are merged (citations pooled).
const operators = new Map();
for (const [id, p] of pairs) {
  const slow = await read(p.slow);
  const fast = await read(p.fast);
  const op = await model.chatJson(
    "You are EffiSkill's operator miner. Given a slow program and a faster rewrite with byte-identical output, you name the reusable optimisation OPERATOR that turns the first into the second, so an agent can apply it to other programs.",
    [
      `pair: ${id}`,
      `### ${p.slow.path} (slow)`,
      slow,
      `### ${p.fast.path} (fast)`,
      fast,
      "",
      'Answer with one JSON object and nothing else: {"name": "op-kebab-case", "description": "one line: the operator and when it applies", "when": "symptoms in the code that call for it", "transform": "the rewrite, step by step", "preserve": "what must stay identical and the pitfalls (ordering, ties, rounding, side effects)", "gain": "why it is faster (complexity, syscalls, processes)"}',
    ].join("\n"),
  );
  const name = slug(op.name?.startsWith("op-") ? op.name : `op-${op.name ?? id}`, `op-${slug(id)}`);
  const prev = operators.get(name);
  if (prev) {
    prev.sources.push(p.slow, p.fast);
    prev.pairs.push(id);
    continue;
  }
  operators.set(name, { name, op, sources: [p.slow, p.fast], pairs: [id], example: { slow, fast, slowPath: p.slow.path, fastPath: p.fast.path } });
}

for (const o of operators.values()) {
  const body = [
    `# ${o.name}`,
    "",
    `**When**: ${o.op.when ?? ""}`,
    "",
    `**Transform**: ${o.op.transform ?? ""}`,
    "",
    `**Keep identical**: ${o.op.preserve ?? ""}`,
    "",
    `**Why it is faster**: ${o.op.gain ?? ""}`,
    "",
    "A worked before/after pair is in references/example.md.",
    "",
    "## Mined from",
    ...o.sources.map((f) => `- ${cite(f)}`),
  ].join("\n");
  const example = `# Example: ${o.pairs[0]}\n\n## ${o.example.slowPath} (slow)\n\n\`\`\`\n${o.example.slow}\n\`\`\`\n\n## ${o.example.fastPath} (fast)\n\n\`\`\`\n${o.example.fast}\n\`\`\`\n`;
  await writeSkill(join(out, o.name), { name: o.name, description: o.op.description ?? o.name, body }, { "references/example.md": example });
}

// 2. Meta mining: strategies over the operator set (find the hotspot, choose, verify, measure).
const catalogue = [...operators.values()].map((o) => `- ${o.name}: ${o.op.description ?? ""}\n  when: ${o.op.when ?? ""}\n  keep identical: ${o.op.preserve ?? ""}`).join("\n");
const meta = await model.chatJson(
  "You are EffiSkill's meta-skill miner. From a catalogue of optimisation operators you write META skills: the strategy an agent follows to make a program faster without changing its output — locate the hotspot, choose which operator applies, prove output equivalence on more than the sample input, and measure the speedup robustly (repeats, median, pinned CPU).",
  [
    `target family: ${ctx.family.id}${ctx.family.domain ? ` (${ctx.family.domain})` : ""}`,
    "Operator catalogue:",
    catalogue,
    "",
    'Answer with one JSON object and nothing else: {"skills": [{"name": "meta-kebab-case", "description": "one line: when to use it", "body": "markdown procedure naming the operators it dispatches to", "operators": ["op-…"]}]}',
  ].join("\n"),
);
const metas = Array.isArray(meta.skills) ? meta.skills : [];
if (!metas.length) throw new Error("the meta-skill reply has no `skills`");
const known = new Set(operators.keys());
for (const m of metas) {
  const name = slug(m.name?.startsWith("meta-") ? m.name : `meta-${m.name ?? "strategy"}`, "meta-strategy");
  if (known.has(name)) continue;
  const ops = (Array.isArray(m.operators) ? m.operators : []).map((x) => slug(x)).filter((x) => operators.has(x));
  const sources = ops.flatMap((x) => operators.get(x).sources);
  const body = [
    String(m.body ?? "").trim(),
    "",
    "## Operators",
    ...(ops.length ? ops.map((x) => `- ${x}: load it for the rewrite`) : ["- (none named)"]),
    "",
    "## Mined from",
    ...(sources.length ? sources.map((f) => `- ${cite(f)}`) : ["- the operator catalogue as a whole"]),
  ].join("\n");
  await writeSkill(join(out, name), { name, description: m.description ?? name, body });
  known.add(name);
}

await model.writeUsage();
console.error(`mined ${operators.size} operator skill(s) from ${pairs.length} pair(s) and ${known.size - operators.size} meta skill(s); runtime episodes not used (EffiSkill is offline)`);
