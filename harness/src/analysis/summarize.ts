import { buildCells, type CellIndex } from "./cells.ts";
import { DEFAULT_STATS, distinct, granularityOf, reportedAgents, agentLabel, safeDiv, type StatOptions } from "./common.ts";
import { declaredContrastRows, defaultContrasts, withHolm } from "./contrasts.ts";
import { holm } from "./hypothesis.ts";
import { encodeTaskFile } from "./layout.ts";
import { methodRow } from "./methods.ts";
import { rowExtras, taskChances } from "./overhead.ts";
import { roundRows } from "./rounds.ts";
import { transferRows } from "./transfer.ts";
import type { Cell, RunData } from "./model.ts";
import { SUMMARY_VERSION, type MethodRow, type Summary, type TaskPage } from "./summary-schema.ts";

/**
 * Computes summary.json and the per-task pages from a loaded run. Pure: no I/O, no clock;
 * the same run and seed give the same output bit for bit.
 */
export function summarize(run: RunData, options: Partial<StatOptions> & { seed: number }): { summary: Summary; pages: TaskPage[] } {
  const opts: StatOptions = { ...DEFAULT_STATS, ...options };
  const idx = buildCells(run);
  const notes = [...run.meta.problems];
  const agents = reportedAgents(idx);
  const chances = taskChances(run.trials);
  const methods = agents.flatMap((ag) => idx.conditions.map((cond) => ({ ...methodRow(idx, run.meta, ag, cond, opts), ...rowExtras(idx, chances, ag, cond) })));
  const declared = run.meta.contrasts ?? defaultContrasts(idx.conditions);
  const contrasts = withHolm(declaredContrastRows(idx, run.meta, declared, agents, opts, notes), holm);
  const allCells = [...idx.cells.values()];
  const granularity = granularityOf(allCells);
  if (granularity !== "trial") {
    notes.push("some cells hold only per-task pass counts (imported): rates, pass@k and task-level deltas are computed from counts; McNemar and per-trial grids need individual trials and are omitted there");
  }
  const perAgent = methods.filter((m) => !m.pooled);
  // issue 11 (summary 1.1): present only when the run has them, so older runs' summaries are unchanged
  const rounds = roundRows(idx, run.meta, opts);
  const transfer = transferRows(idx, run.meta, opts, holm, notes);
  const summary: Summary = {
    schema: "skilldelta.summary",
    version: SUMMARY_VERSION,
    run: {
      id: run.meta.id,
      created_at: run.meta.created_at,
      source: run.meta.source,
      attestation: run.meta.attestation,
      granularity,
      conditions: idx.conditions,
      agents: idx.agents.map((id) => {
        const a = run.meta.agents.find((x) => x.id === id);
        return { id, label: agentLabel(run.meta, id), kind: a?.kind ?? null, model: a?.model ?? null };
      }),
      families: distinct([...idx.taskInfo.values()].map((t) => t.family)),
      roles: distinct([...idx.taskInfo.values()].map((t) => t.role)),
      tasks: idx.tasks.length,
      journal: { ...run.journal, count_cells: run.cells.length },
    },
    method: {
      seed: opts.seed,
      bootstrap_resamples: opts.resamples,
      within_tasks: opts.withinTasks,
      level: opts.level,
      bootstrap: opts.withinTasks
        ? "percentile, two-stage: tasks resampled with replacement, then trials (or matched pairs) within each drawn task (binomially for count-only cells); conservative"
        : "percentile, tasks resampled with replacement (each task keeps its own trials, whose noise its per-task mean already carries)",
      permutation_exact_max: opts.exactMax,
      permutation_draws: opts.draws,
      holm_family: contrasts.filter((c) => c.sign_flip !== null).length,
      pooled_rows: "agent \"*\" pools all agents: a task's value is the mean over agents of that agent's rate (or delta) on the task",
    },
    methods,
    contrasts,
    tasks: taskRows(idx).map((t) => (chances.has(t.task) ? { ...t, chance: chances.get(t.task)! } : t)),
    denominators: sumDenominators(perAgent),
    notes,
    ...(rounds.length ? { rounds } : {}),
    ...(transfer.length ? { transfer } : {}),
  };
  return { summary, pages: taskPages(idx, run) };
}

function cellSummary(c: Cell, missing: number | null) {
  return {
    agent: c.agent, condition: c.condition, granularity: c.granularity,
    scored: c.counts.scored, passed: c.counts.passed, rate: safeDiv(c.counts.passed, c.counts.scored),
    mean_reward: c.reward_n > 0 ? c.reward_sum / c.reward_n : null,
    agent_timeout: c.counts.agent_timeout, agent_error: c.counts.agent_error,
    excluded: c.counts.verifier_error + c.counts.infra_error,
    missing_trials: missing,
  };
}

function taskCells(idx: CellIndex, task: string) {
  const expected = idx.expected;
  const out = [];
  for (const agent of idx.agents) for (const condition of idx.conditions) {
    const c = idx.get(agent, condition, task);
    if (!c) continue;
    const exp = expected.get(`${agent}\u0000${task}`);
    const have = new Set(c.trials?.map((t) => t.index) ?? []);
    out.push(cellSummary(c, c.trials && exp ? [...exp].filter((i) => !have.has(i)).length : null));
  }
  return out;
}

function taskRows(idx: CellIndex): Summary["tasks"] {
  return idx.tasks.map((task) => {
    const info = idx.taskInfo.get(task)!;
    const cells = taskCells(idx, task);
    const by_condition: Record<string, number | null> = {};
    for (const cond of idx.conditions) {
      const rates = cells.filter((c) => c.condition === cond && c.rate !== null).map((c) => c.rate!);
      by_condition[cond] = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
    }
    return { task, family: info.family, role: info.role, by_condition, cells, page: `tasks/${encodeTaskFile(task)}.json` };
  });
}

function taskPages(idx: CellIndex, run: RunData): TaskPage[] {
  const byTask = new Map<string, Cell[]>();
  for (const c of idx.cells.values()) {
    const list = byTask.get(c.task) ?? [];
    list.push(c);
    byTask.set(c.task, list);
  }
  return idx.tasks.map((task) => {
    const info = idx.taskInfo.get(task)!;
    const cells = byTask.get(task) ?? [];
    const trialCells = cells.filter((c) => c.trials);
    return {
      schema: "skilldelta.task", version: SUMMARY_VERSION, run_id: run.meta.id, task, family: info.family, role: info.role,
      instruction: run.instructions[task] ?? null,
      results: taskCells(idx, task),
      trials: trialCells.length === 0 ? null : trialCells.flatMap((c) => c.trials!).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)).map((t) => ({
        trial_id: t.trial_id, key: t.key, agent: t.agent, condition: t.condition, index: t.index, outcome: t.outcome,
        reward: t.reward, attempts: t.attempts, seconds: t.seconds, tokens: t.tokens, skills_loaded: t.skills_loaded,
        error: t.error, artifacts_dir: t.artifacts_dir,
      })),
    };
  });
}

function sumDenominators(rows: MethodRow[]): Summary["denominators"] {
  const d = { expected_cells: 0, missing_cells: 0, trials: 0, scored: 0, passed: 0, failed: 0, agent_timeout: 0, agent_error: 0, verifier_error: 0, infra_error: 0, excluded: 0, missing_trials: 0 as number | null };
  for (const r of rows) {
    const x = r.denominators;
    d.expected_cells += x.expected_cells; d.missing_cells += x.missing_cells; d.trials += x.trials; d.scored += x.scored;
    d.passed += x.passed; d.failed += x.failed; d.agent_timeout += x.agent_timeout; d.agent_error += x.agent_error;
    d.verifier_error += x.verifier_error; d.infra_error += x.infra_error; d.excluded += x.excluded;
    d.missing_trials = d.missing_trials === null || x.missing_trials === null ? null : d.missing_trials + x.missing_trials;
  }
  return d;
}

/** One row per (task, condition, agent) cell, with family and role: for CSV export. Pure. */
export function cellTable(run: RunData): (Summary["tasks"][number]["cells"][number] & { task: string; family: string; role: string | null })[] {
  const idx = buildCells(run);
  return idx.tasks.flatMap((task) => {
    const info = idx.taskInfo.get(task)!;
    return taskCells(idx, task).map((c) => ({ task, family: info.family, role: info.role, ...c }));
  });
}
