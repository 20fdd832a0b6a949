import { resolve } from "node:path";
import { digestTree } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";
import { readableDir, roundCondition, roundsOf, type LearningConfig, type ReadableDir } from "../learner/index.ts";
import type { RunConfig } from "../run/index.ts";
import type { Family } from "../task/index.ts";

/**
 * What the protocol derives from the `[learning]` table besides the libraries themselves: the
 * conditions evaluated (with `<condition>@r<N>` rounds), which agent builds each library, and
 * the digests of what learners read (corpus, knowledge base).
 */

/** `X@r2` → `X`; any other condition → itself. */
export function baseOf(condition: string): string {
  return /^(.*)@r\d+$/.exec(condition)?.[1] ?? condition;
}

/**
 * The evaluation's conditions: the configured ones, each method with `evaluate_rounds` followed
 * by its earlier rounds `X@r1 … X@r{R-1}` (X itself is round R).
 */
export function evaluatedConditions(conditions: readonly string[], learning: LearningConfig): string[] {
  const out: string[] = [];
  for (const c of conditions) {
    out.push(c);
    const m = learning.methods[c];
    if (!m) continue;
    const plan = roundsOf(m);
    if (plan.evaluateRounds) for (let n = 1; n < plan.rounds; n++) out.push(roundCondition(c, n));
  }
  return out;
}

/**
 * The agent that builds each condition's library (`acquisition_agents`, else `acquisition_agent`,
 * else the first agent) and the distinct agents the acquisition phase runs (the default first).
 * @throws InputError naming an unknown agent or a condition that is not configured
 */
export function acquisitionAgentsOf(config: RunConfig, learning: LearningConfig): { agentFor: (condition: string) => string; acquisitionAgents: RunConfig["agents"] } {
  const known = new Map(config.agents.map((a) => [a.id, a]));
  const hint = `use one of: ${config.agents.map((a) => a.id).join(", ")}`;
  const fallback = learning.acquisition_agent ?? config.agents[0]!.id;
  if (!known.has(fallback)) throw new InputError(`acquisition agent \`${fallback}\` is not among [[agents]]`, { field: "learning.acquisition_agent", hint });
  const map = learning.acquisition_agents ?? {};
  for (const [c, id] of Object.entries(map)) {
    if (!config.conditions.includes(c)) throw new InputError(`acquisition agent given for \`${c}\`, which is not in conditions`, { field: `learning.acquisition_agents.${c}`, hint: "name a condition of this run" });
    if (!known.has(id)) throw new InputError(`acquisition agent \`${id}\` is not among [[agents]]`, { field: `learning.acquisition_agents.${c}`, hint });
  }
  const agentFor = (condition: string) => map[baseOf(condition)] ?? fallback;
  const ids = [fallback, ...config.agents.map((a) => a.id).filter((id) => id !== fallback && Object.values(map).includes(id))];
  return { agentFor, acquisitionAgents: ids.map((id) => known.get(id)!) };
}

export interface LearningInputs {
  /** condition → its method's corpus */
  corpus: Map<string, ReadableDir>;
  /** family id → its knowledge base */
  knowledge: Map<string, ReadableDir>;
  /** `corpus:<condition>` / `knowledge:<family>` → content digest */
  digests: Record<string, string>;
}

/**
 * Lists and digests every corpus (resolved against `baseDir`, the run.toml's directory) and
 * every knowledge base of the families in the run.
 * @throws InputError when one is missing or overlaps a path the guard hides
 */
export async function learningInputs(learning: LearningConfig, families: readonly Family[], hidden: readonly string[], baseDir: string): Promise<LearningInputs> {
  const out: LearningInputs = { corpus: new Map(), knowledge: new Map(), digests: {} };
  for (const [c, m] of Object.entries(learning.methods).sort(([a], [b]) => a.localeCompare(b))) {
    const rel = roundsOf(m).corpus;
    if (!rel) continue;
    const dir = await readableDir(resolve(baseDir, rel), hidden, `learning.methods.${c}.corpus`);
    out.corpus.set(c, dir);
    out.digests[`corpus:${c}`] = await digestTree(dir.dir);
  }
  for (const f of families) {
    if (!f.knowledgeDir) continue;
    const dir = await readableDir(f.knowledgeDir, hidden, "knowledge");
    out.knowledge.set(f.id, dir);
    out.digests[`knowledge:${f.id}`] = await digestTree(dir.dir);
  }
  return out;
}
