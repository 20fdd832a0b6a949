/**
 * Reader-picked pairs (`/compare/<run>/?a=<method>&b=<method>`). Declared pairs redirect to
 * their pre-rendered page. Other pairs are shown descriptively, per task, from the rates the
 * summary already holds (tasks[].cells, or by_condition for pooled rows): no delta, CI or
 * p-value is invented here. All text goes through textContent.
 */
interface Method { slug: string; id: string; agent: string; condition: string; label: string }
interface Config { run: string; summaryUrl: string; declared: Record<string, string>; methods: Method[] }
interface TaskRow { task: string; family: string; by_condition: Record<string, number | null>; cells: { agent: string; condition: string; rate: number | null; scored: number; passed: number }[] }

export async function initPairView(): Promise<void> {
  const cfgEl = document.querySelector("#compare-config");
  const out = document.querySelector<HTMLElement>("#pair-view");
  if (!cfgEl || !out) return;
  const cfg = JSON.parse(cfgEl.textContent ?? "{}") as Config;
  const p = new URLSearchParams(location.search);
  const a = cfg.methods.find((m) => m.slug === p.get("a"));
  const b = cfg.methods.find((m) => m.slug === p.get("b"));
  if (!a || !b) return;
  // the static picker starts at its first options; show the pair being viewed instead
  for (const [name, m] of [["a", a], ["b", b]] as const) {
    const sel = document.querySelector<HTMLSelectElement>(`select[name="${name}"]`);
    if (sel) sel.value = m.slug;
  }
  const declared = cfg.declared[`${a.slug}--${b.slug}`];
  if (declared) {
    location.replace(declared);
    return;
  }
  const el = (tag: string, text?: string, cls?: string) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  out.replaceChildren(el("h2", `${a.label} vs ${b.label}`));
  const reverse = cfg.declared[`${b.slug}--${a.slug}`];
  const note = el("p", "The analysis declared no contrast for this pair, so there is no paired delta, interval or p-value. Below are the per-task rates summary.json reports for each method, side by side. ", "note");
  if (reverse) {
    const link = el("a", "The reverse pair is declared: open it.") as HTMLAnchorElement;
    link.href = reverse;
    note.append(link);
  } else {
    note.append(el("span", "To get paired statistics, declare the contrast in the run config and re-run `skilldelta analyse`."));
  }
  out.append(note);
  let tasks: TaskRow[];
  try {
    const res = await fetch(cfg.summaryUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    tasks = ((await res.json()) as { tasks: TaskRow[] }).tasks;
  } catch (error) {
    out.append(el("p", `Could not load summary.json: ${(error as Error).message}`, "note warn"));
    return;
  }
  const rate = (t: TaskRow, m: Method): { r: number | null; text: string } => {
    if (m.agent === "*") {
      const r = t.by_condition[m.condition] ?? null;
      return { r, text: r === null ? "—" : `${(r * 100).toFixed(0)}%` };
    }
    const cell = t.cells.find((c) => c.agent === m.agent && c.condition === m.condition);
    return cell ? { r: cell.rate, text: cell.rate === null ? "—" : `${(cell.rate * 100).toFixed(0)}% (${cell.passed}/${cell.scored})` } : { r: null, text: "not run" };
  };
  const wrap = el("div", undefined, "table-wrap");
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", "Per-task rates of the two methods");
  const table = el("table") as HTMLTableElement;
  const head = el("tr");
  for (const h of ["Task", "Family", `A: ${a.label}`, `B: ${b.label}`]) {
    const th = el("th", h);
    th.setAttribute("scope", "col");
    head.append(th);
  }
  table.append(el("thead"), el("tbody"));
  table.tHead!.append(head);
  for (const t of tasks) {
    const tr = el("tr");
    tr.append(el("td", t.task), el("td", t.family), el("td", rate(t, a).text), el("td", rate(t, b).text));
    table.tBodies[0]!.append(tr);
  }
  wrap.append(table);
  out.append(wrap);
}
