import type { ContrastRow, Summary } from "./summary-schema.ts";

/** Percent with one decimal; "—" for missing. */
export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}`);
const signedPct = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}`);
const tok = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : x.toFixed(0));
const pfmt = (p: number | null | undefined): string => (p === null || p === undefined ? "—" : p < 0.001 ? "<0.001" : p.toFixed(3));

function grid(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * Readable terminal report of a summary: per-row pass rates with CIs, contrasts with deltas
 * and p-values, and denominators. `maxAgents` limits the rows per condition (pooled row kept).
 */
export function formatReport(s: Summary, opts: { maxRows?: number } = {}): string {
  const out: string[] = [];
  const r = s.run;
  out.push(`run ${r.id}  source ${r.source ?? "?"}  attestation ${r.attestation ?? "?"}  granularity ${r.granularity}`);
  out.push(`${r.tasks} tasks · ${r.agents.length} agent config(s) · conditions ${r.conditions.join(", ")} · seed ${s.method.seed}, ${s.method.bootstrap_resamples} bootstrap resamples`);
  out.push("");
  out.push("Pass rates (%): macro = mean over tasks of per-task rate, 95% CI; micro = passed/scored");
  const methods = opts.maxRows ? [...s.methods.filter((m) => m.pooled), ...s.methods.filter((m) => !m.pooled).slice(0, opts.maxRows)] : s.methods;
  // issue-11 columns only when some row has them, so older runs read as before
  const withTokens = methods.some((m) => m.skill_tokens);
  const withChance = methods.some((m) => m.chance);
  out.push(grid(
    ["agent", "condition", "macro", "95% CI", ...(withChance ? ["chance"] : []), "micro", "pass@k (max k)", ...(withTokens ? ["skill tok/trial", "skill tok/step"] : []), "tasks", "scored", "timeout", "agent err", "excluded", "missing"],
    methods.map((m) => {
      const last = m.pass_at_k[m.pass_at_k.length - 1];
      const extra = (before: string[], after: string[]) => [...before, ...(withChance ? [m.chance ? `${pct(m.chance.mean)}` : "—"] : []), ...after];
      return [
        ...extra([m.agent_label, m.condition, pct(m.macro?.estimate), m.macro ? `[${pct(m.macro.lo)}, ${pct(m.macro.hi)}]` : "—"], [pct(m.micro),
          last ? `${pct(last.pass_at_k)} (k=${last.k})` : "—"]),
        ...(withTokens ? [tok(m.skill_tokens?.per_trial), tok(m.skill_tokens?.per_step)] : []),
        String(m.tasks), String(m.denominators.scored),
        String(m.denominators.agent_timeout), String(m.denominators.agent_error), String(m.denominators.excluded),
        `${m.denominators.missing_cells} cells${m.denominators.missing_trials ? `, ${m.denominators.missing_trials} trials` : ""}`,
      ];
    }),
  ));
  if (withTokens) out.push("skill tok = skill-attributable context tokens (listings, loaded skill content, skill tool definitions; chars/4 estimate), mean per scored trial and per model call");
  if (withChance) out.push("chance = mean over the row's tasks that declare one of the verifier's chance baseline (e.g. 20% for five choices)");
  if (s.contrasts.length) {
    out.push("");
    out.push("Matched contrasts (points): delta = mean per-task (A − B), 95% CI; p = sign-flip (Holm-adjusted across all rows)");
    const contrasts: ContrastRow[] = opts.maxRows ? [...s.contrasts.filter((c) => c.pooled), ...s.contrasts.filter((c) => !c.pooled).slice(0, opts.maxRows)] : s.contrasts;
    out.push(grid(
      ["agent", "A vs B", "A", "B", "delta", "95% CI", "g", "p", "p Holm", "W/T/L", "tasks", "unmatched"],
      contrasts.map((c) => [
        c.agent_label, `${c.a} vs ${c.b}`, pct(c.rate_a), pct(c.rate_b), signedPct(c.delta?.estimate),
        c.delta ? `[${signedPct(c.delta.lo)}, ${signedPct(c.delta.hi)}]` : "—", c.g === null ? "—" : c.g.toFixed(2),
        `${pfmt(c.sign_flip?.p)}${c.sign_flip?.method === "monte-carlo" ? "*" : ""}`, pfmt(c.p_holm), `${c.win}/${c.tie}/${c.loss}`, String(c.tasks),
        String(c.unmatched.a_only + c.unmatched.b_only),
      ]),
    ));
    if (s.contrasts.some((c) => c.sign_flip?.method === "monte-carlo")) out.push(`* Monte-Carlo p (${s.method.permutation_draws} seeded draws; exact enumeration up to ${s.method.permutation_exact_max} non-zero task deltas)`);
  }
  out.push(...roundsAndTransfer(s));
  const d = s.denominators;
  out.push("");
  out.push(`Denominators (all agent rows): ${d.trials} final trials, ${d.scored} scored (${d.passed} passed, ${d.failed} failed, ${d.agent_timeout} agent timeouts, ${d.agent_error} agent errors), ${d.excluded} excluded (${d.verifier_error} verifier, ${d.infra_error} infra), ${d.missing_cells} missing cells${d.missing_trials === null ? "" : `, ${d.missing_trials} missing trials`}`);
  if (r.journal.torn_lines) out.push(`journal: ${r.journal.torn_lines} torn last line ignored`);
  for (const n of s.notes) out.push(`note: ${n}`);
  return out.join("\n");
}

/** Score by round and transfer rows (summary 1.1); nothing when the summary has neither. */
function roundsAndTransfer(s: Summary): string[] {
  const out: string[] = [];
  if (s.rounds?.length) {
    out.push("");
    out.push("Score by round (%): macro on the trials matched across every round of the series, 95% CI");
    out.push(grid(
      ["agent", "base", "round", "condition", "macro", "95% CI", "tasks", "matched", "scored"],
      s.rounds.flatMap((r) => r.points.map((p) => [
        r.agent_label, r.base, String(p.round), p.condition, pct(p.macro?.estimate), p.macro ? `[${pct(p.macro.lo)}, ${pct(p.macro.hi)}]` : "—",
        String(p.tasks), p.matched_trials === null ? "—" : String(p.matched_trials), String(p.scored),
      ])),
    ));
  }
  if (s.transfer?.length) {
    out.push("");
    out.push("Transfer (points): library built with one agent config, evaluated with another; p Holm over the transfer comparisons");
    const cmp = (c: NonNullable<Summary["transfer"]>[number]["vs_no_skill"]) =>
      c ? [`${signedPct(c.delta?.estimate)} ${c.delta ? `[${signedPct(c.delta.lo)}, ${signedPct(c.delta.hi)}]` : ""}`.trim(), pfmt(c.p_holm)] : ["—", "—"];
    out.push(grid(
      ["library", "built with", "evaluated with", "rate", "vs no-skill", "p Holm", "own library", "vs own", "p Holm"],
      s.transfer.map((t) => [
        t.condition, t.built_with, t.evaluated_label, pct(t.vs_no_skill?.rate_a ?? t.vs_own?.rate_a), ...cmp(t.vs_no_skill), t.own_condition ?? "—", ...cmp(t.vs_own),
      ]),
    ));
  }
  return out;
}
