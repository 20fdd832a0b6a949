/**
 * Point estimators for pass rates. Pure functions over counts; no I/O, no randomness.
 */

/** Arithmetic mean; `null` for an empty list (never a silent 0). */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Unbiased pass@k (Chen et al. 2021): the probability that at least one of k trials drawn
 * without replacement from n trials with c passes is a pass, `1 - C(n-c,k)/C(n,k)`, computed
 * as a product so large n does not overflow.
 * @throws RangeError when k > n, or c outside [0, n]
 */
export function passAtK(n: number, c: number, k: number): number {
  checkArgs(n, c, k);
  if (n - c < k) return 1;
  let prodFail = 1;
  for (let i = n - c + 1; i <= n; i++) prodFail *= 1 - k / i;
  return 1 - prodFail;
}

/**
 * Unbiased pass^k (Yao et al. 2024, tau-bench): the probability that all k trials drawn without
 * replacement from n trials with c passes pass, `C(c,k)/C(n,k)`.
 * @throws RangeError when k > n, or c outside [0, n]
 */
export function passHatK(n: number, c: number, k: number): number {
  checkArgs(n, c, k);
  if (c < k) return 0;
  let p = 1;
  for (let i = 0; i < k; i++) p *= (c - i) / (n - i);
  return p;
}

function checkArgs(n: number, c: number, k: number): void {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k))) throw new RangeError("n, c and k must be integers");
  if (k < 1 || k > n) throw new RangeError(`k=${k} must be in [1, n=${n}]`);
  if (c < 0 || c > n) throw new RangeError(`c=${c} must be in [0, n=${n}]`);
}

/** The k values reported for a row whose smallest per-task trial count is `minN`. */
export function reportedKs(minN: number): number[] {
  const ks = [1, 2, 3, 5, 10, 20, 50, 100].filter((k) => k <= minN);
  return ks;
}

/**
 * Normalized gain g = (with - without) / (1 - without) (Hake 1998): the share of the headroom
 * left by the baseline that the treatment recovers. `null` when the baseline is already perfect.
 */
export function normalizedGain(withRate: number, withoutRate: number): number | null {
  if (withoutRate >= 1) return null;
  return (withRate - withoutRate) / (1 - withoutRate);
}
