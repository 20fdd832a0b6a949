import { describe, expect, it } from "vitest";
import { buildSchedule, seededShuffle, trialSeed } from "../../src/run/index.ts";

const opts = { tasks: ["t2", "t1", "t3"], conditions: ["no-skill", "curated"], agents: ["a"], trials: 3, seed: 7 };

describe("schedule", () => {
  it("is the same for the same seed and different for another", () => {
    const a = buildSchedule(opts).map((p) => p.key);
    expect(buildSchedule(opts).map((p) => p.key)).toEqual(a);
    expect(buildSchedule({ ...opts, seed: 8 }).map((p) => p.key)).not.toEqual(a);
    expect(buildSchedule({ ...opts, tasks: ["t3", "t1", "t2"] }).map((p) => p.key)).toEqual(a); // input order does not matter
  });

  it("covers the full grid once", () => {
    const keys = buildSchedule(opts).map((p) => p.key);
    expect(keys).toHaveLength(3 * 2 * 3);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("gives matched trials (same task, agent, index) the same seed across conditions", () => {
    const s = buildSchedule(opts);
    for (const p of s) {
      const twin = s.find((q) => q.task === p.task && q.index === p.index && q.condition !== p.condition)!;
      expect(twin.seed).toBe(p.seed);
    }
    expect(trialSeed(7, "t1", "a", 0)).not.toBe(trialSeed(7, "t1", "a", 1));
  });

  it("interleaves conditions instead of running one after another", () => {
    const conds = buildSchedule({ ...opts, tasks: Array.from({ length: 10 }, (_, i) => `t${i}`) }).map((p) => p.condition);
    const firstHalf = conds.slice(0, conds.length / 2);
    expect(firstHalf.filter((c) => c === "curated").length).toBeGreaterThan(firstHalf.length * 0.25);
    expect(firstHalf.filter((c) => c === "curated").length).toBeLessThan(firstHalf.length * 0.75);
  });

  it("does not mutate its input", () => {
    const input = [1, 2, 3, 4, 5];
    seededShuffle(input, 1);
    expect(input).toEqual([1, 2, 3, 4, 5]);
  });
});
