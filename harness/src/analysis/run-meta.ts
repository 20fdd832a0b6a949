import { z } from "zod";

/**
 * The parts of run.json the analysis relies on, parsed defensively: run.json belongs to the
 * run module, so unknown fields are ignored and a missing or malformed optional field is
 * treated as absent (and reported in `problems`) instead of failing the analysis.
 */
export interface RunMeta {
  id: string;
  created_at: string | null;
  source: string | null;
  attestation: string | null;
  conditions: string[] | null;
  contrasts: [string, string][] | null;
  agents: AgentMeta[];
  prices: Record<string, Price>;
  learning_cost: Record<string, LearningCost>;
  /** false when run.json says the source cannot tell whether skills were loaded (imports) */
  skill_use_measured: boolean;
  /** run.json `library_meta` (issue 11): who built each condition's library, which round of which base; absent in older runs */
  library_meta?: Record<string, LibraryMeta>;
  /** fields that were present but unreadable; shown as notes in the summary */
  problems: string[];
}

/** An agent config as run.json declares it. */
export interface AgentMeta {
  id: string;
  kind: string | null;
  model: string | null;
  label: string | null;
}

/** One condition's library provenance (run.json `library_meta[condition]`). */
export interface LibraryMeta {
  /** agent id that ran the acquisition phase for this library */
  built_with?: string;
  /** round number of a per-round library (`X@rN`) */
  round?: number;
  /** base condition of a per-round library */
  of?: string;
  method?: string;
}

/** Dollars per million tokens, keyed by model name (or agent id) in `config.prices` (`{input, output, cached_input}`). */
export interface Price {
  prompt: number;
  completion: number;
  cached: number;
}

/** A learned condition's acquisition cost (run.json `learning_cost`). */
export interface LearningCost {
  tokens: number | null;
  usd: number | null;
  seconds: number | null;
}

const str = z.string();
const agentSchema = z.looseObject({ id: str, kind: str.optional(), model: str.optional(), label: str.optional(), name: str.optional() });
const num = z.number().finite().min(0);
const priceSchema = z.looseObject({
  prompt: num.optional(), input: num.optional(), prompt_per_mtok: num.optional(), input_per_mtok: num.optional(),
  completion: num.optional(), output: num.optional(), completion_per_mtok: num.optional(), output_per_mtok: num.optional(),
  cached: num.optional(), cached_input: num.optional(), cached_per_mtok: num.optional(),
});
const libraryMetaSchema = z.looseObject({ built_with: str.optional(), round: z.number().int().min(0).optional(), of: str.optional(), method: str.optional() });
const learningSchema = z.looseObject({ tokens: num.optional(), usd: num.optional(), seconds: num.optional() });

/** Reads the fields above from a parsed run.json value; `fallbackId` names the run when `id` is absent. */
export function readRunMeta(raw: unknown, fallbackId: string): RunMeta {
  const problems: string[] = [];
  const obj = isRecord(raw) ? raw : {};
  const config = isRecord(obj.config) ? obj.config : {};
  const pick = <T>(schema: z.ZodType<T>, value: unknown, field: string): T | null => {
    if (value === undefined || value === null) return null;
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    problems.push(`run.json: ${field} is malformed and was ignored`);
    return null;
  };
  const agents = (pick(z.array(agentSchema), config.agents, "config.agents") ?? []).map((a) => ({
    id: a.id, kind: a.kind ?? null, model: a.model ?? null, label: a.label ?? a.name ?? null,
  }));
  const prices: Record<string, Price> = {};
  for (const [k, v] of Object.entries(pick(z.record(str, priceSchema), config.prices, "config.prices") ?? {})) {
    prices[k] = {
      prompt: v.prompt ?? v.input ?? v.prompt_per_mtok ?? v.input_per_mtok ?? 0,
      completion: v.completion ?? v.output ?? v.completion_per_mtok ?? v.output_per_mtok ?? 0,
      cached: v.cached ?? v.cached_input ?? v.cached_per_mtok ?? v.prompt ?? v.input ?? v.prompt_per_mtok ?? v.input_per_mtok ?? 0,
    };
  }
  const learning_cost: Record<string, LearningCost> = {};
  for (const [k, v] of Object.entries(pick(z.record(str, learningSchema), obj.learning_cost, "learning_cost") ?? {})) {
    learning_cost[k] = { tokens: v.tokens ?? null, usd: v.usd ?? null, seconds: v.seconds ?? null };
  }
  return {
    id: pick(str, obj.id, "id") ?? fallbackId,
    created_at: pick(str, obj.created_at, "created_at"),
    source: pick(str, obj.source, "source"),
    attestation: readAttestation(obj.attestation),
    conditions: pick(z.array(str), config.conditions, "config.conditions"),
    contrasts: pick(z.array(z.tuple([str, str])), config.contrasts, "config.contrasts"),
    agents,
    prices,
    learning_cost,
    skill_use_measured: config.skill_use_measured !== false,
    library_meta: Object.fromEntries(Object.entries(pick(z.record(str, libraryMetaSchema), obj.library_meta, "library_meta") ?? {}).map(([k, v]) => [k, {
      ...(v.built_with !== undefined ? { built_with: v.built_with } : {}), ...(v.round !== undefined ? { round: v.round } : {}),
      ...(v.of !== undefined ? { of: v.of } : {}), ...(v.method !== undefined ? { method: v.method } : {}),
    }])),
    problems,
  };
}

/** run.json may hold the attestation as a word or as an object with a `level`/`kind`. */
function readAttestation(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (isRecord(v)) for (const f of ["level", "kind", "status"]) if (typeof v[f] === "string") return v[f] as string;
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
