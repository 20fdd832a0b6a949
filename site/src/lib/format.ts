/** Display formatting only: no statistic is computed here, values come from summary.json. */

export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(digits)}%`);

/** Signed percentage points for deltas. */
export const pp = (x: number | null | undefined, digits = 1): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const v = (x * 100).toFixed(digits);
  return `${x > 0 ? "+" : ""}${v} pp`;
};

export const ci = (i: { lo: number; hi: number } | null | undefined, f: (x: number) => string = (x) => (x * 100).toFixed(1)): string =>
  i ? `[${f(i.lo)}, ${f(i.hi)}]` : "";

/** Skill-attributable context tokens (an estimate, whole tokens). */
export const tokens = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : Math.round(x).toLocaleString("en-US"));

export const num = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits));

export const int = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : x.toLocaleString("en-US"));

export const pval = (p: number | null | undefined): string => {
  if (p === null || p === undefined) return "—";
  if (p < 0.001) return "< 0.001";
  return p.toFixed(3);
};

export const usd = (x: number | null | undefined): string => (x === null || x === undefined ? "—" : x < 1 ? `$${x.toFixed(3)}` : `$${x.toFixed(2)}`);

export const secs = (x: number | null | undefined): string => {
  if (x === null || x === undefined) return "—";
  if (x < 120) return `${x.toFixed(0)} s`;
  if (x < 7200) return `${(x / 60).toFixed(1)} min`;
  return `${(x / 3600).toFixed(1)} h`;
};

/** Site-internal link honouring Astro's `base` (deploys under a sub-path). */
export function href(path: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/$/, "");
  return `${base}${path.startsWith("/") ? path : `/${path}`}`;
}

/** JSON safe to embed inside <script type="application/json"> (no `</script>` breakout). */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
