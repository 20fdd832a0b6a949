import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SummarySchema } from "../src/analysis/index.ts";
import { sha256 } from "../src/core/digest.ts";
import { InputError } from "../src/core/errors.ts";
import { importSkillsBench, writeImportedRun } from "../src/io/index.ts";

const RUN = join(import.meta.dirname, "../../results/skillsbench-public");
// the registry is committed beside the run it produced (source/), so the check needs nothing outside the repo
const REGISTRY = join(RUN, "source", "results-registry.json");

interface Row { task: string; model: string; condition: string; score: number; trials: number; passCount: number }

/**
 * Independent recomputation straight from the registry rows (no analysis code): per model ×
 * condition, mean over tasks of passCount/trials; per model, mean over tasks of the with − without
 * difference; the pooled row averages the models' per-task rates first.
 */
function fromRegistry() {
  const rows = JSON.parse(readFileSync(REGISTRY, "utf8")) as Row[];
  const rate = new Map<string, number>();
  const score = new Map<string, number>();
  for (const r of rows) {
    rate.set(`${r.model}|${r.condition}|${r.task}`, r.passCount / r.trials);
    score.set(`${r.model}|${r.condition}|${r.task}`, r.score / 100);
  }
  const models = [...new Set(rows.map((r) => r.model))];
  const tasks = [...new Set(rows.map((r) => r.task))];
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const macro = (model: string, cond: string) => avg(tasks.map((t) => rate.get(`${model}|${cond}|${t}`)!));
  const pooled = (cond: string) => avg(tasks.map((t) => avg(models.map((m) => rate.get(`${m}|${cond}|${t}`)!))));
  const delta = (model: string) => avg(tasks.map((t) => rate.get(`${model}|With Skills|${t}`)! - rate.get(`${model}|No Skills|${t}`)!));
  const wins = (model: string) => tasks.filter((t) => rate.get(`${model}|With Skills|${t}`)! > rate.get(`${model}|No Skills|${t}`)!).length;
  const meanScore = (model: string, cond: string) => avg(tasks.map((t) => score.get(`${model}|${cond}|${t}`)!));
  return { models, tasks, macro, pooled, delta, wins, meanScore, rows };
}

describe("committed SkillsBench public run", () => {
  const summary = SummarySchema.parse(JSON.parse(readFileSync(join(RUN, "summary.json"), "utf8")));
  const reg = fromRegistry();

  it("is marked imported and keeps the registry's granularity (counts, 3 trials per cell)", () => {
    expect(summary.run).toMatchObject({ source: "imported", attestation: "imported", granularity: "counts", tasks: reg.tasks.length });
    expect(summary.run.conditions).toEqual(["no-skill", "curated"]);
    expect(summary.denominators.scored).toBe(reg.rows.reduce((s, r) => s + r.trials, 0));
    expect(summary.contrasts.every((c) => c.mcnemar === null && c.pairs === null)).toBe(true);
    const runJson = JSON.parse(readFileSync(join(RUN, "run.json"), "utf8"));
    expect(runJson.config.import.sha256).toBe(sha256(readFileSync(REGISTRY)));
  });

  it("has the per-condition pass rates the raw rows give, for every configuration and pooled", () => {
    for (const [cond, name] of [["no-skill", "No Skills"], ["curated", "With Skills"]] as const) {
      for (const model of reg.models) {
        const row = summary.methods.find((m) => m.agent_label === model && m.condition === cond)!;
        expect(row.macro!.estimate).toBeCloseTo(reg.macro(model, name), 12);
        expect(row.mean_reward).toBeCloseTo(reg.meanScore(model, name), 12);
      }
      const pooled = summary.methods.find((m) => m.pooled && m.condition === cond)!;
      expect(pooled.macro!.estimate).toBeCloseTo(reg.pooled(name), 12);
    }
  });

  it("has the curated − no-skill deltas and win counts the raw rows give", () => {
    for (const model of reg.models) {
      const c = summary.contrasts.find((r) => r.agent_label === model && r.a === "curated" && r.b === "no-skill")!;
      expect(c.delta!.estimate).toBeCloseTo(reg.delta(model), 12);
      expect(c.win).toBe(reg.wins(model));
      expect(c.delta!.lo).toBeLessThanOrEqual(c.delta!.estimate);
      expect(c.delta!.hi).toBeGreaterThanOrEqual(c.delta!.estimate);
    }
    const pooled = summary.contrasts.find((r) => r.pooled)!;
    expect(pooled.delta!.estimate).toBeCloseTo(reg.pooled("With Skills") - reg.pooled("No Skills"), 12);
  });

  it("re-importing the registry reproduces the committed cells", async () => {
    const run = await importSkillsBench(REGISTRY, { createdAt: "2026-01-01T00:00:00Z" });
    const dir = await writeImportedRun(mkdtempSync(join(tmpdir(), "sd-sb-")), run);
    expect(readFileSync(join(dir, "cells.jsonl"), "utf8")).toBe(readFileSync(join(RUN, "cells.jsonl"), "utf8"));
  });
});

describe("SkillsBench importer", () => {
  it("keeps unknown condition names as their slug and reports them", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sd-sb-")), "r.json");
    const row = { task: "t", model: "H (M)", harness: "H", modelShort: "M", condition: "Self-Generated Skills", score: 50, trials: 2, passCount: 1 };
    writeFileSync(file, JSON.stringify([row, { ...row, condition: "No Skills", passCount: 0, score: 0 }]));
    const run = await importSkillsBench(file, { createdAt: "x" });
    expect(run.conditions).toEqual(["self-generated-skills", "no-skill"]);
    expect(run.contrasts).toEqual([["self-generated-skills", "no-skill"]]);
    expect(run.provenance.unmapped_conditions).toHaveLength(1);
    expect(run.cells[0]).toMatchObject({ agent: "h-m", passed: 1, failed: 1, reward_mean: 0.5 });
  });
  it("rejects duplicate rows and impossible counts, naming the row", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sd-sb-")), "r.json");
    const row = { task: "t", model: "H (M)", condition: "No Skills", score: 0, trials: 3, passCount: 0 };
    writeFileSync(file, JSON.stringify([row, row]));
    await expect(importSkillsBench(file, { createdAt: "x" })).rejects.toMatchObject({ file: `${file}[1]` });
    writeFileSync(file, JSON.stringify([{ ...row, passCount: 4 }]));
    await expect(importSkillsBench(file, { createdAt: "x" })).rejects.toThrow(InputError);
  });
});
