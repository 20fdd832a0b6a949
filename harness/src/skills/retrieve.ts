import MiniSearch from "minisearch";
import type { RawTraceEntry } from "./raw-trace.ts";

/**
 * Top-k retrieval of raw-trace entries for an instruction (DESIGN section 5), by BM25 through
 * MiniSearch. Deterministic: the index is built from entries sorted by name, fuzzy and prefix
 * matching are off, and ties break by name, so the same inputs always retrieve the same entries.
 * When fewer than k entries match any term, the rest are filled in name order: a family's
 * traces are all relevant, lexical overlap only ranks them.
 */
export function retrieveTopK(entries: readonly RawTraceEntry[], instruction: string, k: number): RawTraceEntry[] {
  if (k <= 0 || !entries.length) return [];
  const sorted = [...entries].sort((a, b) => a.name.localeCompare(b.name));
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], storeFields: [] });
  index.addAll(sorted.map((e, id) => ({ id, text: e.text })));
  const hits = index.search(instruction, { combineWith: "OR", fuzzy: false, prefix: false });
  hits.sort((a, b) => b.score - a.score || sorted[a.id as number]!.name.localeCompare(sorted[b.id as number]!.name));
  const picked: RawTraceEntry[] = hits.map((h) => sorted[h.id as number]!);
  for (const e of sorted) if (!picked.includes(e)) picked.push(e);
  return picked.slice(0, k);
}
