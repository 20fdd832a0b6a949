import { mkdir, open, readFile, rm } from "node:fs/promises";
import PQueue from "p-queue";
import { createAgent } from "../agent/registry.ts";
import type { Agent } from "../agent/types.ts";
import { digestJson } from "../core/digest.ts";
import { InputError, SkillDeltaError } from "../core/errors.ts";
import { runPaths } from "../core/paths.ts";
import type { SandboxCapabilities, SandboxProvider } from "../sandbox/types.ts";
import type { SkillLibrary } from "../skills/library.ts";
import type { Task } from "../task/load.ts";
import type { RunConfig } from "./config.ts";
import { HARNESS_VERSION, hostFacts } from "./host.ts";
import { JournalWriter, isComplete, readJournal } from "./journal.ts";
import { libraryKey, resolveLibraries } from "./libraries.ts";
import { buildSchedule, type PlannedTrial } from "./plan.ts";
import { Progress } from "./progress.ts";
import { assertSameLock, diffLocks, hostChanges, readRunJson, writeRunJson, type Lock, type RunJson } from "./run-json.ts";
import type { TrialRecord } from "./schema.ts";
import { runTrial, type TrialInput } from "./trial.ts";

export interface ImageInfo {
  image: string;
  imageId: string;
}

/** Builds or finds each task's image; failures are reported per task, never thrown. */
export type ImageResolver = (tasks: Task[]) => Promise<{
  images: Map<string, ImageInfo>;
  failures: { task: string; reason: string }[];
  environments: Lock["environments"];
}>;

export interface RunDeps {
  provider: SandboxProvider;
  capabilities: SandboxCapabilities;
  resolveImages: ImageResolver;
  docker: Record<string, string>;
  /** "mock-model" marks dry runs against the scripted server */
  source?: RunJson["source"];
  quiet?: boolean;
  /** overrides process.stderr.isTTY for the progress display */
  tty?: boolean;
  /**
   * What to do when a resumed run's lock differs: "refuse" (default; finished trials are
   * evidence) or "restart" (disposable runs such as suite checks start over).
   */
  onLockChange?: "refuse" | "restart";
  /** removes containers this run left behind when a previous process was killed; returns how many */
  reapLeftovers?: (runId: string) => Promise<number>;
  /**
   * Runs one trial attempt. Default: `runTrial` on this machine. A distributed coordinator
   * substitutes one that ships the attempt to a worker; the runner stays the journal's only writer.
   */
  executeTrial?: (input: TrialInput) => Promise<TrialRecord>;
}

export interface RunResult {
  run: RunJson;
  dir: string;
  /** the last record of every trial key of the plan */
  records: TrialRecord[];
  ranNow: number;
  resumed: number;
}

/**
 * Runs (or resumes) a run: lock, images, libraries, deterministic schedule, trials through a
 * p-queue, one journal line per finished attempt. Killing the process at any point loses no
 * finished trial; running the same config again continues where it stopped.
 * @throws LockChangedError when resuming a run whose inputs changed; InputError for bad config
 */
export async function executeRun(config: RunConfig, tasks: Task[], deps: RunDeps): Promise<RunResult> {
  const paths = runPaths(config.results_dir, config.id);
  await mkdir(paths.trialsDir, { recursive: true });
  const release = await acquireRunLock(paths.lockFile);
  // Container removals started after their trial was journaled; all are awaited before the run ends.
  const removals = new Set<Promise<void>>();
  try {
    const reaped = (await deps.reapLeftovers?.(config.id)) ?? 0;
    if (reaped && !deps.quiet) process.stderr.write(`[skilldelta] removed ${reaped} container(s) left by an earlier, killed process of this run\n`);
    const agents = new Map<string, Agent>(config.agents.map((a) => [a.id, createAgent(a, { env: process.env, prices: config.prices, harnessVersion: HARNESS_VERSION })]));
    const { images, failures, environments } = await deps.resolveImages(tasks);
    const runnable = tasks.filter((t) => images.has(t.id));
    const libraries = await resolveLibraries({ conditions: config.conditions, bindings: config.libraries, tasks: runnable, librariesDir: paths.librariesDir });
    const lock = buildLock(config, runnable, images, environments, libraries, agents, deps.capabilities);
    const host = await hostFacts(deps.docker);
    const schedule = buildSchedule({ tasks: runnable.map((t) => t.id), conditions: config.conditions, agents: [...agents.keys()], trials: config.trials, seed: config.seed });
    const now = new Date().toISOString();

    // Read before run.json is touched: a damaged journal refuses the resume and leaves the run as it was.
    let journal = await readJournal(paths.journal);
    let previous = await readRunJson(paths.runJson);
    if (previous && diffLocks(previous.lock, lock).length) {
      // Nothing finished yet means nothing to protect; a disposable run may start over.
      if (journal.lines === 0 || deps.onLockChange === "restart") {
        await rm(paths.journal, { force: true });
        await rm(paths.trialsDir, { recursive: true, force: true });
        await mkdir(paths.trialsDir, { recursive: true });
        journal = await readJournal(paths.journal);
        previous = undefined;
      }
    }
    let run: RunJson;
    if (previous) {
      assertSameLock(paths.runJson, previous.lock, lock);
      const changes = hostChanges(previous.host, host);
      run = { ...previous, status: "running", updated_at: now, finished_at: null, host, resumes: [...previous.resumes, { at: now, host_changes: changes }] };
    } else {
      run = {
        v: 1,
        id: config.id,
        created_at: now,
        updated_at: now,
        finished_at: null,
        status: "running",
        source: deps.source ?? "local",
        attestation: "self-reported",
        config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>,
        lock,
        host,
        plan: { trials: schedule.length, digest: digestJson(schedule.map((s) => s.key)) },
        excluded_tasks: failures,
        resumes: [],
      };
    }
    await writeRunJson(paths.runJson, run);

    const pending = schedule.filter((p) => !isComplete(journal, p.key, config.max_infra_retries));
    const writer = await JournalWriter.open(paths.journal);
    const progress = new Progress(schedule.length, schedule.length - pending.length, { quiet: deps.quiet, tty: deps.tty });
    const queue = new PQueue({ concurrency: config.concurrency });
    const tasksById = new Map(runnable.map((t) => [t.id, t]));
    const stopSignals = installInterruptHandler(queue);
    let ranNow = 0;

    const startRemoval = (key: string, remove: () => Promise<string | undefined>): void => {
      const removal = remove().then(
        (failed) => void (failed && process.stderr.write(`[skilldelta] warning: trial ${key}: ${failed}; \`skilldelta gc\` removes it\n`)),
        (e: unknown) => void process.stderr.write(`[skilldelta] warning: trial ${key}: container removal failed: ${String(e)}\n`),
      );
      removals.add(removal);
      void removal.finally(() => removals.delete(removal));
    };

    const schedulePlanned = (planned: PlannedTrial, attempt: number): void => {
      void queue.add(async () => {
        const task = tasksById.get(planned.task)!;
        const agent = agents.get(planned.agent)!;
        // The containers are removed once the record is journaled, off the trial's critical
        // path: with concurrency 1 the next trial's setup overlaps the removal.
        let remove: (() => Promise<string | undefined>) | undefined;
        const record = await (deps.executeTrial ?? runTrial)({
          runId: config.id,
          runDir: paths.dir,
          planned,
          attempt,
          task,
          image: images.get(task.id)!.image,
          agent,
          agentDigest: lock.agents[agent.id]!.digest,
          library: libraries.get(libraryKey(planned.condition, task.id)),
          provider: deps.provider,
          timeoutMultiplier: config.timeout_multiplier,
          separateVerifier: config.separate_verifier,
          onPhase: (phase) => progress.phase(planned.key, phase),
          deferTeardown: (fn) => (remove = fn),
        });
        try {
          await writer.append(record);
        } finally {
          if (remove) startRemoval(planned.key, remove);
        }
        if (record.scripted_model && run.source !== "mock-model") {
          // One scripted reply makes the whole run a dry run: it must never pass for model results.
          run = { ...run, source: "mock-model" };
          await writeRunJson(paths.runJson, run);
        }
        journal.latest.set(record.key, record);
        journal.attempts.set(record.key, attempt);
        ranNow++;
        progress.finish(planned.key, record.outcome);
        // Only infra and verifier errors are retried, at the back of the queue.
        if (!isComplete(journal, planned.key, config.max_infra_retries) && !stopSignals.stopping) {
          progress.retry();
          schedulePlanned(planned, attempt + 1);
        }
      });
    };
    for (const planned of pending) schedulePlanned(planned, (journal.attempts.get(planned.key) ?? 0) + 1);
    await queue.onIdle();
    await Promise.all(removals);
    progress.stop();
    stopSignals.dispose();
    await writer.close();

    const complete = schedule.every((p) => isComplete(journal, p.key, config.max_infra_retries));
    const end = new Date().toISOString();
    run = { ...run, updated_at: end, status: complete ? "finished" : "interrupted", finished_at: complete ? end : null };
    await writeRunJson(paths.runJson, run);
    const records = schedule.map((p) => journal.latest.get(p.key)).filter((r): r is TrialRecord => Boolean(r));
    return { run, dir: paths.dir, records, ranNow, resumed: schedule.length - pending.length };
  } finally {
    await Promise.allSettled([...removals]);
    await release();
  }
}

function buildLock(
  config: RunConfig,
  tasks: Task[],
  images: Map<string, ImageInfo>,
  environments: Lock["environments"],
  libraries: Map<string, SkillLibrary | undefined>,
  agents: Map<string, Agent>,
  capabilities: SandboxCapabilities,
): Lock {
  const { concurrency: _c, ...decisive } = config;
  return {
    config_digest: digestJson(decisive),
    tasks: Object.fromEntries(tasks.map((t) => [t.id, { digest: t.digest, image: images.get(t.id)!.image, image_id: images.get(t.id)!.imageId, family: t.family.id }])),
    environments,
    libraries: Object.fromEntries([...libraries].map(([k, lib]) => [k, lib?.digest ?? "none"])),
    agents: Object.fromEntries([...agents].map(([id, a]) => [id, { kind: a.kind, digest: digestJson(a.config) }])),
    sandbox: { ...capabilities },
  };
}

/**
 * One process per run directory. A lock left by a killed process (its pid is gone) is taken
 * over, so `kill -9` never blocks a resume.
 * @throws InputError when another live process is running the same run
 */
export async function acquireRunLock(file: string): Promise<() => Promise<void>> {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fh = await open(file, "wx");
      await fh.write(String(process.pid));
      await fh.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new InputError(`run is already in progress in process ${pid}`, { file, hint: "wait for it to finish, or stop it first" });
      }
      await rm(file, { force: true });
    }
  }
  throw new SkillDeltaError("SD_USAGE", "could not take the run lock", { file });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** First Ctrl-C: schedule nothing new, let running trials finish. Second: leave now. */
function installInterruptHandler(queue: PQueue): { stopping: boolean; dispose: () => void } {
  const state = { stopping: false, dispose: () => {} };
  const onSignal = () => {
    if (state.stopping) process.exit(130);
    state.stopping = true;
    queue.clear();
    process.stderr.write(`\n[skilldelta] stopping: finishing ${queue.pending} running trial(s); the run resumes from here when started again. Ctrl-C again to leave now (\`skilldelta gc\` removes their containers).\n`);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  state.dispose = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  return state;
}
