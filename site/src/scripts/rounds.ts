/**
 * Score-by-round line plot on the run page, drawn from the numbers already in the rounds table
 * (its text alternative): one line per (agent, base condition) series, macro pass rate by round,
 * with the agent's no-skill rate as a dashed reference when the run has one. Nothing is computed.
 */
import { Chart, palette } from "./chart-setup.ts";

// Okabe–Ito hues beyond the palette's pass/fail, so several series stay distinguishable
const EXTRA = ["#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#d55e00", "#f0e442"];

export function initRoundsChart(): void {
  const canvas = document.querySelector<HTMLCanvasElement>("#rounds");
  const rows = [...document.querySelectorAll<HTMLTableRowElement>("#rounds-table tbody tr[data-series]")].filter((r) => r.dataset.est !== "");
  if (!canvas || rows.length === 0) return;
  document.querySelector<HTMLElement>("#rounds-figure")!.hidden = false;
  const c = palette();
  const colours = [c.pass, c.fail, ...EXTRA];
  const series = new Map<string, { label: string; baseline: string; points: { x: number; y: number; lo: number; hi: number }[] }>();
  for (const r of rows) {
    const key = r.dataset.series!;
    const s = series.get(key) ?? { label: r.dataset.label ?? key, baseline: r.dataset.baseline ?? "", points: [] };
    s.points.push({ x: Number(r.dataset.round), y: Number(r.dataset.est) * 100, lo: Number(r.dataset.lo) * 100, hi: Number(r.dataset.hi) * 100 });
    series.set(key, s);
  }
  const all = [...series.values()];
  const xs = all.flatMap((s) => s.points.map((p) => p.x));
  const datasets = all.flatMap((s, i) => {
    const colour = colours[i % colours.length]!;
    const line = { type: "line", label: s.label, data: s.points, borderColor: colour, backgroundColor: colour, pointRadius: 4, borderWidth: 2 };
    if (s.baseline === "") return [line];
    const b = Number(s.baseline) * 100;
    return [line, { type: "line", label: `${s.label}: no-skill`, data: [{ x: Math.min(...xs), y: b }, { x: Math.max(...xs), y: b }], borderColor: colour, borderDash: [5, 4], borderWidth: 1, pointRadius: 0 }];
  });
  new Chart(canvas, {
    type: "line",
    data: { datasets: datasets as never },
    options: {
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      scales: {
        x: { type: "linear", ticks: { stepSize: 1, color: c.fg }, grid: { color: c.line }, title: { display: true, text: "round", color: c.fg } },
        y: { min: 0, max: 100, ticks: { color: c.fg }, grid: { color: c.line }, title: { display: true, text: "pass rate (%)", color: c.fg } },
      },
      plugins: {
        legend: { labels: { color: c.fg } },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const p = ctx.raw as { x: number; y: number; lo?: number; hi?: number };
              return p.lo === undefined ? `${ctx.dataset.label}: ${p.y.toFixed(1)}%` : `${ctx.dataset.label}, round ${p.x}: ${p.y.toFixed(1)}% [${p.lo.toFixed(1)}, ${p.hi!.toFixed(1)}]`;
            },
          },
        },
      },
    },
  });
}
