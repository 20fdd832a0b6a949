import type { Rng } from "./rng.ts";

/** Result of a sign-flip permutation test; `method` says how the p-value was obtained. */
export interface PermutationResult {
  p: number;
  method: "exact" | "monte-carlo";
  /** tasks with a non-zero difference: zeros do not change under a sign flip */
  nonzero: number;
  /** number of sign patterns enumerated (exact) or drawn (Monte Carlo) */
  draws: number;
}

/** Seeded options of `signFlipTest`. */
export interface SignFlipOptions {
  rng: Rng;
  /** enumerate all 2^m patterns when m ≤ this (default 20) */
  exactMax?: number;
  /** Monte-Carlo draws beyond exactMax (default 20000) */
  draws?: number;
}

/**
 * Two-sided paired sign-flip permutation test of "mean difference is 0" (Fisher 1935): the
 * share of sign patterns whose |sum| is at least the observed |sum|. Exact enumeration (Gray
 * code, O(2^m)) for m ≤ exactMax non-zero differences; beyond that a seeded Monte-Carlo
 * estimate `(1 + hits) / (1 + draws)`, which is a valid p-value. `null` for no differences.
 */
export function signFlipTest(diffs: readonly number[], opts: SignFlipOptions): PermutationResult | null {
  if (diffs.length === 0) return null;
  const d = diffs.filter((x) => x !== 0);
  const m = d.length;
  if (m === 0) return { p: 1, method: "exact", nonzero: 0, draws: 1 };
  const observed = Math.abs(d.reduce((a, x) => a + x, 0));
  // sums of floats differ in the last bits between orders: compare with a small tolerance
  const scale = d.reduce((a, x) => a + Math.abs(x), 0);
  const threshold = observed - 1e-9 * scale;
  const exactMax = opts.exactMax ?? 20;
  if (m <= exactMax) {
    // walk all patterns in Gray-code order: each step flips one sign
    let sum = d.reduce((a, x) => a + x, 0);
    const signs = new Int8Array(m).fill(1);
    let hits = Math.abs(sum) >= threshold ? 1 : 0;
    const total = 2 ** m;
    for (let i = 1; i < total; i++) {
      const bit = 31 - Math.clz32(i & -i);
      sum -= 2 * signs[bit]! * d[bit]!;
      signs[bit] = -signs[bit]! as 1 | -1;
      if (Math.abs(sum) >= threshold) hits++;
    }
    return { p: hits / total, method: "exact", nonzero: m, draws: total };
  }
  const draws = opts.draws ?? 20000;
  // sums of 8 signed differences for each of the 256 sign bytes: one lookup per 8 tasks per draw
  const groups = Math.ceil(m / 8);
  const table = new Float64Array(groups * 256);
  for (let g = 0; g < groups; g++) {
    for (let byte = 0; byte < 256; byte++) {
      let s = 0;
      for (let k = 0; k < 8 && g * 8 + k < m; k++) s += byte & (1 << k) ? d[g * 8 + k]! : -d[g * 8 + k]!;
      table[g * 256 + byte] = s;
    }
  }
  let hits = 0;
  for (let r = 0; r < draws; r++) {
    let s = 0;
    let bits = 0;
    for (let g = 0; g < groups; g++) {
      if ((g & 3) === 0) bits = opts.rng.bits32();
      s += table[g * 256 + (bits & 255)]!;
      bits >>>= 8;
    }
    if (Math.abs(s) >= threshold) hits++;
  }
  return { p: (1 + hits) / (1 + draws), method: "monte-carlo", nonzero: m, draws };
}

/**
 * Exact McNemar test (two-sided binomial test on the discordant pairs): `b` pairs where A
 * passed and B failed, `c` the reverse. p = min(1, 2·P(X ≤ min(b,c))), X ~ Binomial(b+c, ½).
 * With no discordant pairs there is no evidence either way and p is 1.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // sum the lower tail in log space so n in the thousands does not underflow to garbage
  let logC = -n * Math.LN2; // log C(n,0) / 2^n
  let tail = Math.exp(logC);
  for (let i = 1; i <= k; i++) {
    logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC);
  }
  return Math.min(1, 2 * tail);
}

/**
 * Holm (1979) step-down adjustment for a family of p-values; `null` entries (no test) stay
 * `null` and do not count toward the family size. Returns adjusted p-values in input order.
 */
export function holm(ps: readonly (number | null)[]): (number | null)[] {
  const present = ps.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
  const m = present.length;
  const sorted = [...present].sort((a, b) => a.p - b.p || a.i - b.i);
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  sorted.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
