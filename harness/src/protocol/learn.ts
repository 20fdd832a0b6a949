import { cp, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { digestTree } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";
import { LIBRARY_RULES, LEARNING_CONTEXT_VERSION, roundsOf, ZERO_COST, type Episode, type GuardSpec, type LearningConfig, type LearningContext, type ReadableDir } from "../learner/index.ts";
import { PER_TASK_DIR } from "../run/index.ts";
import { retrieveTopK, writeRawTraceEntries, type CompactionCaps } from "../skills/index.ts";
import type { Family, Task } from "../task/index.ts";
import { episodesFor, type AcquiredEpisode } from "./episodes.ts";
import { learnRounds, roundName } from "./rounds.ts";
import { protocolPaths, writeProtocolState, type ProtocolState } from "./state.ts";

/**
 * Builds every library that the run produces, before any evaluation trial:
 * - `raw-trace`: one entry per acquisition episode, then per evaluation task the top-k entries
 *   of its family retrieved for its instruction, under `learned/raw-trace/_tasks/<task>/`;
 * - each condition with a method: the learner's library per family, `learned/<condition>/<family>/`,
 *   and for methods with rounds every earlier round's at `learned/<condition>@r<N>/<family>/`
 *   (rounds.ts).
 * Each learner call is recorded in protocol.json as it finishes, so a killed protocol resumes
 * after the last finished one; an output that changed on disk since refuses to resume.
 */
export async function buildLibraries(opts: {
  runDir: string;
  learning: LearningConfig;
  conditions: string[];
  families: Family[];
  acquisitionTasks: Task[];
  evaluationTasks: Task[];
  episodes: AcquiredEpisode[];
  state: ProtocolState;
  guard: GuardSpec;
  baseDir: string;
  env: Record<string, string | undefined>;
  /** agent id that builds each condition's library (acquisition episodes are filtered by it) */
  agentFor: (condition: string) => string;
  /** what learners may read besides the episodes: each method's corpus, each family's knowledge base */
  corpus: ReadonlyMap<string, ReadableDir>;
  knowledge: ReadonlyMap<string, ReadableDir>;
  /** runs a condition's acquisition agent on a family's acquisition tasks (or `tasks`) with a library mounted, as run `<condition>-<family>-<tag>` */
  attempt: (condition: string, family: string, libraryDir: string, tag: string, tasks?: string[]) => Promise<Episode[]>;
  log: (line: string) => void;
}): Promise<ProtocolState> {
  const p = protocolPaths(opts.runDir);
  let state = opts.state;
  const caps: CompactionCaps = { ...compactionOf(opts.learning) };
  const byAgent = (condition: string) => opts.episodes.filter((e) => e.record.agent === opts.agentFor(condition));

  if (opts.conditions.includes("raw-trace")) {
    const root = p.learned("raw-trace");
    // Rebuilt every time: deterministic, cheap, and the lock digests the result.
    await rm(root, { recursive: true, force: true });
    const entries = await writeRawTraceEntries(byAgent("raw-trace").map((e) => e.trace), join(root, "_entries"), caps);
    for (const task of opts.evaluationTasks) {
      const dir = join(root, PER_TASK_DIR, task.id);
      await mkdir(dir, { recursive: true });
      for (const e of retrieveTopK(entries.get(task.family.id) ?? [], task.instruction, opts.learning.raw_trace.top_k)) await cp(e.dir, join(dir, e.name), { recursive: true });
    }
  }

  for (const [condition, method] of Object.entries(opts.learning.methods).sort(([a], [b]) => a.localeCompare(b))) {
    if (!opts.conditions.includes(condition)) throw new InputError(`learning method for \`${condition}\`, which is not in conditions`, { field: `learning.methods.${condition}`, hint: "add the condition to `conditions` or remove the method" });
    const rounds = roundsOf(method).rounds;
    for (const family of opts.families) {
      const tasks = opts.acquisitionTasks.filter((t) => t.family.id === family.id).sort((a, b) => a.id.localeCompare(b.id));
      if (!tasks.length) {
        // Nothing to learn from: the family's evaluation tasks get an empty library (every round's), said so in the log.
        for (let r = 1; r <= rounds; r++) {
          const name = roundName(condition, r, rounds);
          const key = `${name}|${family.id}`;
          const outDir = join(p.learned(name), family.id);
          if (state.learned[key]) continue;
          if (r === 1) opts.log(`[learning] ${condition}: family ${family.id} has no acquisition tasks; its library is empty`);
          await rm(outDir, { recursive: true, force: true });
          await mkdir(outDir, { recursive: true });
          state = { ...state, learned: { ...state.learned, [key]: { digest: await digestTree(outDir), method: method.kind, cost: { ...ZERO_COST }, ...(rounds > 1 ? { round: r } : {}) } } };
          await writeProtocolState(p.state, state);
        }
        continue;
      }
      const ctx: LearningContext = {
        v: LEARNING_CONTEXT_VERSION,
        condition,
        method: method.kind,
        family: { id: family.id, title: family.config?.title, domain: family.config?.domain },
        feedback: opts.learning.feedback,
        tasks: tasks.map((t) => ({ id: t.id, instruction: t.instruction })),
        episodes: episodesFor(byAgent(condition), family.id, opts.learning.feedback),
        round: 1,
        model: "model" in method ? method.model : undefined,
        library_rules: LIBRARY_RULES,
        ...(opts.corpus.get(condition) ? { corpus: opts.corpus.get(condition) } : {}),
        ...(opts.knowledge.get(family.id) ? { knowledge_base: opts.knowledge.get(family.id) } : {}),
      };
      await learnRounds(condition, family.id, method, ctx, state.learned, {
        runDir: opts.runDir,
        guard: opts.guard,
        baseDir: opts.baseDir,
        env: opts.env,
        log: opts.log,
        acquisitionTasks: tasks.map((t) => t.id),
        evaluationTasks: opts.evaluationTasks.filter((t) => t.family.id === family.id).map((t) => t.id),
        attempt: (dir, tag, only) => opts.attempt(condition, family.id, dir, tag, only),
        commit: async (key, entry) => {
          state = { ...state, learned: { ...state.learned, [key]: entry } };
          await writeProtocolState(p.state, state);
        },
      });
    }
  }
  return state;
}

function compactionOf(l: LearningConfig): CompactionCaps {
  return { observationChars: l.raw_trace.observation_chars, maxTokens: l.raw_trace.max_tokens, headSteps: 2, tailSteps: 3 };
}
