/**
 * Compare page charts, drawn from the numbers already in the page's tables (the text
 * alternative): the per-task scatter with its diagonal, and per-family delta bars with CIs.
 */
import { Chart, palette } from "./chart-setup.ts";

export function initCompareCharts(): void {
  const c = palette();
  const scatter = document.querySelector<HTMLCanvasElement>("#scatter");
  const rows = [...document.querySelectorAll<HTMLTableRowElement>("#grid tbody tr[data-task]")].filter((r) => r.dataset.ra !== "" && r.dataset.rb !== "");
  if (scatter && rows.length > 0) {
    document.querySelector<HTMLElement>("#scatter-figure")!.hidden = false;
    const pts = rows.map((r) => ({ x: Number(r.dataset.rb) * 100, y: Number(r.dataset.ra) * 100, task: r.dataset.task ?? "" }));
    new Chart(scatter, {
      type: "scatter",
      data: {
        datasets: [
          { label: "tasks", data: pts, backgroundColor: c.pass + "aa", borderColor: c.pass, pointRadius: 4 },
          { type: "line", label: "A = B", data: [{ x: 0, y: 0 }, { x: 100, y: 100 }], borderColor: c.muted, borderDash: [4, 4], pointRadius: 0, borderWidth: 1 } as never,
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { min: 0, max: 100, title: { display: true, text: "B pass rate (%)", color: c.fg }, ticks: { color: c.fg }, grid: { color: c.line } },
          y: { min: 0, max: 100, title: { display: true, text: "A pass rate (%)", color: c.fg }, ticks: { color: c.fg }, grid: { color: c.line } },
        },
        plugins: {
          legend: { labels: { color: c.fg } },
          tooltip: { callbacks: { label: (ctx) => { const p = pts[ctx.dataIndex]; return p ? `${p.task}: A ${p.y.toFixed(0)}%, B ${p.x.toFixed(0)}%` : ""; } } },
        },
      },
    });
  }
  const family = document.querySelector<HTMLCanvasElement>("#family");
  const frows = [...document.querySelectorAll<HTMLTableRowElement>("#family-table tbody tr")].filter((r) => r.dataset.delta !== "");
  if (family && frows.length > 0) {
    document.querySelector<HTMLElement>("#family-figure")!.hidden = false;
    const d = frows.map((r) => ({ g: r.dataset.group ?? "", est: Number(r.dataset.delta) * 100, lo: Number(r.dataset.lo) * 100, hi: Number(r.dataset.hi) * 100 }));
    new Chart(family, {
      type: "bar",
      data: {
        labels: d.map((x) => x.g),
        datasets: [
          { type: "bar", label: "Δ (pp)", data: d.map((x) => x.est), backgroundColor: d.map((x) => (x.est >= 0 ? c.pass : c.fail)) },
          { type: "bar", label: "95% CI", data: d.map((x) => [x.lo, x.hi]), backgroundColor: c.fg, barThickness: 3, grouped: false } as never,
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { ticks: { color: c.fg }, grid: { color: c.line }, title: { display: true, text: "Δ pass rate (pp)", color: c.fg } }, y: { ticks: { color: c.fg } } },
        plugins: { legend: { labels: { color: c.fg } } },
      },
    });
  }
}
