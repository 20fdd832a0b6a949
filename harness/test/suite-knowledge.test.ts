// The suite's family knowledge bases (issue 11: SkillForge-style learners read a handbook and
// historical tickets). For every family whose family.toml declares `knowledge`:
// - the real loader finds it, and a learning run's listing (protocol learningInputs under the guard)
//   shows its files, shaped as a handbook plus 6–10 tickets with the four ticket sections;
// - it cannot reach a solving agent: it lies outside every task's image build context and
//   outside the curated skills, and no Dockerfile names it;
// - it leaks no answer: no line (> 40 characters) of the family's tests/, solution/ or curated
//   SKILL.md bodies, and no distinctive expected value (≥ 4 digits, or an id) from tests/*.json.
// Pure file reads, no Docker; runs in about a second.
import { readFile, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { familyPaths, taskPaths } from "../src/core/paths.ts";
import { LearningConfigSchema, type ReadableDir } from "../src/learner/index.ts";
import { learningInputs } from "../src/protocol/conditions.ts";
import { guardHide } from "../src/protocol/index.ts";
import { loadTasks, type Family, type LoadResult, type Task } from "../src/task/index.ts";

const SUITE = join(import.meta.dirname, "../../tasks");
const ENVIRONMENTS = join(import.meta.dirname, "../../environments");
/** Lines at most this long are too generic to count as a leak (blank lines, `set -e`, fences). */
const MIN_LEAK_LINE = 41;

let suite: LoadResult;
let withKnowledge: Family[];

beforeAll(async () => {
  suite = await loadTasks([SUITE]);
  withKnowledge = suite.families.filter((f) => f.knowledgeDir).sort((a, b) => a.id.localeCompare(b.id));
});

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);
const tasksOf = (f: Family): Task[] => suite.tasks.filter((t) => t.family === f);

/** Every regular file under dir (recursive), absolute paths; missing dir → []. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** Text of a file, or undefined for binaries (a NUL byte) and large data files. */
async function textOf(file: string): Promise<string | undefined> {
  const buf = await readFile(file);
  if (buf.length > 2_000_000 || buf.includes(0)) return undefined;
  return buf.toString("utf8");
}

/** SKILL.md without its front matter: the body a learner could be tempted to paste. */
const skillBody = (text: string) => text.replace(/^---\n[\s\S]*?\n---\n/, "");

/** Trimmed lines long enough to be distinctive. */
const longLines = (text: string) => text.split("\n").map((l) => l.trim()).filter((l) => l.length >= MIN_LEAK_LINE);

/**
 * Distinctive leaf values of an expected-results JSON: numbers written with ≥ 4 digits, strings
 * holding a run of ≥ 4 digits (dates, times, counts, ids like EXC-0863) or a hex id of ≥ 8.
 */
function distinctiveValues(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === "number") {
    if (String(value).replace(/\D/g, "").length >= 4) out.add(String(value));
  } else if (typeof value === "string") {
    if (/\d{4,}/.test(value) || /^[0-9a-f]{8,}$/i.test(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) distinctiveValues(v, out);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) distinctiveValues(v, out);
  }
  return out;
}

/** What the knowledge base must never contain, with where each came from (for the failure message). */
async function forbidden(f: Family): Promise<{ lines: Map<string, string>; values: Map<string, string> }> {
  const lines = new Map<string, string>();
  const values = new Map<string, string>();
  const sources: string[] = [];
  for (const t of tasksOf(f)) sources.push(...(await filesUnder(taskPaths(t.dir).testsDir)), ...(await filesUnder(taskPaths(t.dir).solutionDir)));
  for (const file of sources) {
    const text = await textOf(file);
    if (text === undefined) continue;
    for (const l of longLines(text)) if (!lines.has(l)) lines.set(l, relative(SUITE, file));
    if (file.endsWith(".json") && file.includes(`${sep}tests${sep}`)) {
      for (const v of distinctiveValues(JSON.parse(text))) if (!values.has(v)) values.set(v, relative(SUITE, file));
    }
  }
  for (const file of (await filesUnder(f.skillsDir ?? join(f.dir, "skills"))).filter((p) => p.endsWith("SKILL.md"))) {
    for (const l of longLines(skillBody(await readFile(file, "utf8")))) if (!lines.has(l)) lines.set(l, relative(SUITE, file));
  }
  return { lines, values };
}

type Forbidden = Awaited<ReturnType<typeof forbidden>>;

/** Every forbidden line or value found in one knowledge file's text. */
function leaksIn(text: string, where: string, { lines, values }: Forbidden): string[] {
  const out: string[] = [];
  for (const [l, from] of lines) if (text.includes(l)) out.push(`${where} contains a line of ${from}: ${l}`);
  for (const [v, from] of values) if (text.includes(v)) out.push(`${where} contains ${v} from ${from}`);
  return out;
}

describe("family knowledge bases (learners only)", () => {
  it("at least three families declare one, and each loads through the real loader", () => {
    expect(suite.problems.map((p) => p.error.format())).toEqual([]);
    expect(withKnowledge.map((f) => f.id).length).toBeGreaterThanOrEqual(3);
    for (const f of withKnowledge) {
      expect(f.config?.knowledge, f.id).toBeDefined();
      expect(f.knowledgeDir, f.id).toBe(join(f.dir, f.config!.knowledge!));
    }
  });

  it("is listed for learners the way a learning run lists it (under the protocol's guard): a handbook and 6–10 tickets with symptom, investigation, resolution and lesson", async () => {
    // the hidden paths of a learning run over the whole suite: tests, solutions, evaluation tasks, curated skills
    const hidden = guardHide(suite.tasks, suite.families, join(SUITE, "..", "results", "none"));
    const inputs = await learningInputs(LearningConfigSchema.parse({}), suite.families, hidden, SUITE);
    expect([...inputs.knowledge.keys()].sort()).toEqual(withKnowledge.map((f) => f.id));
    for (const f of withKnowledge) {
      expect(inputs.digests[`knowledge:${f.id}`], `${f.id} digest for the lock`).toMatch(/^[0-9a-f]{64}$/);
      const listing: ReadableDir = inputs.knowledge.get(f.id)!;
      const paths = listing.files.map((x) => x.path).sort();
      expect(paths, f.id).toContain("handbook.md");
      const tickets = paths.filter((p) => /^tickets\/T-\d{4}\.md$/.test(p));
      expect(tickets.length, `${f.id} tickets`).toBeGreaterThanOrEqual(6);
      expect(tickets.length, `${f.id} tickets`).toBeLessThanOrEqual(10);
      expect(paths.filter((p) => p !== "handbook.md" && !tickets.includes(p)), `${f.id}: only a handbook and tickets/T-nnnn.md`).toEqual([]);
      for (const t of tickets) {
        const text = await readFile(join(listing.dir, t), "utf8");
        for (const section of ["Symptom", "Investigation", "Resolution", "Lesson"]) expect(text, `${f.id}/${t}`).toMatch(new RegExp(`^## ${section}$`, "m"));
      }
      // SkillForge's creator passes the knowledge base as text capped at 40,000 characters: keep it whole
      expect(listing.files.reduce((n, x) => n + x.bytes, 0), `${f.id} size`).toBeLessThan(40_000);
    }
  });

  it("never reaches a solving agent: outside every task's build context and the curated skills, named by no Dockerfile", async () => {
    for (const f of withKnowledge) {
      const kb = f.knowledgeDir!;
      expect(inside(kb, familyPaths(f.dir).skillsDir), `${f.id}: inside skills/`).toBe(false);
      for (const t of tasksOf(f)) expect(inside(kb, t.dir) || inside(t.dir, kb), `${f.id}: overlaps ${t.id}`).toBe(false);
      const dockerfiles = [...tasksOf(f).map((t) => taskPaths(t.dir).dockerfile), ...(f.config?.environment ? [join(ENVIRONMENTS, f.config.environment, "Dockerfile")] : [])];
      for (const d of dockerfiles) expect(await readFile(d, "utf8"), d).not.toMatch(/knowledge/i);
    }
  });

  it("leaks no answer: no long line of tests/, solution/ or curated SKILL.md bodies, no distinctive expected value", async () => {
    const leaks: string[] = [];
    for (const f of withKnowledge) {
      const bad = await forbidden(f);
      expect(bad.lines.size, `${f.id} has answer lines to check against`).toBeGreaterThan(0);
      expect(bad.values.size, `${f.id} has expected values to check against`).toBeGreaterThan(0);
      for (const file of await filesUnder(f.knowledgeDir!)) leaks.push(...leaksIn(await readFile(file, "utf8"), relative(SUITE, file), bad));
    }
    expect(leaks).toEqual([]);
  });

  it("the leak check catches a pasted answer line and a pasted expected value (negative control)", async () => {
    for (const f of withKnowledge) {
      const bad = await forbidden(f);
      const line = [...bad.lines.keys()].find((l) => l.includes(" "))!;
      const value = [...bad.values.keys()][0]!;
      const handbook = await readFile(join(f.knowledgeDir!, "handbook.md"), "utf8");
      // pasted the way a careless author would: indented in a quote, the value inside a sentence
      const pasted = `${handbook}\n> ${line}\n\nThe answer was ${value}.\n`;
      expect(leaksIn(pasted, "pasted", bad), f.id).toHaveLength(2);
    }
  });
});
