import type { CellIndex } from "./cells.ts";
import { agentLabel, distinct, granularityOf, POOLED, rowAgents, safeDiv, type StatOptions } from "./common.ts";
import { passAtK, passHatK, reportedKs } from "./estimators.ts";
import { addCounts, emptyCounts, type Cell } from "./model.ts";
import { bootstrapMean, ratePart, unitValue, type TaskUnit } from "./resample.ts";
import { makeRng } from "./rng.ts";
import type { RunMeta } from "./run-meta.ts";
import type { MethodRow } from "./summary-schema.ts";

/**
 * One leaderboard row (agent config × condition; agent "*" pools all agents, each task's
 * rate being the mean of the agents' rates on it). Pure; randomness only from `opts.seed`.
 */
export function methodRow(idx: CellIndex, meta: RunMeta, agent: string, condition: string, opts: StatOptions): MethodRow {
  const agents = rowAgents(idx, agent);
  const id = `${agent}::${condition}`;
  const cells: Cell[] = [];
  const perTask: { task: string; cells: Cell[] }[] = [];
  for (const task of idx.tasks) {
    const here = agents.map((a) => idx.get(a, condition, task)).filter((c): c is Cell => c !== undefined);
    cells.push(...here);
    const scored = here.filter((c) => c.counts.scored > 0);
    if (scored.length) perTask.push({ task, cells: scored });
  }
  const units: TaskUnit[] = perTask.map((t) => ({ parts: t.cells.map((c) => ratePart(c.counts.scored, c.counts.passed, 1 / t.cells.length)) }));
  const counts = cells.reduce((acc, c) => addCounts(acc, c.counts), emptyCounts());
  const trials = counts.scored + counts.verifier_error + counts.infra_error;
  const granularity = granularityOf(cells);

  // pass@k needs every task to have at least k trials: report k up to the smallest cell
  const minN = Math.min(...perTask.flatMap((t) => t.cells.map((c) => c.counts.scored)));
  const pass_at_k = perTask.length === 0 ? [] : reportedKs(minN).map((k) => {
    const avg = (f: (c: Cell) => number) => perTask.reduce((s, t) => s + t.cells.reduce((u, c) => u + f(c), 0) / t.cells.length, 0) / perTask.length;
    return {
      k, tasks: perTask.length,
      pass_at_k: clamp01(avg((c) => passAtK(c.counts.scored, c.counts.passed, k))),
      pass_hat_k: clamp01(avg((c) => passHatK(c.counts.scored, c.counts.passed, k))),
    };
  });

  const rewardTasks = perTask.map((t) => t.cells.filter((c) => c.reward_n > 0)).filter((cs) => cs.length > 0);
  const mean_reward = rewardTasks.length === 0 ? null
    : rewardTasks.reduce((s, cs) => s + cs.reduce((u, c) => u + c.reward_sum / c.reward_n, 0) / cs.length, 0) / rewardTasks.length;

  let missingTrials: number | null = null;
  if (granularity !== "counts") {
    const expected = idx.expected;
    missingTrials = 0;
    for (const a of agents) for (const task of idx.tasks) {
      const exp = expected.get(`${a}\u0000${task}`);
      if (!exp) continue;
      const c = idx.get(a, condition, task);
      const have = new Set(c?.trials?.map((t) => t.index) ?? []);
      for (const i of exp) if (!have.has(i)) missingTrials++;
    }
  }
  const expectedCells = idx.tasks.length * agents.length;

  return {
    id, agent, agent_label: agentLabel(meta, agent), condition, pooled: agent === POOLED, granularity,
    tasks: perTask.length,
    macro: bootstrapMean(units, { rng: makeRng(opts.seed, `method:${id}`), resamples: opts.resamples, level: opts.level, withinTasks: opts.withinTasks }),
    micro: safeDiv(counts.passed, counts.scored),
    mean_reward,
    pass_at_k,
    denominators: {
      expected_cells: expectedCells,
      missing_cells: expectedCells - cells.length,
      trials, ...counts,
      excluded: counts.verifier_error + counts.infra_error,
      missing_trials: missingTrials,
    },
    cost: costOf(cells, counts.passed, trials, meta, condition),
    skill_use: meta.skill_use_measured ? skillUse(cells) : null,
    by_family: groupRates(perTask, units, (t) => idx.taskInfo.get(t)!.family),
    by_role: groupRates(perTask, units, (t) => idx.taskInfo.get(t)!.role),
  };
}

function groupRates(perTask: { task: string; cells: Cell[] }[], units: TaskUnit[], groupOf: (task: string) => string | null): MethodRow["by_family"] {
  const groups = distinct(perTask.map((t) => groupOf(t.task)));
  return groups.map((g) => {
    const members = perTask.map((t, i) => ({ t, v: unitValue(units[i]!) })).filter(({ t }) => groupOf(t.task) === g);
    const scored = members.reduce((s, m) => s + m.t.cells.reduce((u, c) => u + c.counts.scored, 0), 0);
    const passed = members.reduce((s, m) => s + m.t.cells.reduce((u, c) => u + c.counts.passed, 0), 0);
    return { group: g, tasks: members.length, scored, passed, rate: safeDiv(members.reduce((s, m) => s + m.v, 0), members.length) };
  });
}

function costOf(cells: Cell[], passed: number, trials: number, meta: RunMeta, condition: string): MethodRow["cost"] {
  const sum = (f: (c: Cell) => number | null): number | null => {
    const vals = cells.map(f).filter((v): v is number => v !== null);
    return vals.length ? vals.reduce((a, b) => a + b, 0) : null;
  };
  const tokens = sum((c) => c.tokens);
  const usd = sum((c) => c.cost_usd);
  const seconds = sum((c) => c.seconds);
  const per = (v: number | null, n: number) => (v === null ? null : safeDiv(v, n));
  const learning = meta.learning_cost[condition] ?? null;
  const incl = (v: number | null, l: number | null | undefined) => (v === null && (l ?? null) === null ? null : (v ?? 0) + (l ?? 0));
  return {
    tokens_total: tokens, tokens_per_trial: per(tokens, trials),
    usd_total: usd, usd_per_trial: per(usd, trials), usd_per_pass: per(usd, passed),
    seconds_total: seconds, seconds_per_trial: per(seconds, trials), seconds_per_pass: per(seconds, passed),
    learning,
    tokens_total_incl_learning: incl(tokens, learning?.tokens),
    usd_total_incl_learning: incl(usd, learning?.usd),
    seconds_total_incl_learning: incl(seconds, learning?.seconds),
  };
}

function skillUse(cells: Cell[]): MethodRow["skill_use"] {
  const trialCells = cells.filter((c) => c.granularity === "trial");
  if (trialCells.length === 0) return null;
  let scored = 0, passed = 0, loaded = 0, loadedPassed = 0;
  for (const c of trialCells) {
    scored += c.counts.scored;
    passed += c.counts.passed;
    loaded += c.skills_loaded_trials ?? 0;
    loadedPassed += c.skills_loaded_passed ?? 0;
  }
  return {
    scored, loaded, rate: safeDiv(loaded, scored),
    pass_rate_loaded: safeDiv(loadedPassed, loaded),
    pass_rate_not_loaded: safeDiv(passed - loadedPassed, scored - loaded),
  };
}

// products of many factors can land a hair outside [0, 1]
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
