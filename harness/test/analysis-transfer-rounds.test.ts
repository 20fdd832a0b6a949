import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseRun, formatReport, SummarySchema, type Summary } from "../src/analysis/index.ts";
import { InputError } from "../src/core/errors.ts";
import { exportCsv } from "../src/io/index.ts";
import { loadRunConfig } from "../src/run/config.ts";
import type { TrialRecord } from "../src/run/index.ts";

/**
 * Issue 11 analysis on a hand-built run: two agent configs, a library built with each
 * (run.json library_meta), per-round conditions, skill-token and chance fields in the records.
 * Every number is checked against an independent computation from the spec list below (plain
 * loops over outcomes, brute-force sign flips, Holm by hand), never against the analysis code.
 */
const AGENTS = ["base-a", "ft-b"] as const;
const CONDS = ["no-skill", "curated", "curated-b", "curated@r1", "curated@r2"] as const;
const TASKS = ["t0", "t1", "t2", "t3"] as const;
const CHANCE: Record<string, number> = { t0: 0.2, t1: 0.25 };
const BAR: Record<string, number> = { "no-skill": 1, "curated@r1": 2, "curated@r2": 3, curated: 4, "curated-b": 3 };

type Outcome = TrialRecord["outcome"];
interface Spec { task: string; condition: string; agent: string; index: number; outcome: Outcome; tokens: { total: number; step_sum: number; steps: number } | null }

function outcomeOf(task: number, cond: string, agent: number, index: number): Outcome {
  // hand-chosen exceptions: unmatched keys for the cross contrast and for the rounds series
  if (agent === 1 && cond === "no-skill" && task === 3 && index === 2) return "infra_error";
  if (agent === 0 && cond === "curated@r1" && task === 1 && index === 1) return "infra_error";
  if (agent === 1 && cond === "curated" && task === 0 && index === 0) return "verifier_error";
  return (task * 3 + index * 2 + agent * 2 + CONDS.indexOf(cond as (typeof CONDS)[number])) % 5 < BAR[cond]! + agent - 1 ? "passed" : "failed";
}

const specs: Spec[] = [];
TASKS.forEach((task, ti) => CONDS.forEach((condition) => AGENTS.forEach((agent, ai) => {
  for (let index = 0; index < 3; index++) {
    const unmeasured = agent === "base-a" && condition === "curated" && task === "t2" && index === 0;
    const tokens = unmeasured ? null : condition === "no-skill" ? { total: 0, step_sum: 0, steps: 0 } : { total: 100 + 10 * index + 7 * ti + 50 * ai, step_sum: 40 * (index + 1), steps: index + 2 };
    specs.push({ task, condition, agent, index, outcome: outcomeOf(ti, condition, ai, index), tokens });
  }
})));

function record(s: Spec): TrialRecord {
  const key = `${s.task}|${s.condition}|${s.agent}|${s.index}`;
  return {
    v: 1, key, trial_id: `${key}#1`, attempt: 1, task: s.task, task_digest: "d", family: s.task < "t2" ? "f1" : "f2", role: "transfer",
    condition: s.condition, library_digest: null, agent: s.agent, agent_digest: "ad", index: s.index, seed: s.index, image: "img", outcome: s.outcome,
    reward: s.outcome === "passed" ? 1 : s.outcome === "failed" ? 0 : null, checks: [], started_at: "s", finished_at: "f",
    timings_ms: { setup: 0, agent: 1000, verifier: 0, teardown: 0, total: 2000 }, agent_exit_code: 0, skills_loaded: [],
    ...(s.tokens ? { skill_tokens: { listing: s.tokens.total, loaded: 0, tool_defs: 0, total: s.tokens.total, step_max: 0, step_sum: s.tokens.step_sum, steps: s.tokens.steps } } : {}),
    ...(CHANCE[s.task] !== undefined && s.outcome !== "infra_error" ? { chance: CHANCE[s.task] } : {}),
    artifacts_dir: `trials/${key}`,
  };
}

// ---- independent computations -------------------------------------------------------------
const scored = (o: Outcome | undefined) => o !== undefined && o !== "verifier_error" && o !== "infra_error";
const find = (agent: string, condition: string, task: string, index: number) => specs.find((s) => s.agent === agent && s.condition === condition && s.task === task && s.index === index)?.outcome;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Matched comparison by hand: side A = (agentA, condA), side B = (agentB, condB), pairs by (task, index). */
function hand(agentA: string, condA: string, agentB: string, condB: string) {
  const deltas: number[] = [], ra: number[] = [], rb: number[] = [];
  let pairs = 0, aOnly = 0, bOnly = 0;
  for (const task of TASKS) {
    let n = 0, pa = 0, pb = 0;
    for (let i = 0; i < 3; i++) {
      const a = find(agentA, condA, task, i), b = find(agentB, condB, task, i);
      if (scored(a) && scored(b)) { n++; pa += a === "passed" ? 1 : 0; pb += b === "passed" ? 1 : 0; }
      else { if (scored(a)) aOnly++; if (scored(b)) bOnly++; }
    }
    pairs += n;
    if (n) { ra.push(pa / n); rb.push(pb / n); deltas.push(pa / n - pb / n); }
  }
  const rateA = mean(ra), rateB = mean(rb);
  return {
    pairs, aOnly, bOnly, deltas, rateA, rateB, delta: mean(deltas), g: rateB === 1 ? null : (rateA - rateB) / (1 - rateB),
    win: deltas.filter((d) => d > 1e-12).length, tie: deltas.filter((d) => Math.abs(d) <= 1e-12).length, loss: deltas.filter((d) => d < -1e-12).length,
    p: bruteSignFlip(deltas),
  };
}

function bruteSignFlip(ds: number[]): number {
  const d = ds.filter((x) => x !== 0);
  if (d.length === 0) return 1;
  const obs = Math.abs(d.reduce((a, b) => a + b, 0));
  let hits = 0;
  for (let mask = 0; mask < 2 ** d.length; mask++) {
    const s = d.reduce((acc, x, k) => acc + (mask & (1 << k) ? -x : x), 0);
    if (Math.abs(s) >= obs - 1e-9) hits++;
  }
  return hits / 2 ** d.length;
}

function handHolm(ps: number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(ps.length);
  let run = 0;
  order.forEach(([p, i], r) => { run = Math.max(run, Math.min(1, (ps.length - r) * p)); out[i] = run; });
  return out;
}

// ---- the run ------------------------------------------------------------------------------
let dir: string;
let s: Summary;
const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sd-issue11-"));
  writeFileSync(join(dir, "trials.jsonl"), specs.map((x) => JSON.stringify(record(x))).join("\n") + "\n");
  writeFileSync(join(dir, "run.json"), JSON.stringify({
    id: "issue11-hand", created_at: "2026-01-01T00:00:00Z", source: "local", attestation: "self-reported",
    config: {
      conditions: [...CONDS], agents: AGENTS.map((id) => ({ id, kind: "openai", model: `m-${id}` })),
      // the third pair, pinned to one agent on both sides, is base-a's ordinary row, already declared by the second
      contrasts: [["ft-b/no-skill", "base-a/curated"], ["curated", "no-skill"], ["base-a/curated", "base-a/no-skill"]],
    },
    library_meta: {
      curated: { built_with: "base-a", method: "m", round: 3 },
      "curated-b": { built_with: "ft-b", method: "m" },
      "curated@r1": { built_with: "base-a", method: "m", round: 1, of: "curated" },
      "curated@r2": { built_with: "base-a", method: "m", round: 2, of: "curated" },
    },
  }));
  s = (await analyseRun(dir, { seed: 11, resamples: 400 })).summary;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("cross-agent contrasts", () => {
  it("matches two agent configs on (task, index) with the statistics of an ordinary contrast", () => {
    expect(SummarySchema.parse(s)).toBeTruthy();
    const c = s.contrasts.find((r) => r.agent_a === "ft-b" && r.agent_b === "base-a")!;
    expect(c).toMatchObject({ id: "ft-b/no-skill::vs::base-a/curated", a: "no-skill", b: "curated", agent: "ft-b vs base-a", pooled: false });
    const h = hand("ft-b", "no-skill", "base-a", "curated");
    expect(h.aOnly + h.bOnly, "the fixture has unmatched keys").toBeGreaterThan(0);
    expect(c.pairs).toBe(h.pairs);
    expect(c.tasks).toBe(h.deltas.length);
    expect(c.rate_a).toBeCloseTo(h.rateA, 12);
    expect(c.rate_b).toBeCloseTo(h.rateB, 12);
    expect(c.delta!.estimate).toBeCloseTo(h.delta, 12);
    expect(c.delta!.lo).toBeLessThanOrEqual(c.delta!.estimate);
    expect(c.delta!.hi).toBeGreaterThanOrEqual(c.delta!.estimate);
    expect(c.g).toBeCloseTo(h.g!, 12);
    expect([c.win, c.tie, c.loss]).toEqual([h.win, h.tie, h.loss]);
    expect(c.unmatched).toMatchObject({ a_only: h.aOnly, b_only: h.bOnly });
    expect(c.sign_flip!.p).toBeCloseTo(h.p, 12);
    expect(c.grid.length).toBe(h.deltas.length);
  });

  it("puts cross-agent rows in the Holm family with the per-agent rows", () => {
    expect(s.contrasts.length).toBe(1 + 3); // cross row + curated vs no-skill for base-a, ft-b, pooled (the pinned duplicate dropped)
    expect(new Set(s.contrasts.map((c) => c.id)).size).toBe(4);
    expect(s.method.holm_family).toBe(4);
    const adj = handHolm(s.contrasts.map((c) => c.sign_flip!.p));
    s.contrasts.forEach((c, i) => expect(c.p_holm).toBeCloseTo(adj[i]!, 12));
    const perAgent = s.contrasts.find((c) => c.id === "base-a::curated::vs::no-skill")!;
    expect(perAgent.delta!.estimate).toBeCloseTo(hand("base-a", "curated", "base-a", "no-skill").delta, 12);
  });
});

describe("transfer rows", () => {
  it("compares each agent with the other's library against no skills and its own library", () => {
    const t = s.transfer!;
    expect(t.map((r) => [r.condition, r.built_with, r.evaluated_with, r.own_condition])).toEqual([
      ["curated", "base-a", "ft-b", "curated-b"],
      ["curated-b", "ft-b", "base-a", "curated"],
    ]);
    for (const r of t) {
      const b = r.evaluated_with;
      const ns = hand(b, r.condition, b, "no-skill");
      const own = hand(b, r.condition, b, r.own_condition!);
      expect(r.vs_no_skill!.delta!.estimate).toBeCloseTo(ns.delta, 12);
      expect(r.vs_no_skill!.pairs).toBe(ns.pairs);
      expect(r.vs_no_skill!.sign_flip!.p).toBeCloseTo(ns.p, 12);
      expect(r.vs_own!.delta!.estimate).toBeCloseTo(own.delta, 12);
      expect(r.vs_own!.rate_b).toBeCloseTo(own.rateB, 12);
      expect([r.vs_own!.win, r.vs_own!.tie, r.vs_own!.loss]).toEqual([own.win, own.tie, own.loss]);
      expect(r.vs_own!.unmatched).toEqual({ a_only: own.aOnly, b_only: own.bOnly });
    }
    // the same comparison declared as a contrast gets the same numbers (same seed stream)
    const declared = s.contrasts.find((c) => c.id === "ft-b::curated::vs::no-skill")!;
    expect(t[0]!.vs_no_skill!.delta).toEqual(declared.delta);
    const adj = handHolm(t.flatMap((r) => [r.vs_no_skill!.sign_flip!.p, r.vs_own!.sign_flip!.p]));
    expect(t.flatMap((r) => [r.vs_no_skill!.p_holm, r.vs_own!.p_holm])).toEqual(adj.map((x) => expect.closeTo(x, 12)));
  });
});

describe("transfer with an ambiguous own library", () => {
  it("compares with no own library and says why when two conditions of the method were built with the agent", async () => {
    const d = mkdtempSync(join(tmpdir(), "sd-issue11-amb-"));
    try {
      writeFileSync(join(d, "trials.jsonl"), readFileSync(join(dir, "trials.jsonl")));
      const rj = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
      rj.library_meta["curated@r1"] = { built_with: "ft-b", method: "m" };
      writeFileSync(join(d, "run.json"), JSON.stringify(rj));
      const t = (await analyseRun(d, { seed: 11, resamples: 100 })).summary;
      const row = t.transfer!.find((r) => r.condition === "curated" && r.evaluated_with === "ft-b")!;
      expect(row.own_condition).toBeNull();
      expect(row.vs_own).toBeNull();
      expect(row.vs_no_skill!.delta!.estimate).toBeCloseTo(hand("ft-b", "curated", "ft-b", "no-skill").delta, 12);
      expect(t.notes.some((n) => n.includes("curated-b, curated@r1") && n.includes("not compared with an own library"))).toBe(true);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("score by round", () => {
  it("derives the series from condition names and scores every round on the same matched trials", () => {
    const series = s.rounds!.find((r) => r.base === "curated" && r.agent === "base-a")!;
    expect(series.points.map((p) => [p.round, p.condition])).toEqual([[1, "curated@r1"], [2, "curated@r2"], [3, "curated"]]);
    const conds = ["curated@r1", "curated@r2", "curated"];
    let matched = 0;
    const perRound = conds.map(() => [] as number[]);
    for (const task of TASKS) {
      const keep = [0, 1, 2].filter((i) => conds.every((c) => scored(find("base-a", c, task, i))));
      matched += keep.length;
      if (keep.length) conds.forEach((c, k) => perRound[k]!.push(keep.filter((i) => find("base-a", c, task, i) === "passed").length / keep.length));
    }
    expect(matched).toBe(11); // 12 keys, one infra_error in round 1
    series.points.forEach((p, k) => {
      expect(p.matched_trials).toBe(matched);
      expect(p.macro!.estimate).toBeCloseTo(mean(perRound[k]!), 12);
      expect(p.scored).toBe(specs.filter((x) => x.agent === "base-a" && x.condition === conds[k] && scored(x.outcome)).length);
    });
    expect(s.rounds!.map((r) => r.agent)).toEqual(["base-a", "ft-b", "*"]);
  });
});

describe("skill tokens and chance", () => {
  it("reports skill-attributable tokens per trial and per step for every row", () => {
    const row = (agent: string, condition: string) => s.methods.find((m) => m.agent === agent && m.condition === condition)!;
    const sel = (agents: string[], condition: string) => specs.filter((x) => agents.includes(x.agent) && x.condition === condition && scored(x.outcome));
    for (const [agent, agents] of [["base-a", ["base-a"]], ["ft-b", ["ft-b"]], ["*", ["base-a", "ft-b"]]] as const) {
      for (const condition of CONDS) {
        const ts = sel([...agents], condition);
        const measured = ts.filter((x) => x.tokens);
        const st = row(agent, condition).skill_tokens!;
        expect(st.trials).toBe(measured.length);
        expect(st.unmeasured).toBe(ts.length - measured.length);
        expect(st.per_trial).toBeCloseTo(mean(measured.map((x) => x.tokens!.total)), 9);
        const steps = measured.reduce((a, x) => a + x.tokens!.steps, 0);
        expect(st.per_step).toEqual(steps === 0 ? null : expect.closeTo(measured.reduce((a, x) => a + x.tokens!.step_sum, 0) / steps, 9));
      }
    }
    expect(row("base-a", "curated").skill_tokens!.unmeasured).toBe(1);
    expect(row("base-a", "no-skill").skill_tokens!.per_trial).toBe(0);
  });

  it("shows the tasks' chance baseline per row and per task", () => {
    for (const m of s.methods) expect(m.chance).toEqual({ mean: expect.closeTo((0.2 + 0.25) / 2, 12), tasks: 2 });
    expect(s.tasks.map((t) => t.chance ?? null)).toEqual([0.2, 0.25, null, null]);
  });
});

describe("report and CSV", () => {
  it("adds skill-token and chance columns and the rounds / transfer tables to the terminal report", () => {
    const text = formatReport(s);
    expect(text).toContain("skill tok/trial");
    expect(text).toContain("chance");
    expect(text).toContain("Score by round");
    expect(text).toContain("Transfer (points)");
    const line = text.split("\n").find((l) => l.startsWith("base-a (m-base-a)") && / curated@r1 /.test(l))!;
    const st = s.methods.find((m) => m.id === "base-a::curated@r1")!.skill_tokens!;
    expect(line).toContain(` ${st.per_trial.toFixed(0)} `);
    expect(line).toContain(" 22.5 ");
  });

  it("keeps the report of a summary without issue-11 fields as before", () => {
    const old = SummarySchema.parse(JSON.parse(readFileSync(join(repo, "results/skillsbench-public/summary.json"), "utf8")));
    const text = formatReport(old, { maxRows: 3 });
    expect(text).not.toContain("skill tok");
    expect(text).not.toContain("Score by round");
    expect(old.rounds).toBeUndefined();
  });

  it("exports skill tokens and chance per trial and per cell", async () => {
    const out = join(dir, "csv");
    await exportCsv(dir, out);
    const [head, ...rows] = readFileSync(join(out, "trials.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    const col = (n: string) => head!.indexOf(n);
    const r = rows.find((x) => x[0] === "t1|curated-b|ft-b|2")!;
    expect(Number(r[col("skill_tokens")])).toBe(100 + 20 + 7 + 50);
    expect(Number(r[col("skill_tokens_per_step")])).toBeCloseTo(120 / 4, 12);
    expect(Number(r[col("chance")])).toBe(0.25);
    const [ch, ...cells] = readFileSync(join(out, "cells.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    const cc = (n: string) => ch!.indexOf(n);
    const cell = cells.find((x) => x[cc("task")] === "t0" && x[cc("condition")] === "curated" && x[cc("agent")] === "base-a")!;
    expect(Number(cell[cc("skill_tokens_per_trial")])).toBeCloseTo(mean([100, 110, 120]), 12);
    expect(Number(cell[cc("chance")])).toBe(0.2);
    const t3 = cells.find((x) => x[cc("task")] === "t3")!;
    expect(t3[cc("chance")]).toBe("");
  });
});

describe("run.toml contrast sides", () => {
  const cfg = (contrasts: string) => {
    const d = mkdtempSync(join(tmpdir(), "sd-cfg-"));
    const f = join(d, "run.toml");
    writeFileSync(f, `conditions = ["no-skill", "curated"]\ncontrasts = ${contrasts}\n[[agents]]\nkind = "oracle"\nid = "base-a"\n[[agents]]\nkind = "nop"\nid = "ft-b"\n`);
    return f;
  };
  it("accepts agent-pinned sides and rounds of a declared condition", async () => {
    const c = await loadRunConfig(cfg(`[["ft-b/no-skill", "base-a/curated"], ["curated@r2", "curated"]]`));
    expect(c.contrasts).toEqual([["ft-b/no-skill", "base-a/curated"], ["curated@r2", "curated"]]);
  });
  it.each([
    [`[["ft-x/no-skill", "base-a/curated"]]`, "contrasts[0]", /unknown agent `ft-x`/, /base-a, ft-b/],
    [`[["curated", "no-skill"], ["ft-b/raw-trace", "base-a/curated"]]`, "contrasts[1]", /raw-trace/, /add it to `conditions`/],
    [`[["ft-b/no-skill", "curated"]]`, "contrasts[0]", /one side only/, /both sides/],
    [`[["oops@r2", "no-skill"]]`, "contrasts[0]", /oops@r2/, /no-skill, curated/],
  ])("refuses %s naming the field and the fix", async (contrasts, field, message, hint) => {
    const err = await loadRunConfig(cfg(contrasts)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe(field);
    expect((err as InputError).message).toMatch(message);
    expect((err as InputError).hint).toMatch(hint);
  });
});
