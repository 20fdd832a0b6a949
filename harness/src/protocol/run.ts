import { cp, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { analyseRun } from "../analysis/index.ts";
import { digestTree } from "../core/digest.ts";
import { InputError, LockChangedError, SkillDeltaError } from "../core/errors.ts";
import { runPaths } from "../core/paths.ts";
import { LearningConfigSchema, type Episode, type GuardSpec, type LearningConfig } from "../learner/index.ts";
import { acquireRunLock, executeRun, type RunConfig, type RunDeps, type RunResult } from "../run/index.ts";
import { loadTasks, type Family, type Task } from "../task/index.ts";
import { globMatch } from "../run/index.ts";
import { episodesFor, loadEpisodes } from "./episodes.ts";
import { acquisitionAgentsOf, baseOf, evaluatedConditions, learningInputs } from "./conditions.ts";
import { buildLibraries } from "./learn.ts";
import { recordLearningMeta } from "./meta.ts";
import { PROTOCOL_VERSION, protocolPaths, readProtocolState, writeProtocolState, type ProtocolState } from "./state.ts";

/**
 * The protocol of DESIGN section 2 as four resumable phases over one results directory:
 * acquire (the acquisition split, journaled like any run) → freeze (raw-trace entries and
 * learned libraries written, validated, hashed) → evaluate (the evaluation split × all
 * conditions, each bound to its frozen library, through executeRun) → analyse (summary.json).
 * Every phase is idempotent: running the protocol again continues where it stopped.
 */
export const PHASES = ["acquire", "freeze", "evaluate", "analyse"] as const;
export type Phase = (typeof PHASES)[number];

export interface ProtocolDeps extends RunDeps {
  /** where the model endpoint and key are read from (by NAME) */
  env: Record<string, string | undefined>;
  /** base directory for relative method paths (the run.toml's directory) */
  baseDir: string;
  log?: (line: string) => void;
}

export interface ProtocolResult {
  dir: string;
  state: ProtocolState;
  acquisition?: RunResult;
  evaluation?: RunResult;
}

/**
 * Runs `phase` (or every phase in order) for a config with a `[learning]` table.
 * @throws InputError for a config the protocol cannot run; LockChangedError when a frozen input changed
 */
export async function runProtocol(config: RunConfig, deps: ProtocolDeps, phase?: Phase): Promise<ProtocolResult> {
  const runDir = runPaths(config.results_dir, config.id).dir;
  await mkdir(runDir, { recursive: true });
  // executeRun locks the acquisition and evaluation runs only while they run; a second process
  // would otherwise run the same learner calls and rewrite learned/ under the first one.
  const release = await acquireRunLock(protocolPaths(runDir).lock);
  try {
    return await runPhases(config, deps, phase);
  } finally {
    await release();
  }
}

async function runPhases(config: RunConfig, deps: ProtocolDeps, phase?: Phase): Promise<ProtocolResult> {
  const learning: LearningConfig = config.learning ?? LearningConfigSchema.parse({});
  const log = deps.log ?? (() => {});
  const runDir = runPaths(config.results_dir, config.id).dir;
  const p = protocolPaths(runDir);
  await mkdir(runDir, { recursive: true });
  const { tasks, families } = await loadSelected(config);
  const acquisitionTasks = tasks.filter((t) => t.split === "acquisition");
  const evaluationTasks = tasks.filter((t) => t.split !== "acquisition");
  if (!evaluationTasks.length) throw new InputError("the config selects no evaluation task", { field: "tasks", hint: "list evaluation tasks in family.toml [splits] or task.toml [metadata] split" });
  const { agentFor, acquisitionAgents } = acquisitionAgentsOf(config, learning);

  const missing = config.conditions.filter((c) => c !== "no-skill" && c !== "curated" && c !== "raw-trace" && !config.libraries[c] && !learning.methods[c]);
  if (missing.length) throw new InputError(`no library for ${missing.map((c) => `\`${c}\``).join(", ")}`, { field: "learning.methods", hint: "give each learned condition a method in [learning.methods], or bind a published library in [libraries]" });

  let state: ProtocolState = (await readProtocolState(p.state)) ?? { v: PROTOCOL_VERSION, id: config.id, guard: learning.guard, feedback: learning.feedback, learned: {} };
  const out: ProtocolResult = { dir: runDir, state };
  const want = (ph: Phase) => phase === undefined || phase === ph;
  const requireDone = (ph: Phase, done: unknown) => {
    if (!done) throw new InputError(`phase \`${ph}\` has not finished for run ${config.id}`, { file: p.state, hint: `run \`--phase ${ph}\` first (or the whole protocol without --phase)` });
  };

  const acqConfig: RunConfig = { ...config, id: p.acquireId, results_dir: p.acquireResults, split: "acquisition", conditions: ["no-skill"], trials: learning.acquisition_trials, agents: acquisitionAgents, libraries: {}, contrasts: undefined, learning: undefined };
  const acquire = () => executeRun(acqConfig, acquisitionTasks, { ...deps, onLockChange: "refuse" });

  if (want("acquire")) {
    out.acquisition = await acquire();
    if (out.acquisition.run.status !== "finished") return { ...out, state };
    state = { ...state, acquire: { finished_at: new Date().toISOString(), episodes: out.acquisition.records.length, plan_digest: out.acquisition.run.plan.digest } };
    await writeProtocolState(p.state, state);
  }

  const hide = guardHide(tasks, families, runDir);
  const guard: GuardSpec = { mode: learning.guard, hide };
  // What learners read besides the episodes, digested: a change refuses to resume (protocol.json) and is in the run lock (config digest).
  const inputs = want("freeze") || want("evaluate") ? await learningInputs(learning, families, hide, deps.baseDir) : undefined;
  if (inputs) {
    if (state.inputs) {
      const changes = Object.keys({ ...state.inputs, ...inputs.digests }).sort().filter((k) => state.inputs![k] !== inputs.digests[k]).map((k) => `inputs.${k}: ${state.inputs![k]?.slice(0, 12) ?? "(absent)"}… → ${inputs.digests[k]?.slice(0, 12) ?? "(absent)"}…`);
      if (changes.length) throw new LockChangedError(p.state, changes);
    }
  }
  if (want("freeze")) {
    requireDone("acquire", state.acquire);
    // Resuming executeRun on a finished run runs nothing and returns every record.
    const acq = out.acquisition ?? (await acquire());
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const caps = { observationChars: learning.raw_trace.observation_chars, maxTokens: learning.raw_trace.max_tokens, headSteps: 2, tailSteps: 3 };
    const episodes = await loadEpisodes(acq.dir, acq.records, byId, caps);
    const attempt = async (condition: string, family: string, libraryDir: string, tag: string, only?: string[]): Promise<Episode[]> => {
      // A snapshot, since the learner may rewrite its library while the attempts are journaled.
      // Rounds are intermediate: a learner restarted after a crash may write another library,
      // so a changed lock restarts the attempts' run instead of refusing it.
      const id = `${condition}-${family}-${tag}`.replace(/[^\w.-]/g, "_");
      const snap = join(p.roundsResults, "libraries-in", id);
      await mkdir(snap, { recursive: true });
      await rm(snap, { recursive: true, force: true });
      await cp(libraryDir, snap, { recursive: true });
      const famTasks = acquisitionTasks.filter((t) => t.family.id === family && (!only || only.includes(t.id)));
      const agent = acquisitionAgents.find((a) => a.id === agentFor(condition))!;
      // Exploration attempts (a named task) are single attempts; round attempts repeat the acquisition phase's k.
      const r = await executeRun({ ...acqConfig, id, results_dir: p.roundsResults, conditions: ["learning"], agents: [agent], trials: only ? 1 : acqConfig.trials, libraries: { learning: snap } }, famTasks, { ...deps, onLockChange: "restart" });
      return episodesFor(await loadEpisodes(r.dir, r.records, byId, caps), family, learning.feedback);
    };
    if (inputs && !state.inputs) {
      state = { ...state, inputs: inputs.digests };
      await writeProtocolState(p.state, state);
    }
    state = await buildLibraries({ runDir, learning, conditions: config.conditions, families, acquisitionTasks, evaluationTasks, episodes, state, guard, baseDir: deps.baseDir, env: deps.env, agentFor, corpus: inputs!.corpus, knowledge: inputs!.knowledge, attempt, log });
    const libraries: Record<string, string> = {};
    for (const c of evaluatedConditions(config.conditions, learning)) {
      if (c === "raw-trace" || learning.methods[c] || learning.methods[baseOf(c)]) libraries[c] = await digestTree(p.learned(c));
    }
    state = { ...state, freeze: { finished_at: new Date().toISOString(), libraries } };
    await writeProtocolState(p.state, state);
  }

  if (want("evaluate")) {
    requireDone("freeze", state.freeze);
    for (const [c, digest] of Object.entries(state.freeze!.libraries)) {
      const now = await digestTree(p.learned(c)).catch(() => "missing");
      if (now !== digest) throw new SkillDeltaError("SD_LOCK_CHANGED", `the frozen library of \`${c}\` changed after the freeze`, { file: p.learned(c), hint: "rerun `--phase freeze` (a new library means a new run id for published results)" });
    }
    const bindings = { ...config.libraries, ...Object.fromEntries(Object.keys(state.freeze!.libraries).map((c) => [c, p.learned(c)])) };
    const conditions = evaluatedConditions(config.conditions, learning);
    const digests = inputs?.digests ?? {};
    const evalLearning = Object.keys(digests).length ? { ...learning, input_digests: digests } : config.learning;
    const evalConfig: RunConfig = { ...config, split: "evaluation", conditions, libraries: bindings, learning: evalLearning };
    out.evaluation = await executeRun(evalConfig, evaluationTasks, deps);
    const withCost = await recordLearningMeta({ runDir, state, conditions, learning, families: families.map((f) => f.id), agentFor });
    if (withCost) out.evaluation = { ...out.evaluation, run: withCost };
    if (out.evaluation.run.status === "finished") {
      state = { ...state, evaluate: { finished_at: new Date().toISOString(), status: out.evaluation.run.status } };
      await writeProtocolState(p.state, state);
    }
  }

  if (want("analyse")) {
    requireDone("evaluate", state.evaluate);
    await analyseRun(runDir, { seed: config.seed });
    state = { ...state, analyse: { finished_at: new Date().toISOString() } };
    await writeProtocolState(p.state, state);
  }
  return { ...out, state };
}

/** Every task the config names (all splits) and their families; `include` globs apply. */
async function loadSelected(config: RunConfig): Promise<{ tasks: Task[]; families: Family[] }> {
  const { tasks } = await loadTasks(config.tasks);
  const selected = tasks.filter((t) => !config.include?.length || config.include.some((g) => globMatch(g, t.id)));
  const families = [...new Map(selected.map((t) => [t.family.id, t.family])).values()].sort((a, b) => a.id.localeCompare(b.id));
  return { tasks: selected, families };
}

/** What an out-of-process learner must not see: verifier and oracle of every task, evaluation tasks whole, curated skills, this run's results. */
export function guardHide(tasks: readonly Task[], families: readonly Family[], runDir: string): string[] {
  const hide = [runDir];
  for (const t of tasks) {
    if (t.split === "acquisition") hide.push(join(t.dir, "tests"), join(t.dir, "solution"));
    else hide.push(t.dir);
  }
  for (const f of families) if (f.skillsDir) hide.push(f.skillsDir);
  return hide;
}
