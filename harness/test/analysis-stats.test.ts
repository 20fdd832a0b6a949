import { describe, expect, it } from "vitest";
import { holm, makeRng, mcnemarExact, passAtK, passHatK, signFlipTest, normalizedGain } from "../src/analysis/index.ts";

/** All k-subsets of {0..n-1}, for brute-force checks. */
function* subsets(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i < n; i++) yield* subsets(n, k, i + 1, [...acc, i]);
}

describe("pass@k and pass^k", () => {
  it("match brute-force enumeration over all k-subsets of the trials", () => {
    for (let n = 1; n <= 8; n++) for (let c = 0; c <= n; c++) for (let k = 1; k <= n; k++) {
      // trials 0..c-1 pass
      let any = 0, all = 0, total = 0;
      for (const s of subsets(n, k)) {
        total++;
        if (s.some((i) => i < c)) any++;
        if (s.every((i) => i < c)) all++;
      }
      expect(passAtK(n, c, k)).toBeCloseTo(any / total, 12);
      expect(passHatK(n, c, k)).toBeCloseTo(all / total, 12);
    }
  });
  it("reject k outside [1, n]", () => {
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
    expect(() => passHatK(3, 4, 1)).toThrow(RangeError);
  });
});

describe("sign-flip permutation test", () => {
  it("reproduces Fisher's exact p for Darwin's Zea mays data (1726/32768)", () => {
    // Fisher (1935), The Design of Experiments §21: cross- minus self-fertilised heights, eighths of an inch
    const d = [49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48];
    const r = signFlipTest(d, { rng: makeRng(1) })!;
    expect(r.method).toBe("exact");
    expect(r.draws).toBe(32768);
    expect(r.p).toBe(1726 / 32768);
  });
  it("gives 2/2^m when all m differences share a sign, and drops zeros", () => {
    expect(signFlipTest([0.2, 0.4, 0.2, 0.6, 1, 0, 0], { rng: makeRng(1) })!.p).toBe(2 / 32);
    expect(signFlipTest([0, 0], { rng: makeRng(1) })!.p).toBe(1);
    expect(signFlipTest([], { rng: makeRng(1) })).toBeNull();
  });
  it("Monte-Carlo estimate agrees with exact enumeration beyond the exact limit", () => {
    const rng = makeRng(5, "diffs");
    const d = Array.from({ length: 21 }, () => Math.round((rng.float() - 0.35) * 10) / 10 || 0.1);
    const exact = signFlipTest(d, { rng: makeRng(1), exactMax: 21 })!;
    const mc = signFlipTest(d, { rng: makeRng(2), exactMax: 20, draws: 20000 })!;
    expect(exact.method).toBe("exact");
    expect(mc.method).toBe("monte-carlo");
    // binomial SE of a p near 0.05 with 20000 draws is ~0.0016
    expect(Math.abs(mc.p - exact.p)).toBeLessThan(0.006);
  });
});

describe("exact McNemar", () => {
  it("matches hand-computed binomial tails", () => {
    // b=1, c=9: 2·(C(10,0)+C(10,1))/2^10 = 22/1024
    expect(mcnemarExact(1, 9)).toBeCloseTo(22 / 1024, 14);
    expect(mcnemarExact(9, 1)).toBeCloseTo(22 / 1024, 14);
    // b=0, c=5: 2/32
    expect(mcnemarExact(0, 5)).toBeCloseTo(0.0625, 14);
    // b=c: the two tails overlap, capped at 1
    expect(mcnemarExact(4, 4)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
    // large n stays finite and symmetric: b=450, c=550 → two-sided p ≈ 0.00179 (normal approx 0.0016)
    const p = mcnemarExact(450, 550);
    expect(p).toBeGreaterThan(0.001);
    expect(p).toBeLessThan(0.003);
  });
});

describe("Holm adjustment", () => {
  it("matches a worked example", () => {
    // sorted 0.005, 0.01, 0.03, 0.04 → ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 → monotone 0.02, 0.03, 0.06, 0.06
    const adj = holm([0.01, 0.04, 0.03, 0.005]);
    expect(adj.map((x) => Number(x!.toFixed(10)))).toEqual([0.03, 0.06, 0.06, 0.02]);
  });
  it("caps at 1 and leaves missing tests out of the family", () => {
    expect(holm([0.6, null, 0.2])).toEqual([0.6, null, 0.4]);
    expect(holm([0.9, 0.8])).toEqual([1, 1]);
  });
});

describe("normalized gain", () => {
  it("is the share of the baseline's headroom recovered", () => {
    expect(normalizedGain(0.6, 0.2)).toBeCloseTo(0.5, 12);
    expect(normalizedGain(0.1, 0.2)).toBeCloseTo(-0.125, 12);
    expect(normalizedGain(1, 1)).toBeNull();
  });
});
