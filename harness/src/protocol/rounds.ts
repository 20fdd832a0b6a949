import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { digestTree } from "../core/digest.ts";
import { InputError, LockChangedError, SkillDeltaError } from "../core/errors.ts";
import {
  createLearner,
  LIBRARY_RULES,
  readExploreRequest,
  roundCondition,
  roundsOf,
  ZERO_COST,
  type Episode,
  type GuardSpec,
  type LearningContext,
  type LearningCost,
  type MethodConfig,
} from "../learner/index.ts";
import { loadLibrary } from "../skills/index.ts";
import { baseOf } from "./conditions.ts";
import { protocolPaths, type ProtocolState } from "./state.ts";

/**
 * The rounds of one (condition, family), driven by the harness (issue 11): round r's context →
 * the method writes a library → the harness validates, hashes and stores it as that round's
 * library (`learned/<condition>@r<r>/<family>/`, the last round at `learned/<condition>/<family>/`)
 * and records it in protocol.json → the acquisition agent attempts the family's acquisition
 * tasks with it, and the exploration attempts the method asked for run → their episodes are
 * round r+1's. A killed protocol resumes at the first round not recorded; a recorded round whose
 * library changed on disk refuses to resume.
 */
export type LearnedEntry = ProtocolState["learned"][string];

export interface RoundDeps {
  runDir: string;
  guard: GuardSpec;
  baseDir: string;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  /** the family's acquisition and evaluation task ids (exploration requests are checked against them) */
  acquisitionTasks: string[];
  evaluationTasks: string[];
  /** runs the condition's acquisition agent on `tasks` (default: all the family's) with `libraryDir` mounted, as run `<condition>-<family>-<tag>` */
  attempt: (libraryDir: string, tag: string, tasks?: string[]) => Promise<Episode[]>;
  /** records a finished round in protocol.json */
  commit: (key: string, entry: LearnedEntry) => Promise<void>;
}

const sum = (a: LearningCost, b: LearningCost): LearningCost => ({
  prompt_tokens: a.prompt_tokens + b.prompt_tokens,
  completion_tokens: a.completion_tokens + b.completion_tokens,
  usd: a.usd + b.usd,
  seconds: a.seconds + b.seconds,
  calls: a.calls + b.calls,
  scripted_model: a.scripted_model || b.scripted_model,
});

/** Condition name a round's library is stored and recorded under (the last round is the condition itself). */
export const roundName = (condition: string, round: number, rounds: number): string => (round === rounds ? condition : roundCondition(condition, round));

/**
 * Learns one family's library for one condition over the method's rounds; resumes after the
 * last recorded round.
 * @throws LockChangedError when a recorded round's library changed on disk; InputError for an invalid library or exploration request
 */
export async function learnRounds(condition: string, family: string, method: MethodConfig, base: LearningContext, learned: ProtocolState["learned"], d: RoundDeps): Promise<void> {
  const plan = roundsOf(method);
  const R = plan.rounds;
  const p = protocolPaths(d.runDir);
  const outOf = (r: number) => join(p.learned(roundName(condition, r, R)), family);
  const keyOf = (r: number) => `${roundName(condition, r, R)}|${family}`;

  let first = 1;
  let cumulative = ZERO_COST;
  for (let r = 1; r <= R; r++) {
    const done = learned[keyOf(r)];
    if (!done) break;
    const now = await digestTree(outOf(r)).catch(() => "missing");
    if (now !== done.digest) throw new LockChangedError(p.state, [`learned.${keyOf(r)}: ${done.digest.slice(0, 12)}… → ${now.slice(0, 12)}…`]);
    first = r + 1;
    cumulative = done.cost;
  }
  if (first > R) return;

  // Material for the first round still to run: the attempts made with the last recorded round's library.
  let episodes = base.episodes;
  let exploration: Episode[] = [];
  if (first > 1) ({ episodes, exploration } = await afterRound(first - 1, outOf(first - 1), learned[keyOf(first - 1)]!.explore ?? [], d));

  for (let r = first; r <= R; r++) {
    const ctx: LearningContext = {
      ...base,
      round: r,
      rounds: R,
      episodes,
      ...(plan.explorationAttempts > 0 ? { exploration_episodes: exploration } : {}),
    };
    const name = roundName(condition, r, R);
    const calls: LearningContext[] = plan.batchFeedback || ctx.episodes.length <= 1 ? [ctx] : ctx.episodes.map((e) => ({ ...ctx, episodes: [e] }));
    const requests: { task: string; library?: string }[] = [];
    for (const [i, call] of calls.entries()) {
      // Per-episode feedback revises the library once per episode; the round's first call starts from the last round's library.
      const previous = i > 0 ? outOf(r) : r > 1 ? outOf(r - 1) : undefined;
      const result = await runLearner(method, call, {
        ...d,
        condition: name,
        family,
        outDir: outOf(r),
        logSuffix: calls.length > 1 ? `episode-${i + 1}` : undefined,
        previous,
        exploreBudget: plan.explorationAttempts - requests.length,
        exploreSnapshot: (j) => join(p.roundsResults, "explore-in", `${condition}-${family}-r${r + 1}-x${requests.length + j}`.replace(/[^\w.-]/g, "_")),
      });
      cumulative = sum(cumulative, result.cost);
      requests.push(...result.explore);
    }
    if (r === R && requests.length) d.log(`[learning] ${name}/${family}: ${requests.length} exploration attempt(s) asked for in the last round are not run (no round follows)`);
    await d.commit(keyOf(r), { digest: await digestTree(outOf(r)), method: method.kind, cost: cumulative, ...(R > 1 ? { round: r } : {}), ...(requests.length && r < R ? { explore: requests } : {}) });
    if (r < R) ({ episodes, exploration } = await afterRound(r, outOf(r), requests, d));
  }
}

/** The acquisition attempts with round r's library (run `…-r<r+1>`) and the exploration attempts round r asked for (runs `…-r<r+1>-x<i>`). */
async function afterRound(r: number, library: string, requests: readonly { task: string; library?: string }[], d: RoundDeps): Promise<{ episodes: Episode[]; exploration: Episode[] }> {
  const episodes = await d.attempt(library, `r${r + 1}`);
  const exploration: Episode[] = [];
  for (const [i, x] of requests.entries()) exploration.push(...(await d.attempt(x.library ?? library, `r${r + 1}-x${i}`, [x.task])));
  return { episodes, exploration };
}

interface CallOpts extends RoundDeps {
  condition: string;
  family: string;
  outDir: string;
  logSuffix?: string;
  /** library the call starts from, given to the method as a copy (`previous_library`) */
  previous?: string;
  exploreBudget: number;
  exploreSnapshot: (i: number) => string;
}

/**
 * One learner call in a scratch directory outside every hidden path; the output is validated
 * before it is kept, and exploration requests are checked and their libraries kept.
 */
async function runLearner(method: MethodConfig, ctx: LearningContext, o: CallOpts): Promise<{ cost: LearningCost; explore: { task: string; library?: string }[] }> {
  const learner = createLearner(method, { guard: o.guard, baseDir: o.baseDir });
  const scratch = await mkdtemp(join(tmpdir(), "skilldelta-learn-"));
  const work = join(scratch, "work");
  const out = join(scratch, "library");
  const full: LearningContext = { ...ctx };
  if (o.previous) {
    // A copy: the recorded round library stays as hashed whatever the method does.
    full.previous_library = join(scratch, "previous");
    await cp(o.previous, full.previous_library, { recursive: true, verbatimSymlinks: true });
  }
  if (o.exploreBudget > 0) full.exploration = { budget: o.exploreBudget, request_file: join(work, "explore.json") };
  // The audit trail, kept on success and failure: what the learner was given and its log.
  const base = protocolPaths(o.runDir).learning(o.condition, o.family);
  const logDir = o.logSuffix ? join(base, o.logSuffix) : base;
  if (!o.logSuffix || o.logSuffix === "episode-1") await rm(base, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });
  await writeFile(join(logDir, "context.json"), `${JSON.stringify(full, null, 2)}\n`);
  let asked = 0;
  try {
    await mkdir(out);
    await mkdir(work);
    const cost = await learner.learn(full, {
      outDir: out,
      workDir: work,
      env: o.env,
      log: o.log,
      // In-process learners attempt through the same budget as process methods' explore.json.
      attempt: async (dir, round) => {
        const n = o.acquisitionTasks.length;
        if (asked + n > o.exploreBudget) throw new InputError(`attempt(): ${asked + n} acquisition attempts this round, beyond the exploration budget of ${o.exploreBudget}`, { field: `learning.methods.${baseOf(o.condition)}.exploration_attempts`, hint: "raise exploration_attempts, or attempt less often" });
        asked += n;
        return o.attempt(dir, `r${round}-x${asked}`);
      },
    });
    const { problems } = await loadLibrary(out);
    if (problems.length) {
      throw new InputError(`the ${method.kind} method wrote an invalid library for \`${o.condition}\` / ${o.family}: ${problems.map((x) => `${x.file.replace(out, "")}: ${x.message}`).join("; ")}`, { field: `learning.methods.${baseOf(o.condition)}`, hint: LIBRARY_RULES });
    }
    const request = full.exploration ? await readExploreRequest({ workDir: work, outDir: out, budget: o.exploreBudget, acquisitionTasks: o.acquisitionTasks, evaluationTasks: o.evaluationTasks }) : undefined;
    const explore: { task: string; library?: string }[] = [];
    for (const [i, a] of (request?.attempts ?? []).entries()) {
      if (!a.library) {
        explore.push({ task: a.task });
        continue;
      }
      const { problems: bad } = await loadLibrary(a.library);
      if (bad.length) throw new InputError(`exploration attempt ${i}: its library is invalid: ${bad.map((x) => `${x.file.replace(work, "")}: ${x.message}`).join("; ")}`, { file: request!.file, field: `attempts.${i}.library`, hint: LIBRARY_RULES });
      const keep = o.exploreSnapshot(i);
      await rm(keep, { recursive: true, force: true });
      await mkdir(keep, { recursive: true });
      await cp(a.library, keep, { recursive: true, verbatimSymlinks: true });
      explore.push({ task: a.task, library: keep });
    }
    await rm(o.outDir, { recursive: true, force: true });
    await mkdir(join(o.outDir, ".."), { recursive: true });
    await cp(out, o.outDir, { recursive: true, verbatimSymlinks: true });
    return { cost, explore };
  } catch (error) {
    // Point the error at the kept log, not at the scratch copy about to be removed.
    if (error instanceof SkillDeltaError && error.file?.startsWith(scratch)) {
      const file = error.file.endsWith("explore.json") ? join(logDir, "explore.json") : join(logDir, "method.log");
      throw new SkillDeltaError(error.code, error.message, { file, field: error.field, hint: error.hint, cause: error });
    }
    throw error;
  } finally {
    await cp(work, logDir, { recursive: true, filter: (src) => !src.endsWith("context.json") }).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}
