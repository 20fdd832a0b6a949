import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { SummarySchema, TaskPageSchema, type Summary, type TaskPage, type MethodRow, type ContrastRow } from "../../../harness/src/analysis/summary-schema.ts";
import { methodSlug, runSlug, taskSlug } from "./slug.ts";

/**
 * Build-time access to the results directory (DESIGN section 6). The site only reads what
 * the analysis wrote: summary.json (validated with the analysis' own zod schema, the
 * contract), tasks/<task>.json, and run.json (shown as data, never interpreted beyond display).
 * Everything is cached per build: Astro renders hundreds of pages from one parse.
 */

export interface RunView {
  /** directory name under the results dir */
  dir: string;
  path: string;
  slug: string;
  summary: Summary;
  /** run.json as parsed JSON, or null when absent or unreadable */
  runJson: Record<string, unknown> | null;
  /** method id -> URL slug, unique within the run */
  methodSlugs: Map<string, string>;
}

export interface Problem { run: string; message: string }

/** Where the results live: $SKILLDELTA_RESULTS, else <repo>/results (set by astro.config.mjs). */
export function resultsDir(): string {
  return resolve(process.env.SKILLDELTA_RESULTS ?? "results");
}

let cache: { runs: RunView[]; problems: Problem[] } | undefined;

/** Every run with a valid summary.json, sorted by id; runs that fail validation are listed in `problems`. */
export function loadRuns(): { runs: RunView[]; problems: Problem[] } {
  if (cache) return cache;
  const root = resultsDir();
  const runs: RunView[] = [];
  const problems: Problem[] = [];
  const entries = existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() || e.isSymbolicLink()) : [];
  for (const e of entries.map((x) => x.name).sort()) {
    const path = join(root, e);
    const file = join(path, "summary.json");
    if (!existsSync(file)) continue; // a run still in progress, or not analysed yet
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      problems.push({ run: e, message: `summary.json is not valid JSON (${(error as Error).message}); run \`skilldelta analyse results/${e}\`` });
      continue;
    }
    const parsed = SummarySchema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      problems.push({ run: e, message: `summary.json does not match the summary schema at ${first?.path.join(".") || "(root)"}: ${first?.message}; re-run \`skilldelta analyse\`` });
      continue;
    }
    const summary = parsed.data;
    const methodSlugs = new Map<string, string>();
    const used = new Set<string>();
    for (const m of summary.methods) {
      let s = methodSlug(m.agent, m.condition);
      for (let i = 2; used.has(s); i++) s = `${methodSlug(m.agent, m.condition)}-${i}`;
      used.add(s);
      methodSlugs.set(m.id, s);
    }
    runs.push({ dir: e, path, slug: runSlug(e), summary, runJson: readJsonObject(join(path, "run.json")), methodSlugs });
  }
  cache = { runs, problems };
  return cache;
}

function readJsonObject(file: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function findRun(slug: string): RunView {
  const run = loadRuns().runs.find((r) => r.slug === slug);
  if (!run) throw new Error(`unknown run ${slug}`);
  return run;
}

/** The method row id of agent × condition, as the analysis names it. */
export const methodId = (agent: string, condition: string) => `${agent}::${condition}`;

/** The contrast of `condition` vs no-skill for this row's agent, if the summary has one. */
export function deltaVsNoSkill(run: RunView, m: MethodRow): ContrastRow | undefined {
  return run.summary.contrasts.find((c) => c.agent === m.agent && c.a === m.condition && c.b === "no-skill");
}

/**
 * The compare pages a run declares: one per contrast row (A = treatment, B = baseline). A
 * cross-agent row (summary 1.1, `agent_a`/`agent_b`) pairs two agent configs' methods.
 */
export function declaredPairs(run: RunView): { contrast: ContrastRow; a: MethodRow | undefined; b: MethodRow | undefined; slug: string }[] {
  return run.summary.contrasts.map((c) => {
    const aId = methodId(c.agent_a ?? c.agent, c.a);
    const bId = methodId(c.agent_b ?? c.agent, c.b);
    const a = run.summary.methods.find((m) => m.id === aId);
    const b = run.summary.methods.find((m) => m.id === bId);
    return { contrast: c, a, b, slug: `${run.methodSlugs.get(aId) ?? methodSlug(c.agent_a ?? c.agent, c.a)}--${run.methodSlugs.get(bId) ?? methodSlug(c.agent_b ?? c.agent, c.b)}` };
  });
}

const taskPageCache = new Map<string, TaskPage | null>();

/** tasks/<task>.json of a run, validated; null when missing or invalid (the summary row still renders). */
export function taskPage(run: RunView, task: string): TaskPage | null {
  const key = `${run.dir}\u0000${task}`;
  if (taskPageCache.has(key)) return taskPageCache.get(key)!;
  const row = run.summary.tasks.find((t) => t.task === task);
  let page: TaskPage | null = null;
  if (row) {
    try {
      const r = TaskPageSchema.safeParse(JSON.parse(readFileSync(join(run.path, row.page), "utf8")));
      page = r.success ? r.data : null;
    } catch {
      page = null;
    }
  }
  taskPageCache.set(key, page);
  return page;
}

/** Every task id across runs with the runs that evaluated it. */
export function allTasks(): Map<string, { slug: string; runs: RunView[] }> {
  const out = new Map<string, { slug: string; runs: RunView[] }>();
  for (const run of loadRuns().runs) {
    for (const t of run.summary.tasks) {
      const e = out.get(t.task) ?? { slug: taskSlug(t.task), runs: [] };
      e.runs.push(run);
      out.set(t.task, e);
    }
  }
  return out;
}

/**
 * Skill names of each frozen library of a run (`libraries/<condition>/<digest>/<skill>/SKILL.md`).
 * Empty when the run kept no libraries (imports).
 */
export function librarySkills(run: RunView): Record<string, string[]> {
  const dir = join(run.path, "libraries");
  const out: Record<string, string[]> = {};
  if (!existsSync(dir)) return out;
  for (const condition of readdirSync(dir).sort()) {
    const names = new Set<string>();
    const cdir = join(dir, condition);
    if (!statSync(cdir).isDirectory()) continue;
    for (const digest of readdirSync(cdir)) {
      const ddir = join(cdir, digest);
      if (!statSync(ddir).isDirectory()) continue;
      for (const skill of readdirSync(ddir)) if (existsSync(join(ddir, skill, "SKILL.md"))) names.add(skill);
    }
    out[condition] = [...names].sort();
  }
  return out;
}

/** Agent label and model for a method row (pooled rows say so). */
export function agentInfo(run: RunView, agent: string): { label: string; model: string } {
  if (agent === "*") return { label: "All agents (pooled)", model: "pooled" };
  const a = run.summary.run.agents.find((x) => x.id === agent);
  return { label: a?.label ?? agent, model: a?.model ?? a?.label ?? agent };
}
