import { mkdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { AgentConfigSchema, createAgent } from "../agent/index.ts";
import { digestJson } from "../core/digest.ts";
import { errorMessage } from "../core/errors.ts";
import { runPaths } from "../core/paths.ts";
import { runTrial, selectTasks, type ImageResolver } from "../run/index.ts";
import { HARNESS_VERSION } from "../run/host.ts";
import type { SandboxCapabilities, SandboxProvider } from "../sandbox/index.ts";
import { packTrialDir } from "./artefacts.ts";
import { checkLock, type LocalFacts, type LockCheck } from "./check.ts";
import { fetchLibrary } from "./libraries.ts";
import { connect, harnessSourceDigest, redisOptions, HEARTBEAT_MS, PREFIX, queueName, redisKeys } from "./redis.ts";
import { removeHeartbeat, writeHeartbeat } from "./registry.ts";
import { RunManifestSchema, TrialJobSchema, type RunManifest, type TrialJob, type TrialJobResult, type WorkerHeartbeat } from "./schema.ts";

export interface WorkerOptions {
  url: string;
  /** unique name in `skilldelta workers`; default `<host>-<pid>` */
  name?: string;
  /** trials at once on this machine, over all runs it serves */
  concurrency: number;
  /** where this worker's copy of the suite lives (its digests must match the run's lock) */
  taskDirs: string[];
  /** scratch trial directories and cached libraries */
  workDir: string;
  /** BullMQ lock duration: a worker silent this long (killed, frozen) loses its trials to others (ms, default 15000) */
  stallMs?: number;
  /** how often the list of runs is read (ms, default 2000) */
  pollMs?: number;
  log: (line: string) => void;
}

/** The local sandbox side, as `dockerContext` provides it. */
export interface WorkerDeps {
  provider: SandboxProvider;
  capabilities: SandboxCapabilities;
  resolveImages: ImageResolver;
  /** removes containers (of one run, or all) whose owning process died on this host; returns how many */
  reapLeftovers?: (runId?: string) => Promise<number>;
  /** with `--registry`: task images are pulled by digest (pullTaskImages) instead of built with resolveImages */
  pullImages?: LocalFacts["pullImages"];
}

/** How long a refused run is left alone before its lock is checked again. */
const RECHECK_REFUSED_MS = 60_000;

interface Serving {
  manifest: RunManifest;
  /** lock and harness digests the check was made for */
  version: string;
  check: LockCheck;
  worker: Worker<TrialJob, TrialJobResult>;
}

/**
 * A worker process: follows the runs coordinators announce in Redis, checks each run's lock
 * against its own tasks, images and sandbox (refusing, with the reasons, any run that differs),
 * and runs the trials of accepted runs on local Docker, returning records and artefacts.
 */
export class TrialWorker {
  private readonly opts: WorkerOptions;
  private readonly deps: WorkerDeps;
  private readonly redis: Redis;
  readonly id: string;
  private readonly serving = new Map<string, Serving>();
  private readonly refused = new Map<string, { version: string; reason: string; at: number }>();
  private readonly running = new Map<string, { run: string; trial: string; phase: string; since: string }>();
  private readonly counts = { done: 0, failed: 0 };
  private readonly started = new Date().toISOString();
  private timers: NodeJS.Timeout[] = [];
  private polling = false;
  private stopped = false;

  constructor(opts: WorkerOptions, deps: WorkerDeps) {
    this.opts = opts;
    this.deps = deps;
    this.id = opts.name ?? `${hostname()}-${process.pid}`;
    this.redis = connect(opts.url);
  }

  /** Starts polling for runs and beating; returns once the first poll is done. */
  async start(): Promise<void> {
    await mkdir(this.opts.workDir, { recursive: true });
    const reaped = (await this.deps.reapLeftovers?.().catch(() => 0)) ?? 0;
    if (reaped) this.opts.log(`removed ${reaped} container(s) left by killed processes on this host`);
    await this.beat();
    await this.poll();
    this.timers = [setInterval(() => void this.beat(), HEARTBEAT_MS), setInterval(() => void this.poll(), this.opts.pollMs ?? 2_000)];
  }

  /** Stops taking trials, lets running ones finish, and leaves the registry. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all([...this.serving.values()].map((s) => s.worker.close()));
    await removeHeartbeat(this.redis, this.id).catch(() => undefined);
    this.redis.disconnect();
  }

  private async beat(): Promise<void> {
    const beat: WorkerHeartbeat = {
      v: 1,
      id: this.id,
      host: hostname(),
      pid: process.pid,
      concurrency: this.opts.concurrency,
      started_at: this.started,
      seen_at: new Date().toISOString(),
      running: [...this.running.values()],
      done: this.counts.done,
      failed: this.counts.failed,
      accepted_runs: [...this.serving.keys()],
      refused_runs: Object.fromEntries([...this.refused].map(([k, v]) => [k, v.reason])),
    };
    await writeHeartbeat(this.redis, beat).catch(() => undefined);
  }

  /** Accepts or refuses new runs, drops finished ones, and shares the concurrency among the rest. */
  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const ids = new Set(await this.redis.smembers(redisKeys.runs));
      for (const [id, s] of this.serving) {
        if (!ids.has(id)) {
          this.serving.delete(id);
          void s.worker.close();
          this.opts.log(`run ${id} is no longer announced; stopped serving it`);
        }
      }
      for (const id of this.refused.keys()) if (!ids.has(id)) this.refused.delete(id);
      for (const id of ids) {
        const raw = await this.redis.get(redisKeys.manifest(id));
        const parsed = raw ? RunManifestSchema.safeParse(JSON.parse(raw)) : undefined;
        if (!parsed?.success) continue;
        const m = parsed.data;
        const version = `${m.lock_digest}|${m.harness_digest}`;
        const refusal = this.refused.get(id);
        // a refusal is looked at again after a while: a Docker hiccup or a fixed checkout must not lock a worker out for good
        if (this.serving.get(id)?.version === version || (refusal?.version === version && Date.now() - refusal.at < RECHECK_REFUSED_MS)) continue;
        await this.consider(m);
      }
      const per = Math.max(1, Math.floor(this.opts.concurrency / Math.max(1, this.serving.size)));
      for (const s of this.serving.values()) if (s.worker.concurrency !== per) s.worker.concurrency = per;
    } catch (error) {
      this.opts.log(`cannot read runs from Redis (retrying): ${errorMessage(error)}`);
    } finally {
      this.polling = false;
    }
  }

  private async consider(m: RunManifest): Promise<void> {
    const old = this.serving.get(m.run_id);
    if (old) {
      this.serving.delete(m.run_id);
      await old.worker.close();
    }
    this.opts.log(`run ${m.run_id}: checking its lock (${Object.keys(m.lock.tasks).length} task(s)) against this worker`);
    const { tasks } = await selectTasks({ tasks: this.opts.taskDirs, split: "all", include: undefined });
    const version = `${m.lock_digest}|${m.harness_digest}`;
    const check = await checkLock(m, { harnessVersion: HARNESS_VERSION, harnessDigest: await harnessSourceDigest(), tasks, resolveImages: this.deps.resolveImages, capabilities: this.deps.capabilities, pullImages: this.deps.pullImages });
    if (check.problems.length) {
      const reason = `lock mismatch: ${check.problems.join("; ")}`;
      this.refused.set(m.run_id, { version, reason, at: Date.now() });
      this.opts.log(`REFUSING run ${m.run_id}: this worker does not match the run's lock, so it runs none of its trials:\n  - ${check.problems.join("\n  - ")}\n  hint: check out the same suite revision and environments as the coordinator (the lock is in results/${m.run_id}/run.json)`);
      await this.beat();
      return;
    }
    this.refused.delete(m.run_id);
    for (const n of check.notes) this.opts.log(`run ${m.run_id}: note: ${n}`);
    const stallMs = this.opts.stallMs ?? 15_000;
    const worker = new Worker<TrialJob, TrialJobResult>(queueName(m.run_id), (job) => this.process(job), {
      connection: redisOptions(this.opts.url),
      prefix: PREFIX,
      concurrency: 1,
      lockDuration: stallMs,
      stalledInterval: Math.max(1_000, Math.floor(stallMs / 2)),
      // a trial re-queued twice after losing its worker fails, and the coordinator records an infra_error (retried)
      maxStalledCount: 2,
      autorun: true,
    });
    worker.on("error", () => undefined);
    this.serving.set(m.run_id, { manifest: m, version, check, worker });
    this.opts.log(`run ${m.run_id}: lock matches; serving its trials`);
    await this.beat();
  }

  private async process(job: Job<TrialJob, TrialJobResult>): Promise<TrialJobResult> {
    const parsed = TrialJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid job: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    const data = parsed.data;
    const s = this.serving.get(data.run_id);
    if (!s || s.manifest.lock_digest !== data.lock_digest) throw new UnrecoverableError(`job of run ${data.run_id} names lock ${data.lock_digest.slice(0, 12)}, which this worker has not checked`);
    const local = s.check.tasks.get(data.task.id);
    if (!local || local.task.digest !== data.task.digest || local.image !== data.image) throw new UnrecoverableError(`task ${data.task.id} on this worker does not match the job`);
    const config = AgentConfigSchema.safeParse(data.agent);
    if (!config.success) throw new UnrecoverableError(`agent config invalid here: ${config.error.issues[0]?.message}`);
    // the agent reads its API key (if any) from this worker's environment, by the variable name in its config
    const agent = createAgent(config.data, { env: process.env, harnessVersion: HARNESS_VERSION });
    const lockDigest = s.manifest.lock.agents[agent.id]?.digest;
    if (digestJson(agent.config) !== data.agent_digest || lockDigest !== data.agent_digest) throw new UnrecoverableError(`agent ${agent.id}: config digest differs from the lock`);
    const library = data.library ? await fetchLibrary(this.redis, data.library.digest, this.opts.workDir) : undefined;

    // a re-run of a stalled job: a worker killed on this host may have left the trial's container (same name)
    if (job.attemptsStarted > 1) await this.deps.reapLeftovers?.(data.run_id).catch(() => 0);
    const runDir = runPaths(join(this.opts.workDir, "runs"), data.run_id).dir;
    const slot = { run: data.run_id, trial: data.trial_id, phase: "setup", since: new Date().toISOString() };
    this.running.set(job.id!, slot);
    const started = new Date().toISOString();
    try {
      const record = await runTrial({
        runId: data.run_id,
        runDir,
        planned: data.planned,
        attempt: data.attempt,
        task: local.task,
        image: data.image,
        agent,
        agentDigest: data.agent_digest,
        library,
        provider: this.deps.provider,
        timeoutMultiplier: data.timeout_multiplier,
        separateVerifier: data.separate_verifier,
        onPhase: (phase) => {
          slot.phase = phase;
          void job.updateProgress({ phase, worker: this.id }).catch(() => undefined);
        },
      });
      const dir = join(runDir, record.artifacts_dir);
      const artefacts = await packTrialDir(dir);
      await rm(dir, { recursive: true, force: true });
      this.counts.done++;
      return {
        v: 1,
        record,
        artefacts,
        provenance: { worker: this.id, host: hostname(), pid: process.pid, image_id: local.imageId, job_id: job.id!, stalled_requeues: 0, started_at: started, finished_at: new Date().toISOString() },
      };
    } catch (error) {
      this.counts.failed++;
      throw error;
    } finally {
      this.running.delete(job.id!);
    }
  }
}
