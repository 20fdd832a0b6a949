import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { digestTree } from "../core/digest.ts";
import { InputError, LockChangedError, SkillDeltaError } from "../core/errors.ts";
import { createLearner, LIBRARY_RULES, LEARNING_CONTEXT_VERSION, type GuardSpec, type LearningConfig, type LearningContext, type LearningCost, type MethodConfig, type Episode } from "../learner/index.ts";
import { PER_TASK_DIR } from "../run/index.ts";
import { loadLibrary, retrieveTopK, writeRawTraceEntries, type CompactionCaps } from "../skills/index.ts";
import type { Family, Task } from "../task/index.ts";
import { episodesFor, type AcquiredEpisode } from "./episodes.ts";
import { protocolPaths, writeProtocolState, type ProtocolState } from "./state.ts";

/**
 * Builds every library that the run produces, before any evaluation trial:
 * - `raw-trace`: one entry per acquisition episode, then per evaluation task the top-k entries
 *   of its family retrieved for its instruction, under `learned/raw-trace/_tasks/<task>/`;
 * - each condition with a method: the learner's library per family, `learned/<condition>/<family>/`.
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
  /** runs the acquisition agent on a family's acquisition tasks with a library mounted */
  attempt: (condition: string, family: string, libraryDir: string, round: number) => Promise<Episode[]>;
  log: (line: string) => void;
}): Promise<ProtocolState> {
  const p = protocolPaths(opts.runDir);
  let state = opts.state;
  const caps: CompactionCaps = { ...compactionOf(opts.learning) };

  if (opts.conditions.includes("raw-trace")) {
    const root = p.learned("raw-trace");
    // Rebuilt every time: deterministic, cheap, and the lock digests the result.
    await rm(root, { recursive: true, force: true });
    const entries = await writeRawTraceEntries(opts.episodes.map((e) => e.trace), join(root, "_entries"), caps);
    for (const task of opts.evaluationTasks) {
      const dir = join(root, PER_TASK_DIR, task.id);
      await mkdir(dir, { recursive: true });
      for (const e of retrieveTopK(entries.get(task.family.id) ?? [], task.instruction, opts.learning.raw_trace.top_k)) await cp(e.dir, join(dir, e.name), { recursive: true });
    }
  }

  for (const [condition, method] of Object.entries(opts.learning.methods).sort(([a], [b]) => a.localeCompare(b))) {
    if (!opts.conditions.includes(condition)) throw new InputError(`learning method for \`${condition}\`, which is not in conditions`, { field: `learning.methods.${condition}`, hint: "add the condition to `conditions` or remove the method" });
    const root = p.learned(condition);
    await mkdir(root, { recursive: true });
    for (const family of opts.families) {
      const key = `${condition}|${family.id}`;
      const outDir = join(root, family.id);
      const done = state.learned[key];
      if (done) {
        const now = await digestTree(outDir).catch(() => "missing");
        if (now !== done.digest) throw new LockChangedError(p.state, [`learned.${key}: ${done.digest.slice(0, 12)}… → ${now.slice(0, 12)}…`]);
        continue;
      }
      const tasks = opts.acquisitionTasks.filter((t) => t.family.id === family.id).sort((a, b) => a.id.localeCompare(b.id));
      if (!tasks.length) {
        // Nothing to learn from: the family's evaluation tasks get an empty library, said so in the log.
        opts.log(`[learning] ${condition}: family ${family.id} has no acquisition tasks; its library is empty`);
        await rm(outDir, { recursive: true, force: true });
        await mkdir(outDir, { recursive: true });
        state = { ...state, learned: { ...state.learned, [key]: { digest: await digestTree(outDir), method: method.kind, cost: { prompt_tokens: 0, completion_tokens: 0, usd: 0, seconds: 0, calls: 0, scripted_model: false } } } };
        await writeProtocolState(p.state, state);
        continue;
      }
      const ctx: LearningContext = {
        v: LEARNING_CONTEXT_VERSION,
        condition,
        method: method.kind,
        family: { id: family.id, title: family.config?.title, domain: family.config?.domain },
        feedback: opts.learning.feedback,
        tasks: tasks.map((t) => ({ id: t.id, instruction: t.instruction })),
        episodes: episodesFor(opts.episodes, family.id, opts.learning.feedback),
        round: 1,
        model: "model" in method ? method.model : undefined,
        library_rules: LIBRARY_RULES,
      };
      const cost = await runLearner(method, ctx, { ...opts, condition, family: family.id, outDir });
      state = { ...state, learned: { ...state.learned, [key]: { digest: await digestTree(outDir), method: method.kind, cost } } };
      await writeProtocolState(p.state, state);
    }
  }
  return state;
}

function compactionOf(l: LearningConfig): CompactionCaps {
  return { observationChars: l.raw_trace.observation_chars, maxTokens: l.raw_trace.max_tokens, headSteps: 2, tailSteps: 3 };
}

/** One learner call in a scratch directory outside every hidden path; the output is validated before it is kept. */
async function runLearner(
  method: MethodConfig,
  ctx: LearningContext,
  o: { runDir: string; guard: GuardSpec; baseDir: string; env: Record<string, string | undefined>; condition: string; family: string; outDir: string; attempt: (c: string, f: string, d: string, r: number) => Promise<Episode[]>; log: (l: string) => void },
): Promise<LearningCost> {
  const learner = createLearner(method, { guard: o.guard, baseDir: o.baseDir });
  const scratch = await mkdtemp(join(tmpdir(), "skilldelta-learn-"));
  // The audit trail, kept on success and failure: what the learner was given and its log.
  const logDir = protocolPaths(o.runDir).learning(o.condition, o.family);
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });
  await writeFile(join(logDir, "context.json"), `${JSON.stringify(ctx, null, 2)}\n`);
  try {
    const out = join(scratch, "library");
    await mkdir(out);
    const cost = await learner.learn(ctx, {
      outDir: out,
      workDir: join(scratch, "work"),
      env: o.env,
      log: o.log,
      attempt: (dir, round) => o.attempt(o.condition, o.family, dir, round),
    });
    const { problems } = await loadLibrary(out);
    if (problems.length) {
      throw new InputError(`the ${method.kind} method wrote an invalid library for \`${o.condition}\` / ${o.family}: ${problems.map((x) => `${x.file.replace(out, "")}: ${x.message}`).join("; ")}`, { field: `learning.methods.${o.condition}`, hint: LIBRARY_RULES });
    }
    await rm(o.outDir, { recursive: true, force: true });
    await cp(out, o.outDir, { recursive: true, verbatimSymlinks: true });
    return cost;
  } catch (error) {
    // Point the error at the kept log, not at the scratch copy about to be removed.
    if (error instanceof SkillDeltaError && error.file?.startsWith(scratch)) throw new SkillDeltaError(error.code, error.message, { file: join(logDir, "method.log"), field: error.field, hint: error.hint, cause: error });
    throw error;
  } finally {
    await cp(join(scratch, "work"), logDir, { recursive: true, filter: (src) => !src.endsWith("context.json") }).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}
