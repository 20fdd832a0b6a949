import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyseRun, summarize, loadRun, SummarySchema, TaskPageSchema } from "../src/analysis/index.ts";
import { InputError } from "../src/core/errors.ts";
import type { TrialRecord } from "../src/run/index.ts";

type Spec = [task: string, condition: string, index: number, outcome: TrialRecord["outcome"], attempt?: number, skills?: string[]];

function record([task, condition, index, outcome, attempt = 1, skills = []]: Spec): TrialRecord {
  const key = `${task}|${condition}|a1|${index}`;
  return {
    v: 1, key, trial_id: `${key}#${attempt}`, attempt, task, task_digest: "d", family: task.startsWith("x") ? "fx" : "fy", role: "transfer",
    condition, library_digest: null, agent: "a1", agent_digest: "ad", index, seed: index, image: "img", outcome,
    reward: outcome === "passed" ? 1 : outcome === "failed" ? 0 : null, checks: [], started_at: "s", finished_at: "f",
    timings_ms: { setup: 0, agent: 1000, verifier: 0, teardown: 0, total: 2000 }, agent_exit_code: 0,
    tokens: { prompt: 100, completion: 10, cached: 50 }, skills_loaded: skills, artifacts_dir: `trials/${key}`,
  };
}

// x1: no-skill P F P, curated P P P  → rates 2/3 vs 1, delta +1/3 (pairs: 1 win, 2 ties)
// x2: no-skill F F (index 2 infra, retried → still infra), curated P F (index 2: verifier_error) → rates 0 vs 1/2 on 2 matched pairs
// y1: no-skill F, curated missing entirely → unmatched (b only)
const specs: Spec[] = [
  ["x1", "no-skill", 0, "passed"], ["x1", "no-skill", 1, "failed"], ["x1", "no-skill", 2, "passed"],
  ["x1", "curated", 0, "passed", 1, ["s"]], ["x1", "curated", 1, "infra_error"], ["x1", "curated", 1, "passed", 2, ["s"]], ["x1", "curated", 2, "passed"],
  ["x2", "no-skill", 0, "failed"], ["x2", "no-skill", 1, "agent_timeout"], ["x2", "no-skill", 2, "infra_error"], ["x2", "no-skill", 2, "infra_error", 2],
  ["x2", "curated", 0, "passed", 1, ["s"]], ["x2", "curated", 1, "agent_error"], ["x2", "curated", 2, "verifier_error"],
  ["y1", "no-skill", 0, "failed"],
];

function writeRun(extra = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "sd-analysis-"));
  writeFileSync(join(dir, "trials.jsonl"), specs.map((s) => JSON.stringify(record(s))).join("\n") + "\n" + extra);
  writeFileSync(join(dir, "run.json"), JSON.stringify({
    id: "hand", created_at: "2026-01-01T00:00:00Z", source: "local", attestation: "self-reported",
    config: { conditions: ["no-skill", "curated"], agents: [{ id: "a1", kind: "openai", model: "m1" }], prices: { m1: { input: 1, output: 10, cached_input: 0.5 } } },
    learning_cost: { curated: { tokens: 5, usd: 0.25, seconds: 3 } },
  }));
  return dir;
}

describe("summary of a hand-checked run", () => {
  it("counts denominators, rates and the matched delta as computed by hand", async () => {
    const dir = writeRun('{"v":1,"key":"x1|no-ski'); // torn last line
    const { summary: s, files } = await analyseRun(dir, { seed: 3 });
    expect(SummarySchema.parse(s)).toBeTruthy();
    expect(s.run.journal.torn_lines).toBe(1);
    expect(s.run.journal.final_trials).toBe(13);
    const ns = s.methods.find((m) => m.condition === "no-skill")!;
    const cu = s.methods.find((m) => m.condition === "curated")!;
    // no-skill: x1 2/3, x2 0/2 (timeout scored as fail, infra excluded), y1 0/1
    expect(ns.macro!.estimate).toBeCloseTo((2 / 3 + 0 + 0) / 3, 12);
    expect(ns.micro).toBeCloseTo(2 / 6, 12);
    expect(ns.denominators).toMatchObject({ trials: 7, scored: 6, passed: 2, failed: 3, agent_timeout: 1, infra_error: 1, excluded: 1, missing_cells: 0, missing_trials: 0 });
    // curated: x1 3/3, x2 1/2 (agent_error fails, verifier_error excluded); y1 missing cell
    expect(cu.macro!.estimate).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(cu.denominators).toMatchObject({ scored: 5, passed: 4, agent_error: 1, verifier_error: 1, missing_cells: 1, missing_trials: 1 });
    expect(cu.pass_at_k.map((p) => p.k)).toEqual([1, 2]);
    // skill use: 3 of 5 scored curated trials loaded a skill, all passed
    expect(cu.skill_use).toEqual({ scored: 5, loaded: 3, rate: 0.6, pass_rate_loaded: 1, pass_rate_not_loaded: 0.5 });
    // cost: 7 final trials (the retried infra attempt is superseded) × 2 s; dollars from prices
    expect(ns.cost.seconds_total).toBe(14);
    expect(ns.cost.usd_total).toBeCloseTo(7 * ((50 * 1 + 50 * 0.5 + 10 * 10) / 1e6), 15);
    expect(cu.cost.learning).toEqual({ tokens: 5, usd: 0.25, seconds: 3 });
    expect(cu.cost.seconds_total_incl_learning).toBe(cu.cost.seconds_total! + 3);

    const c = s.contrasts.find((r) => r.a === "curated" && r.b === "no-skill")!;
    // matched: x1 pairs 0,1,2 (delta 1/3); x2 pairs 0,1 (curated P,E vs no-skill F,T → 1/2 − 0)
    expect(c.pairs).toBe(5);
    expect(c.tasks).toBe(2);
    expect(c.delta!.estimate).toBeCloseTo((1 / 3 + 1 / 2) / 2, 12);
    expect(c.rate_b).toBeCloseTo((2 / 3 + 0) / 2, 12);
    expect(c.mcnemar).toMatchObject({ a_only: 2, b_only: 0 });
    expect(c.sign_flip).toMatchObject({ method: "exact", p: 0.5, nonzero: 2, draws: 4 });
    expect([c.win, c.tie, c.loss]).toEqual([2, 0, 0]);
    // unmatched: y1 no-skill index 0 (b only); x2 index 2: curated V vs no-skill I → neither scored
    expect(c.unmatched).toMatchObject({ a_only: 0, b_only: 1 });
    expect(c.unmatched.listed).toEqual(["y1|no-skill|a1|0"]);
    expect(c.grid.find((g) => g.task === "x2")).toMatchObject({ indices: [0, 1, 2], a: "PEV", b: "FTI", a_n: 2, a_passed: 1, b_passed: 0 });
    expect(c.by_family.map((g) => g.group)).toEqual(["fx"]);

    expect(files).toHaveLength(4);
    const page = TaskPageSchema.parse(JSON.parse(readFileSync(join(dir, "tasks", "x1.json"), "utf8")));
    expect(page.trials).toHaveLength(6);
    expect(page.trials!.find((t) => t.key === "x1|curated|a1|1")).toMatchObject({ outcome: "passed", attempts: 2 });
    expect(existsSync(join(dir, "summary.json"))).toBe(true);
  });

  it("gives a bit-identical summary for the same seed and different CIs for another", async () => {
    const run = await loadRun(writeRun());
    const a = JSON.stringify(summarize(run, { seed: 11 }).summary);
    const b = JSON.stringify(summarize(run, { seed: 11 }).summary);
    const c = JSON.stringify(summarize(run, { seed: 12 }).summary);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("refuses a damaged line that is not the last, naming file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sd-analysis-"));
    writeFileSync(join(dir, "trials.jsonl"), [JSON.stringify(record(specs[0]!)), "{oops", JSON.stringify(record(specs[1]!))].join("\n") + "\n");
    await expect(analyseRun(dir, { seed: 1 })).rejects.toThrow(InputError);
    await expect(analyseRun(dir, { seed: 1 })).rejects.toMatchObject({ file: expect.stringContaining("trials.jsonl:2") });
  });

  it("handles an empty journal without inventing numbers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sd-analysis-"));
    writeFileSync(join(dir, "trials.jsonl"), "");
    const { summary } = await analyseRun(dir, { seed: 1 });
    expect(summary.methods).toEqual([]);
    expect(summary.contrasts).toEqual([]);
    expect(summary.denominators.trials).toBe(0);
  });
});
