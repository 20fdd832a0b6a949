import type { CellIndex } from "./cells.ts";
import { rowAgents, safeDiv } from "./common.ts";
import { SCORED, type Cell, type TrialFact } from "./model.ts";
import type { SkillTokenStats } from "./summary-schema.ts";

/**
 * Issue 11 measurements shown beside every rate: the skill-token overhead of a row (SKILL0's
 * "context tokens per step") and the chance baseline of its tasks (multiple-choice verifiers).
 * Pure functions over the cell index; nothing is estimated that the records do not carry.
 */

/**
 * Skill-attributable context tokens of one row (agent or pooled "*", condition) over its scored
 * trials that carry a measurement; null when none does (imports, agents that do not measure).
 * `per_step` weights every model call equally: summed per-call tokens / calls.
 */
export function skillTokenStats(idx: CellIndex, agent: string, condition: string): SkillTokenStats | null {
  let trials = 0, unmeasured = 0, total = 0, stepSum = 0, steps = 0;
  for (const a of rowAgents(idx, agent)) for (const task of idx.tasks) {
    const c = idx.get(a, condition, task);
    if (!c?.trials) continue;
    const x = cellSums(c);
    trials += x.trials; unmeasured += x.unmeasured; total += x.total; stepSum += x.stepSum; steps += x.steps;
  }
  if (trials === 0) return null;
  return { trials, unmeasured, per_trial: total / trials, per_step: safeDiv(stepSum, steps), steps };
}

interface Sums { trials: number; unmeasured: number; total: number; stepSum: number; steps: number }
// a cell is summed once although the per-agent and the pooled row both read it
const sumsOf = new WeakMap<Cell, Sums>();

function cellSums(c: Cell): Sums {
  const got = sumsOf.get(c);
  if (got) return got;
  const x: Sums = { trials: 0, unmeasured: 0, total: 0, stepSum: 0, steps: 0 };
  for (const t of c.trials ?? []) {
    if (!SCORED.has(t.outcome)) continue;
    if (t.skill_tokens === null || t.skill_tokens === undefined) {
      x.unmeasured++;
      continue;
    }
    x.trials++;
    x.total += t.skill_tokens;
    x.stepSum += t.skill_step_sum ?? 0;
    x.steps += t.skill_steps ?? 0;
  }
  sumsOf.set(c, x);
  return x;
}

/**
 * Chance baseline per task: the mean of the `chance` its trials carry (a property of the task's
 * verifier, so every trial should agree; the mean tolerates a verifier that changed mid-run).
 * Tasks without any are absent.
 */
export function taskChances(trials: readonly TrialFact[]): Map<string, number> {
  const acc = new Map<string, { sum: number; n: number; first: number; same: boolean }>();
  for (const t of trials) {
    if (t.chance === null || t.chance === undefined) continue;
    const e = acc.get(t.task) ?? { sum: 0, n: 0, first: t.chance, same: true };
    e.sum += t.chance;
    e.n++;
    e.same &&= t.chance === e.first;
    acc.set(t.task, e);
  }
  // the usual case, every trial agreeing, keeps the declared value exactly (no summation drift)
  return new Map([...acc].map(([task, e]) => [task, e.same ? e.first : e.sum / e.n]));
}

/**
 * Chance baseline of a row: mean over the row's tasks (those with a scored trial, as in its
 * macro rate) that declare one; null when none does.
 */
export function rowChance(idx: CellIndex, chances: ReadonlyMap<string, number>, agent: string, condition: string): { mean: number; tasks: number } | null {
  if (chances.size === 0) return null;
  let sum = 0, n = 0;
  for (const task of idx.tasks) {
    const ch = chances.get(task);
    if (ch === undefined) continue;
    if (!rowAgents(idx, agent).some((a) => (idx.get(a, condition, task)?.counts.scored ?? 0) > 0)) continue;
    sum += ch;
    n++;
  }
  return n === 0 ? null : { mean: sum / n, tasks: n };
}

/** The optional issue-11 fields of a leaderboard row, present only when measured (old summaries stay byte-identical). */
export function rowExtras(idx: CellIndex, chances: ReadonlyMap<string, number>, agent: string, condition: string): { skill_tokens?: SkillTokenStats; chance?: { mean: number; tasks: number } } {
  const skill_tokens = skillTokenStats(idx, agent, condition);
  const chance = rowChance(idx, chances, agent, condition);
  return { ...(skill_tokens ? { skill_tokens } : {}), ...(chance ? { chance } : {}) };
}
