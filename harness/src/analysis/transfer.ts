import type { CellIndex } from "./cells.ts";
import { agentLabel, type StatOptions } from "./common.ts";
import { contrastRow } from "./contrasts.ts";
import type { RunMeta } from "./run-meta.ts";
import type { ContrastRow, TransferRow } from "./summary-schema.ts";

type Comparison = NonNullable<TransferRow["vs_no_skill"]>;

/**
 * Transfer rows (issue 11, SkillX): for each final library (run.json `library_meta` without
 * `of`) built with agent A and evaluated with an agent B ≠ A, B-with-A's-library is matched
 * against B with no skills and against B with its own library (the condition of the same
 * `method` built with B), with the statistics of an ordinary contrast (same seeds, so a pair
 * that is also a declared contrast gets identical numbers). `p_holm` is adjusted over all
 * transfer comparisons. When several conditions of the same `method` were built with B, "its own
 * library" is ambiguous: none is chosen and a note says so. Empty without `library_meta`. Pure
 * apart from appending to `notes`.
 */
export function transferRows(idx: CellIndex, meta: RunMeta, opts: StatOptions, holmFn: (ps: (number | null)[]) => (number | null)[], notes: string[] = []): TransferRow[] {
  const lm = meta.library_meta ?? {};
  const rows: TransferRow[] = [];
  for (const condition of idx.conditions) {
    const m = lm[condition];
    if (!m?.built_with || m.of !== undefined) continue;
    const method = m.method ?? null;
    for (const b of idx.agents) {
      if (b === m.built_with || !idx.tasks.some((t) => (idx.get(b, condition, t)?.counts.scored ?? 0) > 0)) continue;
      const owns = method === null ? []
        : idx.conditions.filter((c) => c !== condition && lm[c]?.method === method && lm[c]?.built_with === b && lm[c]?.of === undefined);
      if (owns.length > 1) notes.push(`transfer: ${owns.join(", ")} are all method ${method} built with ${b}; ${condition} on ${b} is not compared with an own library`);
      const own = owns.length === 1 ? owns[0] : undefined;
      rows.push({
        condition, method, built_with: m.built_with, evaluated_with: b, evaluated_label: agentLabel(meta, b),
        vs_no_skill: idx.conditions.includes("no-skill") && condition !== "no-skill" ? compact(contrastRow(idx, meta, condition, "no-skill", b, opts)) : null,
        own_condition: own ?? null,
        vs_own: own ? compact(contrastRow(idx, meta, condition, own, b, opts)) : null,
      });
    }
  }
  const ps = rows.flatMap((r) => [r.vs_no_skill?.sign_flip?.p ?? null, r.vs_own?.sign_flip?.p ?? null]);
  const adj = holmFn(ps);
  return rows.map((r, i) => ({
    ...r,
    vs_no_skill: r.vs_no_skill && { ...r.vs_no_skill, p_holm: adj[2 * i] ?? null },
    vs_own: r.vs_own && { ...r.vs_own, p_holm: adj[2 * i + 1] ?? null },
  }));
}

function compact(c: ContrastRow): Comparison {
  return {
    id: c.id, a: c.a, b: c.b, tasks: c.tasks, pairs: c.pairs, rate_a: c.rate_a, rate_b: c.rate_b, delta: c.delta, g: c.g,
    sign_flip: c.sign_flip, p_holm: null, win: c.win, tie: c.tie, loss: c.loss,
    unmatched: { a_only: c.unmatched.a_only, b_only: c.unmatched.b_only },
  };
}
