import { bootstrapMean, makeRng, ratePart, type Interval, type Summary } from "../analysis/index.ts";

/**
 * The agreement rule of `submit reproduce` (SUBMITTING.md section 4): a two-sample test, paired
 * by task. A reproduction runs the *same* tasks again, so what may differ between the runs is
 * trial noise, never the choice of tasks. For each compared quantity the per-task difference
 * (submitted − reproduced: of pass rates, or of per-task deltas) is averaged over the tasks both
 * runs scored, and its interval comes from the analysis module's two-stage bootstrap (tasks, then
 * trials within each task, binomially). The row agrees when that interval contains 0.
 *
 * The level is Bonferroni-adjusted over the rows compared (1 − α/m, α = 0.05), so an honest
 * submission is flagged on any row with probability ≤ ~α. Comparing the two runs' own intervals
 * (e.g. "the CIs overlap") instead would carry the between-task spread twice, which does not
 * differ between two runs of the same tasks, and misses large lies on small suites (measured in
 * submit-reproduce.test.ts).
 */
export const AGREEMENT_ALPHA = 0.05;

/** The rule in one line, for reports. */
export function agreementRule(rows: number, alpha = AGREEMENT_ALPHA): string {
  return `paired by task: a row agrees when the ${pct(1 - alpha / Math.max(1, rows))} two-stage bootstrap interval of (submitted − reproduced) contains 0 (α = ${alpha} Bonferroni-adjusted over ${rows} row(s))`;
}

/** One compared quantity: a condition × agent macro pass rate, or a declared contrast's delta. */
export interface AgreementRow {
  kind: "pass-rate" | "delta";
  /** summary row id (methods[].id or contrasts[].id) */
  id: string;
  /** e.g. `curated` or `curated − no-skill` */
  label: string;
  agent: string;
  /** as each summary publishes it (95% CI) */
  submitted: Interval | null;
  reproduced: Interval | null;
  /** mean over paired tasks of submitted − reproduced, with its interval at the adjusted level */
  difference: Interval | null;
  /** tasks scored on every side the row needs, in both runs */
  tasks: number;
  agree: boolean;
  /** why a row disagrees (or could not be compared) */
  reason?: string;
}

export interface CompareOptions {
  /** seed of the bootstrap (every row gets its own stream) */
  seed: number;
  resamples?: number;
  alpha?: number;
}

/** The (agent, condition) cells one side of a row reads, with the sign it enters the difference. */
type Side = { agent: string; condition: string; sign: 1 | -1 };

/**
 * Compares every per-agent leaderboard row (macro pass rate) and every per-agent contrast row
 * (delta) of the submitted summary with the reproduction's, from the summaries' per-task cells.
 * Pooled rows are left out: they average the per-agent rows already compared. A row missing from
 * the reproduction, or with no task scored in both runs, disagrees. Pure.
 */
export function compareSummaries(submitted: Summary, reproduced: Summary, opts: CompareOptions): AgreementRow[] {
  type Spec = Omit<AgreementRow, "difference" | "tasks" | "agree" | "reason"> & { sides: Side[] | null };
  const specs: Spec[] = [];
  const repMethods = new Map(reproduced.methods.map((m) => [m.id, m]));
  for (const m of submitted.methods.filter((x) => !x.pooled)) {
    const r = repMethods.get(m.id);
    specs.push({ kind: "pass-rate", id: m.id, label: m.condition, agent: m.agent_label, submitted: m.macro, reproduced: r?.macro ?? null, sides: r ? [{ agent: m.agent, condition: m.condition, sign: 1 }] : null });
  }
  const repContrasts = new Map(reproduced.contrasts.map((c) => [c.id, c]));
  for (const c of submitted.contrasts.filter((x) => !x.pooled)) {
    const r = repContrasts.get(c.id);
    const sides: Side[] = [{ agent: c.agent_a ?? c.agent, condition: c.a, sign: 1 }, { agent: c.agent_b ?? c.agent, condition: c.b, sign: -1 }];
    specs.push({ kind: "delta", id: c.id, label: `${c.a} − ${c.b}`, agent: c.agent_label, submitted: c.delta, reproduced: r?.delta ?? null, sides: r ? sides : null });
  }
  const alpha = opts.alpha ?? AGREEMENT_ALPHA;
  const level = 1 - alpha / Math.max(1, specs.length);
  const sub = cellCounts(submitted);
  const rep = cellCounts(reproduced);
  return specs.map(({ sides, ...row }): AgreementRow => {
    if (!sides) return { ...row, difference: null, tasks: 0, agree: false, reason: "row missing from the reproduction" };
    const units = submitted.tasks.flatMap((t) => {
      const parts = sides.flatMap((s) => {
        const a = sub.get(`${t.task}|${s.agent}|${s.condition}`);
        const b = rep.get(`${t.task}|${s.agent}|${s.condition}`);
        return a && b && a.scored > 0 && b.scored > 0 ? [ratePart(a.scored, a.passed, s.sign), ratePart(b.scored, b.passed, -s.sign)] : [];
      });
      return parts.length === 2 * sides.length ? [{ parts }] : [];
    });
    const difference = bootstrapMean(units, { rng: makeRng(opts.seed, `reproduce:${row.id}`), resamples: opts.resamples, level, withinTasks: true });
    if (!difference) return { ...row, difference, tasks: 0, agree: false, reason: "no task scored in both runs" };
    const agree = difference.lo <= 1e-9 && difference.hi >= -1e-9;
    return { ...row, difference, tasks: units.length, agree, ...(agree ? {} : { reason: `submitted − reproduced = ${signed(difference.estimate)}, interval [${signed(difference.lo)}, ${signed(difference.hi)}] excludes 0` }) };
  });
}

/** task|agent|condition → scored and passed trials, from a summary's per-task cells. */
function cellCounts(s: Summary): Map<string, { scored: number; passed: number }> {
  return new Map(s.tasks.flatMap((t) => t.cells.map((c) => [`${t.task}|${c.agent}|${c.condition}`, { scored: c.scored, passed: c.passed }] as const)));
}

const pct = (x: number) => `${Number((100 * x).toFixed(2))}%`;
const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;
