import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { z } from "zod";
import { sha256 } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import type { AggregateCell } from "../analysis/index.ts";
import { readJson } from "./fs.ts";
import { slug, type ImportedRun } from "./run-writer.ts";

/** One row of the SkillsBench leaderboard's `website-data/results-registry.json`. */
export const RegistryRowSchema = z.looseObject({
  task: z.string().min(1),
  model: z.string().min(1),
  modelShort: z.string().optional(),
  harness: z.string().optional(),
  family: z.string().optional(),
  condition: z.string().min(1),
  /** 0–100: pass rate over the trials, or mean partial credit for a few tasks */
  score: z.number().min(0).max(100),
  trials: z.number().int().min(1),
  passCount: z.number().int().min(0),
  perfectCount: z.number().int().min(0).optional(),
});
/** A registry row as a type. */
export type RegistryRow = z.infer<typeof RegistryRowSchema>;

/** The registry's condition names and ours; any other name becomes its slug (and is reported). */
export const SKILLSBENCH_CONDITIONS: Readonly<Record<string, string>> = { "No Skills": "no-skill", "With Skills": "curated" };

/** The task family recorded for registry tasks: the registry does not group tasks into families. */
export const SKILLSBENCH_FAMILY = "skillsbench";

/**
 * Converts the public SkillsBench registry into an imported run of aggregated cells (one per
 * row): passed = passCount, failed = trials − passCount, reward_mean = score / 100. Individual
 * trial outcomes are not published, so none are invented.
 * @throws InputError naming the row and field of a malformed or duplicated row
 */
export async function importSkillsBench(file: string, opts: { id?: string; createdAt: string }): Promise<ImportedRun> {
  const raw = await readJson(file, "SkillsBench registry");
  if (!Array.isArray(raw)) throw new InputError("expected a JSON array of result rows", { file, field: "(top level)", hint: "pass website-data/results-registry.json from benchflow-ai/skillsbench-trajectories" });
  const text = await readFile(file);
  const cells: AggregateCell[] = [];
  const seen = new Set<string>();
  const agents = new Map<string, ImportedRun["agents"][number]>();
  const conditionMap: Record<string, string> = {};
  raw.forEach((value, i) => {
    const row = parseOrThrow(RegistryRowSchema, value, `${file}[${i}]`);
    if (row.passCount > row.trials) throw new InputError(`passCount ${row.passCount} exceeds trials ${row.trials}`, { file: `${file}[${i}]`, field: "passCount" });
    const condition = SKILLSBENCH_CONDITIONS[row.condition] ?? slug(row.condition);
    conditionMap[row.condition] = condition;
    const agent = slug(row.model);
    const dup = `${row.task}|${condition}|${agent}`;
    if (seen.has(dup)) throw new InputError(`duplicate row for task ${row.task}, ${row.model}, ${row.condition}`, { file: `${file}[${i}]`, hint: "the registry should hold one row per task × configuration × condition" });
    seen.add(dup);
    if (!agents.has(agent)) agents.set(agent, { id: agent, kind: row.harness ?? "unknown", ...(row.modelShort ? { model: row.modelShort } : {}), label: row.model });
    cells.push({
      v: 1, task: row.task, family: SKILLSBENCH_FAMILY, condition, agent,
      passed: row.passCount, failed: row.trials - row.passCount,
      agent_timeout: 0, agent_error: 0, verifier_error: 0, infra_error: 0,
      reward_mean: row.score / 100, perfect: row.perfectCount ?? null, origin: `${basename(file)}[${i}]`,
    });
  });
  const conditions = [...new Set(Object.values(conditionMap))];
  const unmapped = Object.entries(conditionMap).filter(([k]) => !(k in SKILLSBENCH_CONDITIONS));
  return {
    id: opts.id ?? "skillsbench-public",
    createdAt: opts.createdAt,
    conditions,
    contrasts: conditions.includes("no-skill") ? conditions.filter((c) => c !== "no-skill").map((c) => [c, "no-skill"] as [string, string]) : [],
    agents: [...agents.values()],
    records: [],
    cells,
    skillUseMeasured: false,
    provenance: {
      format: "skillsbench-results-registry",
      file: basename(file),
      sha256: sha256(text),
      rows: raw.length,
      granularity: "counts",
      condition_map: conditionMap,
      unmapped_conditions: unmapped.map(([k, v]) => `${k} → ${v} (no SkillDelta equivalent; kept as its own condition)`),
      family: `tasks are not grouped into families in the registry; all are recorded as family "${SKILLSBENCH_FAMILY}"`,
      agents: "one agent config per registry `model` (\"Harness (Model)\"); the registry's `family` is the model vendor and is not a task family",
      passed: "passCount (a trial counted as passed by SkillsBench; for partial-credit tasks this can differ from perfectCount)",
      reward_mean: "score / 100",
    },
  };
}
