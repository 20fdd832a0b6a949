/**
 * Leaderboard enhancements: sortable headers, filters, and a forest plot, with the view state
 * in the URL (`?sort=delta&dir=desc&condition=curated`) so a view can be shared. All numbers
 * come from the rows' data attributes, which the build wrote from summary.json.
 */
import { drawForest } from "./forest.ts";

const FILTERS = ["model", "condition", "family", "attestation"] as const;
type Dir = "asc" | "desc";

export function initLeaderboard(): void {
  const table = document.querySelector<HTMLTableElement>("#leaderboard");
  const form = document.querySelector<HTMLFormElement>("#filters");
  if (!table || !form) return;
  const tbody = table.tBodies[0]!;
  const rows = [...tbody.rows];
  const original = new Map(rows.map((r, i) => [r, i]));
  const headers = [...table.tHead!.rows[0]!.cells] as HTMLTableCellElement[];
  form.hidden = false;

  // Headers become buttons only when sorting works (no dead controls without JS).
  for (const th of headers) {
    const label = th.textContent ?? "";
    th.textContent = "";
    const b = document.createElement("button");
    b.type = "button";
    b.className = "sort";
    b.textContent = label;
    b.addEventListener("click", () => {
      const col = th.dataset.col!;
      const state = read();
      const dir: Dir = state.sort === col && state.dir === "desc" ? "asc" : state.sort === col ? "desc" : col === "method" || col === "run" || col === "attestation" ? "asc" : "desc";
      write({ ...state, sort: col, dir });
    });
    th.append(b);
  }
  for (const name of FILTERS) (form.elements.namedItem(name) as HTMLSelectElement | null)?.addEventListener("change", () => write({ ...read(), ...fromForm() }));
  form.addEventListener("reset", (e) => {
    e.preventDefault();
    write({ sort: read().sort, dir: read().dir });
  });
  window.addEventListener("popstate", () => apply(read()));

  function fromForm(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of FILTERS) out[name] = (form!.elements.namedItem(name) as HTMLSelectElement).value;
    return out;
  }
  function read(): Record<string, string> {
    const p = new URLSearchParams(location.search);
    return Object.fromEntries([...p.entries()]);
  }
  function write(state: Record<string, string | undefined>): void {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(state)) if (v) p.set(k, v);
    const q = p.toString();
    history.replaceState(null, "", q ? `?${q}` : location.pathname);
    apply(read());
  }

  function apply(state: Record<string, string>): void {
    for (const name of FILTERS) {
      const sel = form!.elements.namedItem(name) as HTMLSelectElement;
      // an unknown value in a shared URL is ignored rather than hiding every row
      sel.value = [...sel.options].some((o) => o.value === state[name]) ? state[name]! : "";
    }
    const f = fromForm();
    let shown = 0;
    for (const r of rows) {
      const fam = JSON.parse(r.dataset.families ?? "[]") as string[];
      const ok = (!f.model || r.dataset.model === f.model) && (!f.condition || r.dataset.condition === f.condition)
        && (!f.family || fam.includes(f.family)) && (!f.attestation || r.dataset.attestation === f.attestation);
      r.hidden = !ok;
      if (ok) shown++;
    }
    const col = headers.some((h) => h.dataset.col === state.sort) ? state.sort! : null;
    const dir: Dir = state.dir === "asc" ? "asc" : "desc";
    const sorted = col ? [...rows].sort((a, b) => compare(a, b, col, dir)) : [...rows].sort((a, b) => original.get(a)! - original.get(b)!);
    tbody.append(...sorted);
    for (const th of headers) {
      if (col) th.setAttribute("aria-sort", th.dataset.col === col ? (dir === "asc" ? "ascending" : "descending") : "none");
      else th.setAttribute("aria-sort", th.dataset.col === "pass" ? "descending" : "none");
    }
    document.querySelector("#count")!.textContent = `${shown} of ${rows.length} methods`;
    drawForest(sorted.filter((r) => !r.hidden));
  }
  apply(read());
}

/** Numbers sort numerically, text by locale; empty values (no delta, no cost) always go last. */
function compare(a: HTMLTableRowElement, b: HTMLTableRowElement, col: string, dir: Dir): number {
  const x = a.dataset[`k${col[0]!.toUpperCase()}${col.slice(1)}`] ?? "";
  const y = b.dataset[`k${col[0]!.toUpperCase()}${col.slice(1)}`] ?? "";
  if (x === "" || y === "") return x === y ? 0 : x === "" ? 1 : -1;
  const nx = Number(x), ny = Number(y);
  const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
  return dir === "asc" ? c : -c;
}
