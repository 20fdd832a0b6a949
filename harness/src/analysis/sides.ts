/**
 * Names shared by run.toml, run.json and the analysis for issue 11: contrast sides that pin an
 * agent config (`"<agent id>/<condition>"`) and per-round conditions (`<condition>@r<N>`).
 * Pure string functions, so run/config.ts can validate with exactly the rules the analysis uses.
 */

/** A contrast side: a condition, optionally pinned to one agent config. */
export interface ContrastSide {
  /** null: the same agent on both sides, one row per agent (the pre-issue-11 meaning) */
  agent: string | null;
  condition: string;
}

/** Splits `"<agent>/<condition>"`; a side without `/` is a plain condition. Agent ids and conditions never contain `/`. */
export function parseContrastSide(side: string): ContrastSide {
  const i = side.indexOf("/");
  return i < 0 ? { agent: null, condition: side } : { agent: side.slice(0, i), condition: side.slice(i + 1) };
}

/** The side as written in run.toml. */
export const formatContrastSide = (s: ContrastSide): string => (s.agent === null ? s.condition : `${s.agent}/${s.condition}`);

const ROUND = /^(.+)@r([1-9]\d*)$/;

/** `X@r3` → `{ base: "X", round: 3 }`; null for a condition that is not a per-round one. */
export function parseRoundCondition(condition: string): { base: string; round: number } | null {
  const m = ROUND.exec(condition);
  return m ? { base: m[1]!, round: Number(m[2]) } : null;
}

/**
 * Score-by-round series derivable from condition names alone (interface item 1): for each base X
 * with at least one `X@rN`, the rounds in order; X itself, when present, is the final round
 * (max N) + 1. Bases are sorted by name.
 */
export function roundSeries(conditions: readonly string[]): { base: string; points: { round: number; condition: string }[] }[] {
  const byBase = new Map<string, { round: number; condition: string }[]>();
  for (const c of conditions) {
    const r = parseRoundCondition(c);
    if (!r) continue;
    const list = byBase.get(r.base) ?? [];
    list.push({ round: r.round, condition: c });
    byBase.set(r.base, list);
  }
  return [...byBase.keys()].sort().map((base) => {
    const points = byBase.get(base)!.sort((a, b) => a.round - b.round);
    if (conditions.includes(base)) points.push({ round: points[points.length - 1]!.round + 1, condition: base });
    return { base, points };
  });
}
