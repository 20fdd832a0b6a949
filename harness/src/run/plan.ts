import { createHash } from "node:crypto";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/** One unit of work: a trial key plus what it needs to run. Serialisable (no handles). */
export interface PlannedTrial {
  key: string;
  task: string;
  condition: string;
  agent: string;
  index: number;
  /** same for every condition of (task, agent, index): matched trials share their seed */
  seed: number;
}

export function trialKey(task: string, condition: string, agent: string, index: number): string {
  return `${task}|${condition}|${agent}|${index}`;
}

/** Filesystem-safe trial id for artefact folders. */
export function trialId(key: string, attempt: number): string {
  return `${key.replace(/\|/g, "__").replace(/[^\w.-]/g, "_")}__a${attempt}`;
}

/** A 31-bit seed derived from the run seed and the parts that make trials matched. */
export function trialSeed(runSeed: number, task: string, agent: string, index: number): number {
  const h = createHash("sha256").update(`${runSeed}|${task}|${agent}|${index}`).digest();
  return h.readUInt32BE(0) & 0x7fffffff;
}

/**
 * The full grid tasks × conditions × agents × k, in a deterministic shuffled order from the
 * seed, so slow drift during a run (cache warmth, load, API latency) spreads over all
 * conditions instead of biasing whichever was scheduled last. The input is not mutated.
 */
export function buildSchedule(opts: { tasks: string[]; conditions: string[]; agents: string[]; trials: number; seed: number }): PlannedTrial[] {
  const grid: PlannedTrial[] = [];
  for (const task of [...opts.tasks].sort())
    for (const agent of opts.agents)
      for (let index = 0; index < opts.trials; index++)
        for (const condition of opts.conditions)
          grid.push({ key: trialKey(task, condition, agent, index), task, condition, agent, index, seed: trialSeed(opts.seed, task, agent, index) });
  return seededShuffle(grid, opts.seed);
}

/** Fisher–Yates on a copy with pure-rand's xoroshiro128+. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const rng = xoroshiro128plus(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
