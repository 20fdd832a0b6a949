/**
 * Forest plot of Δ vs no-skill: one horizontal interval (floating bar lo..hi) and a point per
 * method, in table order. Rows without a delta (baselines) are left out of the plot.
 */
import { Chart, palette } from "./chart-setup.ts";

let chart: Chart | undefined;

export function drawForest(rows: HTMLTableRowElement[]): void {
  const fig = document.querySelector<HTMLElement>("#forest-figure");
  const canvas = document.querySelector<HTMLCanvasElement>("#forest");
  const box = document.querySelector<HTMLElement>("#forest-box");
  if (!fig || !canvas || !box) return;
  const data = rows.filter((r) => r.dataset.kDelta).map((r) => ({
    label: r.dataset.label ?? "", est: Number(r.dataset.kDelta) * 100, lo: Number(r.dataset.lo) * 100, hi: Number(r.dataset.hi) * 100,
  }));
  fig.hidden = data.length === 0;
  chart?.destroy();
  chart = undefined;
  if (data.length === 0) return;
  box.style.height = `${Math.max(160, data.length * 22 + 70)}px`;
  const c = palette();
  const colour = (d: { lo: number; hi: number }) => (d.lo > 0 ? c.pass : d.hi < 0 ? c.fail : c.neutral);
  chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.map((d) => d.label),
      datasets: [
        { type: "bar", label: "95% CI", data: data.map((d) => [d.lo, d.hi]), backgroundColor: data.map(colour), barThickness: 4 } as never,
        { type: "line", label: "Δ estimate", data: data.map((d) => d.est), showLine: false, pointRadius: 4, pointStyle: "rectRot", backgroundColor: c.fg, borderColor: c.fg, indexAxis: "y" } as never,
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { title: { display: true, text: "Δ pass rate vs no-skill (pp)", color: c.fg }, ticks: { color: c.fg }, grid: { color: (ctx) => (ctx.tick.value === 0 ? c.fg : c.line) } },
        y: { ticks: { color: c.fg, autoSkip: false }, grid: { display: false } },
      },
      plugins: {
        legend: { labels: { color: c.fg } },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const d = data[ctx.dataIndex]!;
              return `Δ ${d.est.toFixed(1)} pp [${d.lo.toFixed(1)}, ${d.hi.toFixed(1)}]`;
            },
          },
        },
      },
    },
  });
}
