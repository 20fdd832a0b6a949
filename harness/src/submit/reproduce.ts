import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { analyseRun, loadRun, summarize, SummarySchema } from "../analysis/index.ts";
import { sha256 } from "../core/digest.ts";
import { InputError, LockChangedError, SkillDeltaError } from "../core/errors.ts";
import { runPaths } from "../core/paths.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import { executeRun, readRunJson, runConfigFromFlags, selectTasks, writeRunJson, type RunConfigInput, type RunDeps } from "../run/index.ts";
import { agreementRule, compareSummaries, type AgreementRow } from "./agreement.ts";
import { RUN_PREFIX, hashFile, type AttestationTier } from "./manifest.ts";
import { agentProblems, imageProblems, localSuiteProblems, lockDrift, provenance } from "./reproduce-checks.ts";
import { loadRunDir, refuse, type LoadedRun } from "./run-checks.ts";
import { verifyBundle } from "./verify.ts";

/** Files `submit reproduce` adds to the reproduction's run directory, beside what `run` writes. */
export const REPRODUCTION_FILES = {
  /** the bundle's frozen libraries, bound per task (`<condition>/_tasks/<task>/`), so a resume finds them */
  libraries: "submitted-libraries",
  /** the comparison report (the same JSON `--json` prints) */
  report: "reproduction.json",
} as const;

/** What reproduce needs from the outside: the same wiring a run gets. */
export type ReproduceDeps = Omit<RunDeps, "quiet" | "tty" | "source" | "onLockChange" | "executeTrial">;

export interface ReproduceOptions {
  bundle: string;
  /** the local suite's task directories */
  suite: string[];
  /** environment folders the task images build FROM */
  environments: string[];
  /** where the reproduction run goes (default `results`) */
  resultsDir?: string;
  /** trials per cell (default: the bundle's k) */
  trials?: number;
  concurrency?: number;
  /** run seed: a number, `"same"` (the submission's), or omitted for a fresh seed derived from the submission's */
  seed?: number | "same";
  /** host environment the agents read (default process.env) */
  env?: Record<string, string | undefined>;
  quiet?: boolean;
  tty?: boolean;
}

export interface ReproduceReport {
  /** the submitted run */
  run_id: string;
  bundle_sha256: string;
  /** "reproduced" when every row agrees, else the tier `submit verify` gives */
  tier: AttestationTier;
  agrees: boolean;
  reproduction: { id: string; dir: string; seed: number; seed_mode: "fresh" | "same" | "given"; submitted_seed: number; trials: number; submitted_trials: number; ran_now: number; resumed: number };
  rule: string;
  rows: AgreementRow[];
  disagreements: AgreementRow[];
}

/**
 * `skilldelta submit reproduce`: verifies the bundle, then re-runs its evaluation on this
 * machine — the bundle's run config, agent configs and frozen libraries, the same tasks by
 * digest on the same images — and compares each per-agent macro pass rate and each declared
 * contrast's delta with the submission (`compareSummaries`: paired by task, α = 0.05 overall).
 * The reproduction stays under `resultsDir`, with `attestation = "reproduced"` in its run.json
 * only when every row agrees. Running the same command again resumes the same reproduction (its
 * id and seed are derived from the submission). The learning phase is not re-run: the submitted
 * libraries are reused.
 * @throws InputError when the bundle fails verify, the local suite or images differ from the
 * bundle's lock, or an agent cannot run here; SkillDeltaError when the reproduction is interrupted
 */
export async function reproduceBundle(opts: ReproduceOptions, deps: ReproduceDeps): Promise<ReproduceReport> {
  const bundle = resolve(opts.bundle);
  const work = await mkdtemp(join(tmpdir(), "sd-reproduce-"));
  try {
    try {
      await verifyBundle({ bundle, extractTo: work });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError(`the bundle fails \`submit verify\`, so it cannot be reproduced: ${e.message}`, { file: e.file ?? bundle, field: e.field, hint: e.hint, cause: e });
    }
    const loaded = await loadRunDir(join(work, RUN_PREFIX));
    const submittedSummary = parseOrThrow(SummarySchema, JSON.parse(await readFile(join(work, RUN_PREFIX, "summary.json"), "utf8")), `${bundle}:run/summary.json`);
    const lock = loaded.run.lock;

    const { problems: agentIssues } = agentProblems(loaded, opts.env ?? process.env);
    if (agentIssues.length) refuse("cannot reproduce: an agent config cannot run on this machine", bundle, agentIssues, "set the variables named above (same model and endpoint kind as the submission) and run again");

    const submittedSeed = Number(loaded.run.config.seed ?? 1);
    const seedMode = opts.seed === undefined ? "fresh" : opts.seed === "same" ? "same" : "given";
    const seed = opts.seed === undefined ? freshSeed(loaded.run.id, submittedSeed) : opts.seed === "same" ? submittedSeed : opts.seed;
    const submittedTrials = Number(loaded.run.config.trials);
    const trials = opts.trials ?? submittedTrials;
    const id = `${loaded.run.id}-reproduce-s${seed}`;
    const paths = runPaths(resolve(opts.resultsDir ?? "results"), id);
    const boundDir = join(paths.dir, REPRODUCTION_FILES.libraries);
    const bindings = libraryBindings(loaded, boundDir);

    const taskIds = Object.keys(lock.tasks).sort();
    const config = reproductionConfig(loaded, { id, seed, trials, taskIds, bindings, suite: opts.suite, environments: opts.environments, resultsDir: resolve(opts.resultsDir ?? "results"), concurrency: opts.concurrency });
    const { tasks } = await selectTasks(config);
    const suiteIssues = localSuiteProblems(lock, tasks);
    if (suiteIssues.length) {
      refuse("cannot reproduce: the local suite differs from the bundle's lock", opts.suite.join(", "), suiteIssues, `check out the suite the submission ran (${provenance(loaded)}) and pass it with --suite`);
    }
    const { images, failures } = await deps.resolveImages(tasks);
    const imageIssues = imageProblems(lock, images, failures);
    if (imageIssues.length) {
      refuse("cannot reproduce: the task images on this machine differ from the ones the bundle ran on", opts.suite.join(", "), imageIssues, `build the environments and tasks from the same base image (\`skilldelta env build\`, ${provenance(loaded)}); a different image id means the trials would run on different bits`);
    }

    await copySubmittedLibraries(loaded, boundDir);
    const result = await executeRun(config, tasks, { ...deps, quiet: opts.quiet, tty: opts.tty }).catch((e: unknown) => {
      // a reproduction resumes by its derived id: say which flags to keep, or how to start afresh
      if (e instanceof LockChangedError) throw new InputError(`an earlier reproduction in ${paths.dir} ran with other inputs:\n  ${e.changes.join("\n  ")}`, { file: paths.runJson, hint: "pass the same --suite, --env-dir and --trials as that run to resume it, or another --results directory (or --seed) for a new reproduction", cause: e });
      throw e;
    });
    if (result.run.status !== "finished") {
      throw new SkillDeltaError("SD_USAGE", `the reproduction ${id} did not finish (${result.run.status})`, { file: paths.runJson, hint: "run the same command again: it resumes where it stopped" });
    }
    const drift = lockDrift(lock, result.run.lock);
    if (drift.length) throw new InputError(`the reproduction did not run what the bundle ran:\n  ${drift.join("\n  ")}`, { file: paths.runJson, hint: "the local suite, images or libraries differ from the bundle's lock" });

    // the reproduction is summarised with the submission's own statistic options, so the
    // published intervals side by side are alike; agreement is decided by compareSummaries
    const m = submittedSummary.method;
    const stats = { seed: m.seed, resamples: m.bootstrap_resamples, withinTasks: m.within_tasks, level: m.level, exactMax: m.permutation_exact_max, draws: m.permutation_draws };
    const reproduced = summarize(await loadRun(result.dir), stats).summary;
    const rows = compareSummaries(submittedSummary, reproduced, { seed: m.seed, resamples: m.bootstrap_resamples });
    const agrees = rows.length > 0 && rows.every((r) => r.agree);

    const report: ReproduceReport = {
      run_id: loaded.run.id,
      bundle_sha256: (await hashFile(bundle)).sha256,
      tier: agrees ? "reproduced" : "self-reported",
      agrees,
      reproduction: { id, dir: result.dir, seed, seed_mode: seedMode, submitted_seed: submittedSeed, trials, submitted_trials: submittedTrials, ran_now: result.ranNow, resumed: result.resumed },
      rule: agreementRule(rows.length),
      rows,
      disagreements: rows.filter((r) => !r.agree),
    };
    // The attestation is set before the summary is written, so the site shows it; a resumed
    // reproduction that now disagrees loses the tier it had.
    const runJson = (await readRunJson(paths.runJson))!;
    await writeRunJson(paths.runJson, { ...runJson, attestation: agrees ? "reproduced" : "self-reported" });
    await analyseRun(result.dir, stats);
    await writeFile(join(result.dir, REPRODUCTION_FILES.report), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The seed of an independent re-run: derived from the submission's run id and seed, so it
 * differs from the submitted seed (model sampling and schedule order are not replayed) while
 * running the command again lands on the same reproduction and resumes it.
 */
export function freshSeed(runId: string, submittedSeed: number): number {
  const s = Number.parseInt(sha256(`skilldelta-reproduce|${runId}|${submittedSeed}`).slice(0, 8), 16) & 0x7fffffff;
  return s === submittedSeed ? s ^ 1 : s;
}

/** condition → `<dest>/<condition>`: where each submitted library is bound (layout of `copySubmittedLibraries`). */
function libraryBindings(loaded: LoadedRun, dest: string): Record<string, string> {
  const bindings: Record<string, string> = {};
  for (const [key, digest] of Object.entries(loaded.run.lock.libraries)) {
    const condition = key.split("|")[0]!;
    if (digest !== "none") bindings[condition] = join(dest, safeName(condition));
  }
  return bindings;
}

/**
 * Copies each frozen library of the bundle to `<dest>/<condition>/_tasks/<task>/`, the per-task
 * layout `[libraries]` bindings read. The copy is fresh on every call (same bytes, so a resumed
 * reproduction freezes the same digests).
 */
async function copySubmittedLibraries(loaded: LoadedRun, dest: string): Promise<void> {
  await rm(dest, { recursive: true, force: true });
  for (const [key, digest] of Object.entries(loaded.run.lock.libraries)) {
    if (digest === "none") continue;
    const [condition, task] = key.split("|") as [string, string];
    const from = join(loaded.dir, "libraries", safeName(condition), digest.slice(0, 16));
    const to = join(dest, safeName(condition), "_tasks", task);
    await mkdir(to, { recursive: true });
    // an empty library has no files, so the bundle holds no folder for it
    if (await stat(from).catch(() => undefined)) await cp(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

/** A condition as a folder name, the way the run layer names library folders. */
const safeName = (condition: string) => condition.replace(/[^\w.-]/g, "_");

/** The submitted run config with the local suite, environments, results dir, seed, k and libraries put in. */
function reproductionConfig(
  loaded: LoadedRun,
  o: { id: string; seed: number; trials: number; taskIds: string[]; bindings: Record<string, string>; suite: string[]; environments: string[]; resultsDir: string; concurrency?: number },
) {
  // Paths of the submitter's machine and the learning phase (its libraries are reused) are left out.
  const { id: _id, tasks: _t, environments: _e, results_dir: _r, libraries: _l, learning: _learn, include: _i, split: _s, seed: _seed, trials: _k, concurrency, ...kept } = loaded.run.config;
  const input = {
    ...kept,
    id: o.id,
    tasks: o.suite,
    environments: o.environments,
    results_dir: o.resultsDir,
    include: o.taskIds,
    split: "all",
    seed: o.seed,
    trials: o.trials,
    concurrency: o.concurrency ?? (concurrency as number | undefined) ?? 2,
    libraries: o.bindings,
  } as RunConfigInput;
  return runConfigFromFlags(input);
}
