import type { Rng } from "./rng.ts";

/**
 * Bootstrap machinery: resample tasks with replacement and, optionally (two-stage), within
 * each drawn task resample its trials (or matched trial pairs) with replacement.
 *
 * Trial outcomes are pass/fail, so a within-task resample of n trials only changes how many
 * passes it holds. Instead of drawing n uniforms we draw that count directly from its exact
 * distribution (binomial for trials, a trinomial difference for pairs) through a Walker alias
 * table: the same distribution as the naive resample at a fraction of the cost.
 */

/** Walker/Vose alias table over outcomes 0..K-1. */
export interface AliasTable {
  readonly prob: Float64Array;
  readonly alias: Int32Array;
}

/** One resampled quantity inside a task: `weight * (offset + draw)`, draw from `table`. */
export interface Part {
  readonly weight: number;
  readonly offset: number;
  readonly observed: number;
  /** built on first use: the tasks-only bootstrap never needs it */
  readonly table: () => AliasTable;
}

/** A task's contribution: its value is the sum of its parts (e.g. a per-task pass rate, or a delta). */
export interface TaskUnit {
  readonly parts: readonly Part[];
}

/** Builds an alias table from probabilities that sum to 1 (up to rounding). */
export function aliasTable(p: readonly number[]): AliasTable {
  const k = p.length;
  const prob = new Float64Array(k);
  const alias = new Int32Array(k);
  const total = p.reduce((a, b) => a + b, 0);
  const scaled = p.map((x) => (x / total) * k);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((x, i) => (x < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) {
    prob[i] = 1;
    alias[i] = i;
  }
  return { prob, alias };
}

/** One draw from an alias table using a single uniform. */
export function drawAlias(t: AliasTable, rng: Rng): number {
  const k = t.prob.length;
  const x = rng.float() * k;
  const i = Math.floor(x);
  return x - i < t.prob[i]! ? i : t.alias[i]!;
}

const logFactCache: number[] = [0];
function logFact(n: number): number {
  for (let i = logFactCache.length; i <= n; i++) logFactCache[i] = logFactCache[i - 1]! + Math.log(i);
  return logFactCache[n]!;
}

const tableCache = new Map<string, AliasTable>();

/** Distribution of the number of passes when resampling n trials holding c passes: Binomial(n, c/n). */
export function binomialTable(n: number, c: number): AliasTable {
  const key = `b${n}:${c}`;
  let t = tableCache.get(key);
  if (t) return t;
  const p = c / n;
  const pmf: number[] = [];
  for (let x = 0; x <= n; x++) {
    if ((p === 0 && x > 0) || (p === 1 && x < n)) pmf.push(0);
    else pmf.push(Math.exp(logFact(n) - logFact(x) - logFact(n - x) + (x > 0 ? x * Math.log(p) : 0) + (n - x > 0 ? (n - x) * Math.log(1 - p) : 0)));
  }
  t = aliasTable(pmf);
  tableCache.set(key, t);
  return t;
}

/**
 * Distribution of (wins − losses) when resampling n matched pairs holding `wins` pairs where
 * A passed and B failed, `losses` the reverse and the rest ties; outcome index i means sum i − n.
 */
export function pairDiffTable(n: number, wins: number, losses: number): AliasTable {
  const key = `p${n}:${wins}:${losses}`;
  let t = tableCache.get(key);
  if (t) return t;
  const pw = wins / n;
  const pl = losses / n;
  const pt = 1 - pw - pl;
  const lw = Math.log(pw);
  const ll = Math.log(pl);
  const lt = Math.log(pt);
  const pmf = new Array<number>(2 * n + 1).fill(0);
  for (let w = 0; w <= n; w++) {
    if (pw === 0 && w > 0) break;
    for (let l = 0; l + w <= n; l++) {
      if (pl === 0 && l > 0) break;
      const z = n - w - l;
      if (pt <= 0 && z > 0) continue;
      const lp = logFact(n) - logFact(w) - logFact(l) - logFact(z) + (w ? w * lw : 0) + (l ? l * ll : 0) + (z ? z * lt : 0);
      pmf[w - l + n]! += Math.exp(lp);
    }
  }
  t = aliasTable(pmf);
  tableCache.set(key, t);
  return t;
}

/** A per-task pass rate part: `c` passes out of `n` scored trials, scaled by `weight / n`. */
export function ratePart(n: number, c: number, weight = 1): Part {
  return { weight: weight / n, offset: 0, observed: c, table: () => binomialTable(n, c) };
}

/** A per-task paired-difference part over n matched pairs, scaled by `weight / n`. */
export function pairPart(n: number, wins: number, losses: number, weight = 1): Part {
  return { weight: weight / n, offset: -n, observed: wins - losses + n, table: () => pairDiffTable(n, wins, losses) };
}

/** Observed value of a task unit. */
export function unitValue(u: TaskUnit): number {
  let v = 0;
  for (const p of u.parts) v += p.weight * (p.offset + p.observed);
  return v;
}

/** Options of `bootstrapMean`; the rng carries the seed. */
export interface BootstrapOptions {
  rng: Rng;
  /** number of bootstrap replicates (default 2000) */
  resamples?: number;
  /** confidence level (default 0.95) */
  level?: number;
  /**
   * also resample trials within each drawn task (default false). Resampling tasks alone already
   * carries the trial-level noise (each task's value is a noisy mean), so the two-stage scheme
   * counts that noise twice and over-covers (measured in analysis-bootstrap.test.ts).
   */
  withinTasks?: boolean;
}

/** A point estimate with its percentile interval. */
export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

/**
 * Percentile bootstrap CI for the mean over tasks of the task values. Returns `null` when there
 * are no tasks. Pure: the only state it touches is the `rng` it is given.
 */
export function bootstrapMean(units: readonly TaskUnit[], opts: BootstrapOptions): Interval | null {
  const t = units.length;
  if (t === 0) return null;
  const b = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const within = opts.withinTasks ?? false;
  const observed = units.map(unitValue);
  const estimate = observed.reduce((a, x) => a + x, 0) / t;
  const reps = new Float64Array(b);
  const { rng } = opts;
  const parts = within ? units.map((u) => u.parts.map((p) => ({ w: p.weight, o: p.offset, t: p.table() }))) : [];
  for (let r = 0; r < b; r++) {
    let s = 0;
    for (let j = 0; j < t; j++) {
      const i = Math.floor(rng.float() * t);
      if (!within) {
        s += observed[i]!;
        continue;
      }
      for (const p of parts[i]!) s += p.w * (p.o + drawAlias(p.t, rng));
    }
    reps[r] = s / t;
  }
  reps.sort();
  return { estimate, lo: quantile(reps, (1 - level) / 2), hi: quantile(reps, 1 - (1 - level) / 2) };
}

/** Linear-interpolation quantile (type 7) of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
