import { mkdir, writeFile } from "node:fs/promises";
import { digestJson } from "../core/digest.ts";
import { SkillDeltaError } from "../core/errors.ts";
import { analysisPaths, type AggregateCell } from "../analysis/index.ts";
import { RunJsonSchema, type RunJson, type TrialRecord } from "../run/index.ts";
import { exists } from "./fs.ts";

/** What an importer produced, before it is written as a results directory. */
export interface ImportedRun {
  id: string;
  /** ISO time of the import (passed in, so imports are reproducible in tests) */
  createdAt: string;
  conditions: string[];
  contrasts: [string, string][];
  agents: { id: string; kind: string; model?: string; label?: string }[];
  /** per-trial records (Harbor) … */
  records: TrialRecord[];
  /** … or per-cell counts (SkillsBench registry) */
  cells: AggregateCell[];
  /** provenance: source format, files and their digests, mappings applied, warnings */
  provenance: Record<string, unknown>;
  /** false when the source cannot tell whether a skill was loaded */
  skillUseMeasured: boolean;
}

/**
 * Writes an imported run as `results/<id>/` with run.json (the run module's schema: source and
 * attestation "imported", empty lock since nothing was built here), trials.jsonl and/or
 * cells.jsonl. Refuses to overwrite an existing run unless `force`.
 * @throws SkillDeltaError SD_USAGE when the run directory exists
 */
export async function writeImportedRun(resultsDir: string, run: ImportedRun, force = false): Promise<string> {
  const dir = `${resultsDir.replace(/\/+$/, "")}/${run.id}`;
  const p = analysisPaths(dir);
  if (!force && (await exists(p.runJson))) {
    throw new SkillDeltaError("SD_USAGE", `a run named ${run.id} already exists`, { file: dir, hint: "pass another --id, or --force to replace it" });
  }
  await mkdir(dir, { recursive: true });
  const config = {
    conditions: run.conditions,
    contrasts: run.contrasts,
    agents: run.agents,
    skill_use_measured: run.skillUseMeasured,
    import: run.provenance,
  };
  const trials = run.records.length + run.cells.reduce((s, c) => s + c.passed + c.failed + c.agent_timeout + c.agent_error + c.verifier_error + c.infra_error, 0);
  const runJson: RunJson = RunJsonSchema.parse({
    v: 1,
    id: run.id,
    created_at: run.createdAt,
    updated_at: run.createdAt,
    finished_at: run.createdAt,
    status: "finished",
    source: "imported",
    attestation: "imported",
    config,
    lock: { config_digest: digestJson(config), tasks: {}, environments: {}, libraries: {}, agents: {}, sandbox: {} },
    host: { harness_version: "imported", node: process.version, platform: process.platform, docker: {}, git_commit: null, hostname: "(imported)" },
    plan: { trials, digest: digestJson({ records: run.records.map((r) => r.key), cells: run.cells.map((c) => [c.task, c.condition, c.agent]) }) },
  });
  await writeFile(p.runJson, `${JSON.stringify(runJson, null, 2)}\n`);
  if (run.records.length) await writeFile(p.journal, run.records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  if (run.cells.length) await writeFile(p.cells, run.cells.map((c) => JSON.stringify(c)).join("\n") + "\n");
  return dir;
}

/** A results-safe slug: lower case, runs of other characters become one `-`. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-+|-+$/g, "");
}
