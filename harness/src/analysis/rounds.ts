import type { CellIndex } from "./cells.ts";
import { agentLabel, POOLED, reportedAgents, rowAgents, type StatOptions } from "./common.ts";
import { SCORED, type Cell } from "./model.ts";
import { bootstrapMean, ratePart, type TaskUnit } from "./resample.ts";
import { makeRng } from "./rng.ts";
import type { RunMeta } from "./run-meta.ts";
import { roundSeries } from "./sides.ts";
import type { RoundSeries } from "./summary-schema.ts";

/**
 * Score by round (issue 11): for each base condition X with per-round conditions `X@rN`, one
 * series per reported agent (pooled included). Every point is computed on the same trials: the
 * (task, agent, index) keys scored in every round of the series, so a rise between points is
 * not a change of denominator. Count-only cells cannot be matched; a series touching one uses
 * each round's counts as they are and says so with `matched_trials: null`. Pure.
 */
export function roundRows(idx: CellIndex, meta: RunMeta, opts: StatOptions): RoundSeries[] {
  const out: RoundSeries[] = [];
  for (const series of roundSeries(idx.conditions)) {
    for (const agent of reportedAgents(idx)) {
      const lanes = rowAgents(idx, agent);
      const conds = series.points.map((p) => p.condition);
      const countsOnly = lanes.some((a) => idx.tasks.some((t) => conds.some((c) => { const cell = idx.get(a, c, t); return cell !== undefined && cell.trials === null; })));
      const points = series.points.map((p) => {
        const units: TaskUnit[] = [];
        let matched = 0, scored = 0;
        for (const task of idx.tasks) {
          const parts: { n: number; passed: number }[] = [];
          for (const a of lanes) {
            const cell = idx.get(a, p.condition, task);
            scored += cell?.counts.scored ?? 0;
            if (!cell || cell.counts.scored === 0) continue;
            if (countsOnly || !cell.trials) {
              parts.push({ n: cell.counts.scored, passed: cell.counts.passed });
              continue;
            }
            const keep = matchedIndices(conds.map((c) => idx.get(a, c, task)));
            let n = 0, passed = 0;
            for (const t of cell.trials) if (keep.has(t.index)) { n++; if (t.outcome === "passed") passed++; }
            matched += n;
            if (n > 0) parts.push({ n, passed });
          }
          if (parts.length) units.push({ parts: parts.map((x) => ratePart(x.n, x.passed, 1 / parts.length)) });
        }
        return {
          round: p.round, condition: p.condition, tasks: units.length, scored,
          matched_trials: countsOnly ? null : matched,
          macro: bootstrapMean(units, { rng: makeRng(opts.seed, `round:${agent}::${p.condition}`), resamples: opts.resamples, level: opts.level, withinTasks: opts.withinTasks }),
        };
      });
      out.push({ base: series.base, agent, agent_label: agentLabel(meta, agent), pooled: agent === POOLED, points });
    }
  }
  return out;
}

/** Trial indices scored in every one of the cells (empty when a cell is missing). */
function matchedIndices(cells: (Cell | undefined)[]): Set<number> {
  const sets = cells.map((c) => new Set<number>((c?.trials ?? []).filter((t) => SCORED.has(t.outcome)).map((t) => t.index)));
  const [first, ...rest] = sets;
  const keep = new Set<number>();
  for (const i of first ?? []) if (rest.every((s) => s.has(i))) keep.add(i);
  return keep;
}
