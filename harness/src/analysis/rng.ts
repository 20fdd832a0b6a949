import { createHash } from "node:crypto";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * A seeded source of uniforms. Every statistic that draws random numbers takes one of these
 * (or a seed to make one), so the same seed always gives the same numbers, bit for bit.
 */
export interface Rng {
  /** uniform in [0, 1) with 32 bits of resolution: plenty for resampling indices and alias tables */
  float(): number;
  /** 32 fair random bits as an unsigned integer */
  bits32(): number;
  /** uniform integer in [0, n) */
  int(n: number): number;
}

const TWO_POW_32 = 4294967296;

/**
 * Makes a seeded generator (xoroshiro128+ from pure-rand). `stream` names an independent
 * stream: each statistic row draws from `makeRng(seed, rowId)`, so its numbers do not depend on
 * which other rows were computed before it.
 */
export function makeRng(seed: number, stream = ""): Rng {
  const digest = createHash("sha256").update(`${seed}\0${stream}`).digest();
  const gen = xoroshiro128plus(digest.readInt32LE(0));
  const bits32 = (): number => gen.next() >>> 0;
  const float = (): number => (gen.next() >>> 0) / TWO_POW_32;
  return { bits32, float, int: (n: number) => Math.floor(float() * n) };
}
