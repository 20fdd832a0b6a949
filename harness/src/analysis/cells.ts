import { addCounts, cellKey, emptyCounts, SCORED, type Cell, type OutcomeCounts, type RunData, type TrialFact } from "./model.ts";
import type { Price, RunMeta } from "./run-meta.ts";

/** Cells of a run, indexed, with the axes (tasks, conditions, agents) in a stable order. */
export interface CellIndex {
  cells: Map<string, Cell>;
  tasks: string[];
  conditions: string[];
  agents: string[];
  taskInfo: Map<string, { family: string; role: string | null }>;
  /** expected trial indices per `${agent}\u0000${task}`: the union over conditions */
  expected: Map<string, Set<number>>;
  get(agent: string, condition: string, task: string): Cell | undefined;
}

const CANONICAL = ["no-skill", "raw-trace", "curated", "self-evolved"];

/** Orders conditions as DESIGN section 1 lists them, then the rest alphabetically. */
export function orderConditions(conds: Iterable<string>): string[] {
  const rank = (c: string): number => {
    const i = CANONICAL.indexOf(c.split(":")[0]!);
    return i < 0 ? CANONICAL.length : i;
  };
  return [...new Set(conds)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Groups final trials and aggregated counts into (task, condition, agent) cells. Pure.
 * Conditions are the declared ones (run.json) plus any seen in the data.
 */
export function buildCells(run: RunData): CellIndex {
  const cells = new Map<string, Cell>();
  const taskInfo = new Map<string, { family: string; role: string | null }>();
  const agents = new Set<string>(run.meta.agents.map((a) => a.id));
  const conditions = new Set<string>(run.meta.conditions ?? []);
  const prices = priceLookup(run.meta);
  const newCell = (task: string, family: string, role: string | null, condition: string, agent: string, granularity: Cell["granularity"]): Cell => ({
    task, family, role, condition, agent, granularity, trials: granularity === "trial" ? [] : null, counts: emptyCounts(),
    reward_sum: 0, reward_n: 0, perfect: null, tokens: null, cost_usd: null, seconds: null,
    skills_loaded_trials: granularity === "trial" ? 0 : null, skills_loaded_passed: granularity === "trial" ? 0 : null,
  });
  for (const t of run.trials) {
    agents.add(t.agent);
    conditions.add(t.condition);
    if (!taskInfo.has(t.task)) taskInfo.set(t.task, { family: t.family, role: t.role });
    const k = cellKey(t.agent, t.condition, t.task);
    let c = cells.get(k);
    if (!c) cells.set(k, (c = newCell(t.task, t.family, t.role, t.condition, t.agent, "trial")));
    addTrial(c, t, prices(t.agent));
  }
  for (const a of run.cells) {
    agents.add(a.agent);
    conditions.add(a.condition);
    if (!taskInfo.has(a.task)) taskInfo.set(a.task, { family: a.family, role: a.role ?? null });
    const k = cellKey(a.agent, a.condition, a.task);
    const existing = cells.get(k);
    const c = existing ?? newCell(a.task, a.family, a.role ?? null, a.condition, a.agent, "counts");
    if (!existing) cells.set(k, c);
    // a cell with both trial data and counts keeps counting as counts-only: pairing is lost
    c.granularity = "counts";
    c.trials = null;
    c.skills_loaded_trials = null;
    c.skills_loaded_passed = null;
    const scored = a.passed + a.failed + a.agent_timeout + a.agent_error;
    const add: OutcomeCounts = { scored, passed: a.passed, failed: a.failed, agent_timeout: a.agent_timeout, agent_error: a.agent_error, verifier_error: a.verifier_error, infra_error: a.infra_error };
    c.counts = addCounts(c.counts, add);
    if (a.reward_mean !== null) {
      c.reward_sum += a.reward_mean * scored;
      c.reward_n += scored;
    }
    if (a.perfect !== null) c.perfect = (c.perfect ?? 0) + a.perfect;
  }
  const tasks = [...taskInfo.keys()].sort();
  return {
    cells, tasks, taskInfo, expected: expectedIndices(cells.values()),
    conditions: orderConditions(conditions),
    agents: [...agents].sort(),
    get: (agent, condition, task) => cells.get(cellKey(agent, condition, task)),
  };
}

function addTrial(c: Cell, t: TrialFact, price: Price | undefined): void {
  c.trials!.push(t);
  const n = c.counts;
  n[t.outcome]++;
  if (SCORED.has(t.outcome)) {
    n.scored++;
    if (t.reward !== null) {
      c.reward_sum += t.reward;
      c.reward_n++;
    }
    if (t.skills_loaded > 0) {
      c.skills_loaded_trials!++;
      if (t.outcome === "passed") c.skills_loaded_passed!++;
    }
  }
  // cost and time count every attempt's final record, scored or not: the money was spent
  if (t.tokens !== null) c.tokens = (c.tokens ?? 0) + t.tokens;
  const usd = t.cost_usd ?? (price && t.prompt_tokens !== null ? priceOf(price, t) : null);
  if (usd !== null) c.cost_usd = (c.cost_usd ?? 0) + usd;
  c.seconds = (c.seconds ?? 0) + t.seconds;
}

function priceOf(p: Price, t: TrialFact): number {
  // cached tokens are part of the prompt tokens and billed at the cached price instead
  const cached = Math.min(t.cached_tokens ?? 0, t.prompt_tokens ?? 0);
  return (((t.prompt_tokens ?? 0) - cached) * p.prompt + (t.completion_tokens ?? 0) * p.completion + cached * p.cached) / 1e6;
}

/** Price for an agent: by its id, else by its model's name. */
function priceLookup(meta: RunMeta): (agent: string) => Price | undefined {
  const models = new Map(meta.agents.map((a) => [a.id, a.model]));
  return (agent) => meta.prices[agent] ?? meta.prices[models.get(agent) ?? "\u0000"];
}

/** Expected trial indices per (agent, task): the union over conditions, so a missing one shows. */
function expectedIndices(cells: Iterable<Cell>): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const c of cells) {
    if (!c.trials) continue;
    const k = `${c.agent}\u0000${c.task}`;
    let s = out.get(k);
    if (!s) out.set(k, (s = new Set()));
    for (const t of c.trials) s.add(t.index);
  }
  return out;
}
