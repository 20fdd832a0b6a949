import type { CellIndex } from "./cells.ts";
import type { Cell } from "./model.ts";
import type { RunMeta } from "./run-meta.ts";

/** Options every statistic shares; the seed is explicit, never the clock. */
export interface StatOptions {
  seed: number;
  /** bootstrap replicates (default 2000) */
  resamples: number;
  /** confidence level (default 0.95) */
  level: number;
  /** exact sign-flip enumeration up to this many non-zero task deltas (default 20) */
  exactMax: number;
  /** Monte-Carlo sign-flip draws beyond exactMax (default 20000) */
  draws: number;
  /** two-stage bootstrap (tasks, then trials within tasks); default false = tasks only, see resample.ts */
  withinTasks: boolean;
}

/** Defaults of every statistic option except the seed, which is always explicit. */
export const DEFAULT_STATS: Omit<StatOptions, "seed"> = { resamples: 2000, level: 0.95, exactMax: 20, draws: 20000, withinTasks: false };

/** The id used for "all agents pooled" rows. */
export const POOLED = "*";

/** Agents a row covers: one agent, or all of them for the pooled row. */
export function rowAgents(idx: CellIndex, agent: string): string[] {
  return agent === POOLED ? idx.agents : [agent];
}

/** The agents whose rows are reported: each agent, plus the pooled row when there are several. */
export function reportedAgents(idx: CellIndex): string[] {
  return idx.agents.length > 1 ? [...idx.agents, POOLED] : [...idx.agents];
}

/** Display name of an agent config: run.json label, else `id (model)`, else the id. */
export function agentLabel(meta: RunMeta, agent: string): string {
  if (agent === POOLED) return "all agents (pooled)";
  const a = meta.agents.find((x) => x.id === agent);
  if (!a) return agent;
  return a.label ?? (a.model ? `${a.id} (${a.model})` : a.id);
}

/** "trial" when every cell has per-trial data, "counts" when none has, "mixed" otherwise. */
export function granularityOf(cells: readonly Cell[]): "trial" | "counts" | "mixed" {
  const kinds = new Set(cells.map((c) => c.granularity));
  if (kinds.size === 0) return "trial";
  if (kinds.size === 2) return "mixed";
  return kinds.has("counts") ? "counts" : "trial";
}

/** Sorted distinct values, nulls dropped. */
export function distinct(values: Iterable<string | null>): string[] {
  return [...new Set([...values].filter((v): v is string => v !== null))].sort();
}

/** `a / b`, or `null` when there is nothing to divide by (never a silent 0). */
export const safeDiv = (a: number, b: number): number | null => (b > 0 ? a / b : null);
