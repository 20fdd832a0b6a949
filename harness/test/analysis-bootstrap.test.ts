import { describe, expect, it } from "vitest";
import { bootstrapMean, makeRng, pairPart, ratePart, type TaskUnit } from "../src/analysis/index.ts";
import { drawAlias } from "../src/analysis/resample.ts";

/** One synthetic paired experiment with a known population delta of exactly 0.1. */
function experiment(seed: number, tasks: number, trials: number): TaskUnit[] {
  const rng = makeRng(seed, "experiment");
  const units: TaskUnit[] = [];
  for (let t = 0; t < tasks; t++) {
    const base = 0.1 + 0.7 * rng.float(); // B's pass probability; A's is base + 0.1 (never clamped)
    let wins = 0, losses = 0;
    for (let i = 0; i < trials; i++) {
      const a = rng.float() < base + 0.1 ? 1 : 0;
      const b = rng.float() < base ? 1 : 0;
      if (a > b) wins++;
      else if (b > a) losses++;
    }
    units.push({ parts: [pairPart(trials, wins, losses)] });
  }
  return units;
}

function coverage(withinTasks: boolean, experiments: number): number {
  let covered = 0;
  for (let e = 0; e < experiments; e++) {
    const ci = bootstrapMean(experiment(e, 30, 5), { rng: makeRng(e, "ci"), resamples: 400, withinTasks })!;
    if (ci.lo <= 0.1 && 0.1 <= ci.hi) covered++;
  }
  return covered / experiments;
}

describe("paired bootstrap CI", () => {
  it("covers the true delta about 95% of the time (tasks resampled, the default)", () => {
    // 300 experiments: binomial SE of a 95% rate is 1.3 points
    const c = coverage(false, 300);
    expect(c).toBeGreaterThan(0.91);
    expect(c).toBeLessThan(0.985);
  });
  it("two-stage resampling (tasks, then pairs within tasks) is conservative: it counts trial noise twice", () => {
    const c = coverage(true, 300);
    expect(c).toBeGreaterThan(0.97);
  });
  it("gives the same interval bit for bit for the same seed, and another for another seed", () => {
    const units = experiment(42, 25, 4);
    const a = bootstrapMean(units, { rng: makeRng(9, "row"), resamples: 1000, withinTasks: true });
    const b = bootstrapMean(units, { rng: makeRng(9, "row"), resamples: 1000, withinTasks: true });
    const c = bootstrapMean(units, { rng: makeRng(10, "row"), resamples: 1000, withinTasks: true });
    expect(Object.is(a!.lo, b!.lo) && Object.is(a!.hi, b!.hi)).toBe(true);
    expect([c!.lo, c!.hi]).not.toEqual([a!.lo, a!.hi]);
  });
  it("handles no tasks and degenerate tasks", () => {
    expect(bootstrapMean([], { rng: makeRng(1) })).toBeNull();
    const all = bootstrapMean([{ parts: [ratePart(5, 5)] }, { parts: [ratePart(3, 3)] }], { rng: makeRng(1), withinTasks: true })!;
    expect(all).toEqual({ estimate: 1, lo: 1, hi: 1 });
  });
  it("within-task draws follow the exact binomial distribution", () => {
    // one task, resampled alone: the replicate distribution is Binomial(4, 0.25)/4
    const rng = makeRng(3);
    const counts = new Array(5).fill(0);
    const part = ratePart(4, 1);
    const t = part.table();
    const N = 40000;
    for (let i = 0; i < N; i++) counts[drawAlias(t, rng)]++;
    const pmf = [81, 108, 54, 12, 1].map((v) => v / 256);
    counts.forEach((c, i) => expect(Math.abs(c / N - pmf[i]!)).toBeLessThan(0.01));
  });
});
