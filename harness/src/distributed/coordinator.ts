import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { hostname } from "node:os";
import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { digestJson } from "../core/digest.ts";
import { errorMessage, SandboxError, SkillDeltaError } from "../core/errors.ts";
import { runPaths, trialFiles } from "../core/paths.ts";
import { readRunJson, trialId, TrialRecordSchema, type ImageResolver, type TrialInput, type TrialRecord } from "../run/index.ts";
import { HARNESS_VERSION } from "../run/host.ts";
import { unpackArtefacts } from "./artefacts.ts";
import { publishLibrary } from "./libraries.ts";
import { connect, harnessSourceDigest, redisOptions, jobId, PREFIX, queueName, redact, redisKeys } from "./redis.ts";
import { listWorkers } from "./registry.ts";
import type { LocalTaskImage } from "./images.ts";
import { TrialJobResultSchema, type RegistryImages, type RunManifest, type TrialJob, type TrialJobResult } from "./schema.ts";

/** Written beside a trial's artefacts: which worker ran it (not part of the record). */
export const WORKER_FILE = "worker.json";

export interface CoordinatorOptions {
  /** redis:// URL of the queue */
  url: string;
  /** no per-worker activity lines on stderr */
  quiet?: boolean;
  /** how often lost jobs are re-added and missed events caught up (ms, default 5000) */
  reconcileMs?: number;
  /** how often per-worker activity is printed (ms, default 15000) */
  activityMs?: number;
  /**
   * Task images go to workers through this registry (`--registry`): `push` is pushTaskImages
   * bound to a Docker client and address. Without it every worker builds the images itself.
   */
  registry?: { address: string; push: (images: LocalTaskImage[]) => Promise<RegistryImages> };
}

interface Pending {
  input: TrialInput;
  job: TrialJob;
  resolve: (record: TrialRecord) => void;
  settling: boolean;
}

/**
 * A run's coordinator: `executeTrial` for the runner's `RunDeps` ships each attempt to a
 * BullMQ queue and resolves with the record a worker returns, after writing that worker's
 * artefacts into the run directory; the runner stays the only writer of the journal.
 * The same attempt always has the same job id, so after a coordinator restart re-adding it is
 * a no-op and a result finished meanwhile is collected, never re-run.
 */
export class Coordinator {
  private readonly opts: CoordinatorOptions;
  private readonly redis: Redis;
  private queue: Queue | undefined;
  private events: QueueEvents | undefined;
  private manifest: RunManifest | undefined;
  private registering: Promise<void> | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly libraries = new Map<string, Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly shownRefusals = new Set<string>();
  private pushed: RegistryImages | undefined;
  /** trials re-queued by BullMQ after their worker vanished, and jobs lost from Redis and re-added */
  readonly stats = { enqueued: 0, collected: 0, stalledRequeues: 0, lostJobs: 0, workerFailures: 0, artefactBytes: 0 };

  constructor(opts: CoordinatorOptions) {
    this.opts = opts;
    this.redis = connect(opts.url);
  }

  /** The `RunDeps.executeTrial` of a distributed run. Never throws: failures become infra_error records. */
  readonly executeTrial = async (input: TrialInput): Promise<TrialRecord> => {
    try {
      await this.register(input);
      const job = await this.toJob(input);
      const id = jobId(input.runId, job.trial_id);
      return await new Promise<TrialRecord>((resolve) => {
        this.pending.set(id, { input, job, resolve, settling: false });
        void this.add(id, job).then(() => this.settle(id, true));
      });
    } catch (error) {
      return lostRecord(input, `coordinator could not enqueue the trial: ${errorMessage(error)}`);
    }
  };

  /**
   * The runner's image resolver, extended to push every image it returns to the registry (when
   * one is configured) before any trial is enqueued: a failed push stops the run at once rather
   * than turning every trial into an infra error. Resuming pushes again; the registry already
   * has the layers, so only manifests travel.
   */
  resolver(inner: ImageResolver): ImageResolver {
    const registry = this.opts.registry;
    if (!registry) return inner;
    return async (tasks) => {
      const resolved = await inner(tasks);
      const images = [...resolved.images].map(([taskId, i]) => ({ taskId, image: i.image, imageId: i.imageId }));
      const started = performance.now();
      this.pushed = await registry.push(images);
      if (!this.opts.quiet) process.stderr.write(`[skilldelta] pushed ${images.length} task image(s) to ${registry.address} in ${((performance.now() - started) / 1000).toFixed(1)} s; workers with --registry pull them by digest\n`);
      return resolved;
    };
  }

  /**
   * Stops following the queue. A finished run is unregistered and its queue removed; an
   * interrupted one stays, so workers finish what they hold and a restart collects it.
   */
  async close(status: "finished" | "interrupted" | "running"): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.manifest && status === "finished") {
      await this.redis.srem(redisKeys.runs, this.manifest.run_id);
      await this.redis.del(redisKeys.manifest(this.manifest.run_id));
      await this.queue?.obliterate({ force: true }).catch(() => undefined);
    }
    await this.events?.close();
    await this.queue?.close();
    this.redis.disconnect();
  }

  private register(input: TrialInput): Promise<void> {
    this.registering ??= (async () => {
      const runJson = runPaths(dirname(input.runDir), basename(input.runDir)).runJson;
      const run = await readRunJson(runJson);
      if (!run) throw new SkillDeltaError("SD_NOT_FOUND", "run.json is missing", { file: runJson });
      this.manifest = {
        v: 1,
        run_id: run.id,
        lock_digest: digestJson(run.lock),
        lock: run.lock,
        harness_version: HARNESS_VERSION,
        harness_digest: await harnessSourceDigest(),
        coordinator: { host: hostname(), pid: process.pid },
        ...(this.pushed ? { registry: checkedPush(this.pushed, run.lock, runJson) } : {}),
        registered_at: new Date().toISOString(),
      };
      await this.announce();
      const name = queueName(run.id);
      this.queue = new Queue(name, { connection: redisOptions(this.opts.url), prefix: PREFIX });
      this.events = new QueueEvents(name, { connection: redisOptions(this.opts.url), prefix: PREFIX });
      this.events.on("error", () => undefined);
      this.events.on("completed", ({ jobId: id }) => void this.settle(id, false));
      this.events.on("failed", ({ jobId: id }) => void this.settle(id, false));
      this.events.on("stalled", () => void this.stats.stalledRequeues++);
      this.events.on("progress", ({ jobId: id, data }) => {
        const phase = (data as { phase?: unknown }).phase;
        if (phase === "setup" || phase === "agent" || phase === "verifier" || phase === "teardown") this.pending.get(id)?.input.onPhase?.(phase);
      });
      await this.events.waitUntilReady();
      this.timers.push(setInterval(() => void this.reconcile(), this.opts.reconcileMs ?? 5_000));
      if (!this.opts.quiet) this.timers.push(setInterval(() => void this.showActivity(), this.opts.activityMs ?? 15_000));
      for (const t of this.timers) t.unref();
    })();
    return this.registering;
  }

  /** (Re)publishes the manifest: after a Redis restart without persistence workers find the run again. */
  private async announce(): Promise<void> {
    const m = this.manifest!;
    await this.redis.set(redisKeys.manifest(m.run_id), JSON.stringify(m));
    await this.redis.sadd(redisKeys.runs, m.run_id);
  }

  private async toJob(input: TrialInput): Promise<TrialJob> {
    if (input.library) {
      const lib = input.library;
      let published = this.libraries.get(lib.digest);
      if (!published) {
        published = publishLibrary(this.redis, lib);
        this.libraries.set(lib.digest, published);
        published.catch(() => this.libraries.delete(lib.digest));
      }
      await published;
    }
    return {
      v: 1,
      run_id: input.runId,
      lock_digest: this.manifest!.lock_digest,
      trial_id: trialId(input.planned.key, input.attempt),
      attempt: input.attempt,
      planned: { ...input.planned },
      task: { id: input.task.id, digest: input.task.digest },
      image: input.image,
      agent: { ...input.agent.config } as Record<string, unknown>,
      agent_digest: input.agentDigest,
      library: input.library ? { digest: input.library.digest, condition: input.planned.condition } : null,
      timeout_multiplier: input.timeoutMultiplier,
      ...(input.separateVerifier ? { separate_verifier: true } : {}),
    };
  }

  private async add(id: string, job: TrialJob): Promise<void> {
    // an existing id (a restarted coordinator, a re-add after a lost job) is left as it is
    await this.queue!.add("trial", job, { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false });
    this.stats.enqueued++;
  }

  /** Looks at a job in Redis and resolves its trial when it is finished; re-adds it when Redis lost it. */
  private async settle(id: string, reAddIfMissing: boolean): Promise<void> {
    const p = this.pending.get(id);
    if (!p || p.settling) return;
    p.settling = true;
    try {
      const job = await Job.fromId<TrialJob, unknown>(this.queue!, id);
      if (!job) {
        if (reAddIfMissing) {
          this.stats.lostJobs++;
          await this.add(id, p.job);
        }
        return;
      }
      const state = await job.getState();
      if (state !== "completed" && state !== "failed") return;
      const record = state === "completed" ? await this.collect(p, job) : await this.failed(p, job.failedReason);
      this.pending.delete(id);
      p.resolve(record);
      // the runner journals synchronously after this resolves; the job goes once that surely happened
      setTimeout(() => void job.remove().catch(() => undefined), 10_000).unref();
    } catch {
      // Redis unreachable or a race with a concurrent settle: the next reconcile looks again
    } finally {
      p.settling = false;
    }
  }

  private async collect(p: Pending, job: Job<TrialJob, unknown>): Promise<TrialRecord> {
    const parsed = TrialJobResultSchema.safeParse(job.returnvalue);
    if (!parsed.success) return this.failed(p, `worker returned an invalid result: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    const result: TrialJobResult = parsed.data;
    const { record } = result;
    const expectedId = trialId(p.input.planned.key, p.input.attempt);
    if (record.key !== p.input.planned.key || record.attempt !== p.input.attempt || record.trial_id !== expectedId) {
      return this.failed(p, `worker returned the record of ${record.trial_id}, expected ${expectedId}`);
    }
    const dir = trialDirOf(p.input.runDir, expectedId);
    await unpackArtefacts(result.artefacts, dir);
    const stalled = job.stalledCounter ?? 0;
    await writeFile(join(dir, WORKER_FILE), `${JSON.stringify({ ...result.provenance, stalled_requeues: stalled }, null, 2)}\n`);
    this.stats.collected++;
    this.stats.artefactBytes += result.artefacts.bytes;
    return TrialRecordSchema.parse({ ...record, artifacts_dir: relative(p.input.runDir, dir) });
  }

  private async failed(p: Pending, reason: string): Promise<TrialRecord> {
    this.stats.workerFailures++;
    const record = lostRecord(p.input, `worker did not return the trial: ${reason}`);
    const dir = join(p.input.runDir, record.artifacts_dir);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, trialFiles.record), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  }

  private async reconcile(): Promise<void> {
    if (!this.manifest) return;
    try {
      await this.announce();
    } catch {
      return; // Redis down: ioredis reconnects, the next tick retries
    }
    for (const id of [...this.pending.keys()]) await this.settle(id, true);
  }

  private async showActivity(): Promise<void> {
    if (!this.manifest || !this.pending.size) return;
    const runId = this.manifest.run_id;
    const workers = await listWorkers(this.redis).catch(() => []);
    for (const w of workers) {
      const why = w.refused_runs[runId];
      if (why && !this.shownRefusals.has(w.id)) {
        this.shownRefusals.add(w.id);
        process.stderr.write(`[skilldelta] worker ${w.id} refuses this run: ${why.split("\n")[0]}\n`);
      }
    }
    const serving = workers.filter((w) => w.accepted_runs.includes(runId));
    const line = serving.length
      ? serving.map((w) => `${w.id} ${w.running.filter((r) => r.run === runId).length}/${w.concurrency} running, ${w.done} done`).join(" · ")
      : `no worker serves this run yet: start one with \`skilldelta worker --queue ${redact(this.opts.url)}\``;
    process.stderr.write(`[skilldelta] workers: ${line}\n`);
  }
}

/**
 * The pushed images, checked against the lock the runner wrote: every task of the lock must have
 * been pushed with the lock's image id, or workers would refuse (or worse, run another image).
 * @throws SandboxError naming the task
 */
function checkedPush(pushed: RegistryImages, lock: RunManifest["lock"], runJson: string): RegistryImages {
  for (const [task, entry] of Object.entries(lock.tasks)) {
    const p = pushed.tasks[task];
    if (!p || p.image_id !== entry.image_id) throw new SandboxError(`task ${task}: the image pushed to ${pushed.registry} is not the lock's (${p ? p.image_id.slice(7, 19) : "not pushed"} vs ${entry.image_id.slice(7, 19)})`, { file: runJson, hint: "run again; an image was rebuilt while the run started" });
  }
  return pushed;
}

/** The record of an attempt no worker returned (lost, failed, refused): an infra error, retried by the runner. */
function lostRecord(input: TrialInput, error: string): TrialRecord {
  const id = trialId(input.planned.key, input.attempt);
  const now = new Date().toISOString();
  return {
    v: 1,
    key: input.planned.key,
    trial_id: id,
    attempt: input.attempt,
    task: input.task.id,
    task_digest: input.task.digest,
    family: input.task.family.id,
    split: input.task.split,
    role: input.task.role,
    condition: input.planned.condition,
    library_digest: input.library?.digest ?? null,
    agent: input.agent.id,
    agent_digest: input.agentDigest,
    index: input.planned.index,
    seed: input.planned.seed,
    image: input.image,
    outcome: "infra_error",
    reward: null,
    checks: [],
    error,
    started_at: now,
    finished_at: now,
    timings_ms: { setup: 0, agent: 0, verifier: 0, teardown: 0, total: 0 },
    agent_exit_code: null,
    skills_loaded: [],
    artifacts_dir: relative(input.runDir, trialDirOf(input.runDir, id)),
  };
}

/** The run layout's trial directory, from the run directory the runner passes. */
function trialDirOf(runDir: string, id: string): string {
  return runPaths(dirname(runDir), basename(runDir)).trialDir(id);
}
