import type { CellIndex } from "./cells.ts";
import { agentLabel, distinct, granularityOf, POOLED, rowAgents, type StatOptions } from "./common.ts";
import { normalizedGain } from "./estimators.ts";
import { mcnemarExact, signFlipTest } from "./hypothesis.ts";
import type { Cell, TrialFact } from "./model.ts";
import { bootstrapMean, pairPart, ratePart, type Part, type TaskUnit } from "./resample.ts";
import { makeRng } from "./rng.ts";
import type { RunMeta } from "./run-meta.ts";
import { formatContrastSide, parseContrastSide } from "./sides.ts";
import type { ContrastRow } from "./summary-schema.ts";

const MAX_LISTED = 200;
const CHAR: Record<TrialFact["outcome"], string> = { passed: "P", failed: "F", agent_timeout: "T", agent_error: "E", verifier_error: "V", infra_error: "I" };
const isScored = (t: TrialFact | undefined): t is TrialFact => t !== undefined && t.outcome !== "verifier_error" && t.outcome !== "infra_error";

/**
 * Default contrasts of DESIGN section 6 over the conditions present: every condition vs
 * `no-skill`, plus each self-evolved variant vs `raw-trace` and vs `curated`. Runs that declare
 * none in run.toml `contrasts` get these.
 */
export function defaultContrasts(conditions: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  const has = (c: string) => conditions.includes(c);
  if (has("no-skill")) for (const c of conditions) if (c !== "no-skill") out.push([c, "no-skill"]);
  for (const se of conditions.filter((c) => c.startsWith("self-evolved"))) {
    if (has("raw-trace")) out.push([se, "raw-trace"]);
    if (has("curated")) out.push([se, "curated"]);
  }
  return out;
}

interface Component {
  agent: string;
  /** A's and B's rates on the matched data of this (task, agent) */
  rateA: number;
  rateB: number;
  part: (weight: number) => Part[];
  aN: number; aPassed: number; bN: number; bPassed: number;
  wins: number; losses: number;
  indices: number[] | null; aStr: string | null; bStr: string | null;
}

/** Two agent configs compared directly (issue 11): A's trials of `a` against B's trials of `b`. */
export interface CrossAgents {
  agentA: string;
  agentB: string;
}

/**
 * Matched comparison of condition `a` (with) against `b` (without) for one agent, or all
 * agents pooled ("*": each task's delta is the mean of the agents' deltas). Only matched
 * (task, agent, index) pairs enter; with count-only data, matching is at the (task, agent)
 * cell. With `cross`, side a is agent A's trials and side b agent B's, matched on (task, index)
 * (`agent` is then ignored). `p_holm` is filled in later by `withHolm` over the whole family. Pure.
 */
export function contrastRow(idx: CellIndex, meta: RunMeta, a: string, b: string, agent: string, opts: StatOptions, cross?: CrossAgents): ContrastRow {
  if (cross) agent = `${cross.agentA} vs ${cross.agentB}`;
  const id = cross ? `${cross.agentA}/${a}::vs::${cross.agentB}/${b}` : `${agent}::${a}::vs::${b}`;
  const lanes = cross ? [{ a: cross.agentA, b: cross.agentB }] : rowAgents(idx, agent).map((g) => ({ a: g, b: g }));
  const unmatched = { a_only: 0, b_only: 0, listed: [] as string[], truncated: false };
  const list = (s: string) => {
    if (unmatched.listed.length < MAX_LISTED) unmatched.listed.push(s);
    else unmatched.truncated = true;
  };
  const touched: Cell[] = [];
  const tasks: { task: string; comps: Component[] }[] = [];
  let pairs = 0;
  let totalWins = 0, totalLosses = 0;
  for (const task of idx.tasks) {
    const comps: Component[] = [];
    for (const lane of lanes) {
      const ag = lane.a;
      const ca = idx.get(lane.a, a, task);
      const cb = idx.get(lane.b, b, task);
      if (ca) touched.push(ca);
      if (cb) touched.push(cb);
      if (ca?.trials && cb?.trials) {
        const comp = pairTrials(ca.trials, cb.trials, (t, side) => {
          if (side === "a") unmatched.a_only++;
          else unmatched.b_only++;
          list(t.key);
        });
        pairs += comp?.aN ?? 0;
        if (comp) {
          totalWins += comp.wins;
          totalLosses += comp.losses;
          comps.push({ ...comp, agent: ag });
        }
      } else if (ca && cb && ca.counts.scored > 0 && cb.counts.scored > 0) {
        comps.push(countComponent(ag, ca, cb));
      } else {
        for (const [c, side] of [[ca, "a"], [cb, "b"]] as const) {
          if (!c || c.counts.scored === 0) continue;
          unmatched[side === "a" ? "a_only" : "b_only"] += c.counts.scored;
          if (c.trials) for (const t of c.trials) if (isScored(t)) list(t.key);
          if (!c.trials) list(`${task}|${c.condition}|${c.agent} (${c.counts.scored} trials)`);
        }
      }
    }
    if (comps.length) tasks.push({ task, comps });
  }
  const units: TaskUnit[] = tasks.map((t) => ({ parts: t.comps.flatMap((c) => c.part(1 / t.comps.length)) }));
  const deltas = tasks.map((t) => mean(t.comps.map((c) => c.rateA - c.rateB)));
  const ratesA = tasks.map((t) => mean(t.comps.map((c) => c.rateA)));
  const ratesB = tasks.map((t) => mean(t.comps.map((c) => c.rateB)));
  const rateA = tasks.length ? mean(ratesA) : null;
  const rateB = tasks.length ? mean(ratesB) : null;
  const granularity = granularityOf(touched);
  const wtl = (ds: number[]) => ({
    win: ds.filter((d) => d > 1e-12).length, tie: ds.filter((d) => Math.abs(d) <= 1e-12).length, loss: ds.filter((d) => d < -1e-12).length,
  });
  const groupDeltas = (groupOf: (task: string) => string | null) =>
    distinct(tasks.map((t) => groupOf(t.task))).map((g) => {
      const sel = tasks.map((t, i) => i).filter((i) => groupOf(tasks[i]!.task) === g);
      return {
        group: g, tasks: sel.length,
        rate_a: mean(sel.map((i) => ratesA[i]!)), rate_b: mean(sel.map((i) => ratesB[i]!)),
        delta: bootstrapMean(sel.map((i) => units[i]!), { rng: makeRng(opts.seed, `contrast:${id}:group:${g}`), resamples: opts.resamples, level: opts.level, withinTasks: opts.withinTasks }),
        ...wtl(sel.map((i) => deltas[i]!)),
      };
    });
  const sign = signFlipTest(deltas, { rng: makeRng(opts.seed, `signflip:${id}`), exactMax: opts.exactMax, draws: opts.draws });
  return {
    id, a, b, agent, agent_label: cross ? `${agentLabel(meta, cross.agentA)} vs ${agentLabel(meta, cross.agentB)}` : agentLabel(meta, agent), pooled: agent === POOLED, granularity,
    tasks: tasks.length,
    pairs: granularity === "trial" ? pairs : null,
    rate_a: rateA, rate_b: rateB,
    delta: bootstrapMean(units, { rng: makeRng(opts.seed, `contrast:${id}`), resamples: opts.resamples, level: opts.level, withinTasks: opts.withinTasks }),
    g: rateA === null || rateB === null ? null : normalizedGain(rateA, rateB),
    sign_flip: sign,
    mcnemar: granularity === "trial" && pairs > 0 ? { p: mcnemarExact(totalWins, totalLosses), a_only: totalWins, b_only: totalLosses } : null,
    p_holm: null,
    ...wtl(deltas),
    by_family: groupDeltas((t) => idx.taskInfo.get(t)!.family),
    by_role: groupDeltas((t) => idx.taskInfo.get(t)!.role),
    unmatched,
    // pooled rows mix agents within a task, so their grid is left to the per-agent rows
    grid: agent === POOLED ? [] : tasks.map((t, i) => {
      const c = t.comps[0]!;
      const info = idx.taskInfo.get(t.task)!;
      return {
        task: t.task, family: info.family, role: info.role,
        indices: c.indices, a: c.aStr, b: c.bStr,
        a_n: c.aN, a_passed: c.aPassed, b_n: c.bN, b_passed: c.bPassed, delta: deltas[i]!,
      };
    }),
    ...(cross ? { agent_a: cross.agentA, agent_b: cross.agentB } : {}),
  };
}

/**
 * Rows for the declared contrasts: a plain pair gives one row per reported agent (pooled
 * included); a pair of `"<agent>/<condition>"` sides gives one cross-agent row (or, pinned to
 * the same agent on both sides, that agent's ordinary row). A row declared twice appears once.
 * Pairs naming a condition or agent with no data are skipped with a note. Holm is not applied here.
 */
export function declaredContrastRows(idx: CellIndex, meta: RunMeta, declared: readonly [string, string][], agents: readonly string[], opts: StatOptions, notes: string[]): ContrastRow[] {
  const seen = new Set<string>();
  // a pair declared twice (e.g. plainly and pinned to one agent) is one row: ids stay unique
  return declared.flatMap(([rawA, rawB]) => rowsOf(rawA, rawB)).filter((r) => !seen.has(r.id) && seen.add(r.id));

  function rowsOf(rawA: string, rawB: string): ContrastRow[] {
    const sa = parseContrastSide(rawA);
    const sb = parseContrastSide(rawB);
    const missing = [sa, sb].filter((s) => !idx.conditions.includes(s.condition) || (s.agent !== null && !idx.agents.includes(s.agent)));
    if (missing.length) {
      notes.push(`contrast ${rawA} vs ${rawB} names ${missing.map(formatContrastSide).join(" and ")}, which has no data; skipped`);
      return [];
    }
    if ((sa.agent === null) !== (sb.agent === null)) {
      notes.push(`contrast ${rawA} vs ${rawB} pins an agent on one side only; skipped`);
      return [];
    }
    // both sides pinned to the same agent is that agent's ordinary row
    if (sa.agent !== null && sa.agent === sb.agent) return [contrastRow(idx, meta, sa.condition, sb.condition, sa.agent, opts)];
    if (sa.agent !== null && sb.agent !== null) return [contrastRow(idx, meta, sa.condition, sb.condition, POOLED, opts, { agentA: sa.agent, agentB: sb.agent })];
    return agents.map((ag) => contrastRow(idx, meta, sa.condition, sb.condition, ag, opts));
  }
}

/** Pairs two trial cells by index; reports scored trials without a scored partner. */
function pairTrials(ta: TrialFact[], tb: TrialFact[], onUnmatched: (t: TrialFact, side: "a" | "b") => void): Omit<Component, "agent"> | null {
  // trial indices are small integers: plain arrays beat Maps here (this runs once per cell)
  const byA: (TrialFact | undefined)[] = [];
  const byB: (TrialFact | undefined)[] = [];
  for (const t of ta) byA[t.index] = t;
  for (const t of tb) byB[t.index] = t;
  const indices: number[] = [];
  for (let i = 0; i < Math.max(byA.length, byB.length); i++) if (byA[i] || byB[i]) indices.push(i);
  let n = 0, aPassed = 0, bPassed = 0, wins = 0, losses = 0;
  let aStr = "", bStr = "";
  for (const i of indices) {
    const x = byA[i];
    const y = byB[i];
    aStr += x ? CHAR[x.outcome] : ".";
    bStr += y ? CHAR[y.outcome] : ".";
    if (isScored(x) && isScored(y)) {
      n++;
      const px = x.outcome === "passed" ? 1 : 0;
      const py = y.outcome === "passed" ? 1 : 0;
      aPassed += px;
      bPassed += py;
      if (px > py) wins++;
      else if (py > px) losses++;
    } else {
      if (isScored(x)) onUnmatched(x, "a");
      if (isScored(y)) onUnmatched(y, "b");
    }
  }
  if (n === 0) return null;
  return {
    rateA: aPassed / n, rateB: bPassed / n, aN: n, aPassed, bN: n, bPassed, wins, losses,
    part: (w) => [pairPart(n, wins, losses, w)],
    indices, aStr, bStr,
  };
}

/** Count-only cells: each side resampled on its own (the pairing of trials is unknown). */
function countComponent(agent: string, ca: Cell, cb: Cell): Component {
  const A = ca.counts, B = cb.counts;
  return {
    agent, rateA: A.passed / A.scored, rateB: B.passed / B.scored,
    aN: A.scored, aPassed: A.passed, bN: B.scored, bPassed: B.passed, wins: 0, losses: 0,
    part: (w) => [ratePart(A.scored, A.passed, w), ratePart(B.scored, B.passed, -w)],
    indices: null, aStr: null, bStr: null,
  };
}

/** Fills `p_holm` across the whole family of contrast rows (Holm 1979). Returns new rows. */
export function withHolm(rows: readonly ContrastRow[], holmFn: (ps: (number | null)[]) => (number | null)[]): ContrastRow[] {
  const adj = holmFn(rows.map((r) => r.sign_flip?.p ?? null));
  return rows.map((r, i) => ({ ...r, p_holm: adj[i] ?? null }));
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
