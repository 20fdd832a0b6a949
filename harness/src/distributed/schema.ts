import { z } from "zod";
import { LockSchema, TrialRecordSchema } from "../run/index.ts";

/**
 * Wire formats between a coordinator and its workers, one strict schema each, versioned.
 * Nothing here carries a secret: agent configs name environment variables, never their values.
 */

const digest = z.string().regex(/^[0-9a-f]{64}$/, "expected a sha256 hex digest");

/** A task image in a registry: the copy of the lock's image a worker may pull instead of building. */
export const PushedImageSchema = z.strictObject({
  /** repository path inside the registry, without the host (e.g. `skilldelta-task`) */
  repo: z.string().min(1),
  /** manifest digest the push returned: what workers pull */
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, "expected sha256:<64 hex>"),
  /** the lock's image id, which the pulled image must have */
  image_id: z.string(),
});
export type PushedImage = z.infer<typeof PushedImageSchema>;

/** Task images a coordinator pushed for a run (`run --queue … --registry host:port`). */
export const RegistryImagesSchema = z.strictObject({
  /** the registry as the coordinator reached it (`host:port[/namespace]`); workers may reach it by another name */
  registry: z.string(),
  /** by task id */
  tasks: z.record(z.string(), PushedImageSchema),
});
export type RegistryImages = z.infer<typeof RegistryImagesSchema>;

/** What a coordinator publishes once per run: the lock every worker must match. */
export const RunManifestSchema = z.strictObject({
  v: z.literal(1),
  run_id: z.string(),
  /** digestJson(lock): every job names it, so a job of an older lock is never run */
  lock_digest: digest,
  lock: LockSchema,
  harness_version: z.string(),
  /** digest of the harness sources (harness/src): coordinator and workers run the same code */
  harness_digest: digest,
  coordinator: z.strictObject({ host: z.string(), pid: z.number().int() }),
  /** present when the coordinator pushed the task images to a registry; workers with --registry pull these */
  registry: RegistryImagesSchema.optional(),
  registered_at: z.string(),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

/** One trial attempt as a queue job: a serialisable description, no handles, no secrets. */
export const TrialJobSchema = z.strictObject({
  v: z.literal(1),
  run_id: z.string(),
  lock_digest: digest,
  trial_id: z.string(),
  attempt: z.number().int().min(1),
  planned: z.strictObject({
    key: z.string(),
    task: z.string(),
    condition: z.string(),
    agent: z.string(),
    index: z.number().int().min(0),
    seed: z.number().int(),
  }),
  task: z.strictObject({ id: z.string(), digest }),
  image: z.string(),
  /** the agent's config as in run.toml (validated again by the worker's agent registry) */
  agent: z.record(z.string(), z.unknown()),
  agent_digest: digest,
  /** frozen library the condition sees, shipped by digest; null for no-skill */
  library: z.strictObject({ digest, condition: z.string() }).nullable(),
  timeout_multiplier: z.number().positive(),
  /** run-level separate verifier mode (absent: per task) */
  separate_verifier: z.boolean().optional(),
});
export type TrialJob = z.infer<typeof TrialJobSchema>;

/** The trial directory's files as a gzipped tar, capped. */
export const ArtefactsSchema = z.strictObject({
  tar_gz_base64: z.string(),
  bytes: z.number().int().min(0),
  sha256: digest,
  files: z.number().int().min(0),
  /** true when the trial directory exceeded the cap and only trial.json was shipped */
  truncated: z.boolean(),
});
export type Artefacts = z.infer<typeof ArtefactsSchema>;

/** Who ran a trial; written beside its artefacts as `worker.json`. */
export const WorkerProvenanceSchema = z.strictObject({
  worker: z.string(),
  host: z.string(),
  pid: z.number().int(),
  image_id: z.string(),
  job_id: z.string(),
  /** times BullMQ re-queued this job after its worker stopped renewing the lock (killed, frozen) */
  stalled_requeues: z.number().int().min(0).default(0),
  started_at: z.string(),
  finished_at: z.string(),
});
export type WorkerProvenance = z.infer<typeof WorkerProvenanceSchema>;

/** A job's return value: the record the coordinator journals and the artefacts it writes. */
export const TrialJobResultSchema = z.strictObject({
  v: z.literal(1),
  record: TrialRecordSchema,
  artefacts: ArtefactsSchema,
  provenance: WorkerProvenanceSchema,
});
export type TrialJobResult = z.infer<typeof TrialJobResultSchema>;

/** A worker's heartbeat: what `skilldelta workers` lists and the coordinator's progress shows. */
export const WorkerHeartbeatSchema = z.strictObject({
  v: z.literal(1),
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  concurrency: z.number().int().min(1),
  started_at: z.string(),
  seen_at: z.string(),
  running: z.array(z.strictObject({ run: z.string(), trial: z.string(), phase: z.string(), since: z.string() })),
  done: z.number().int().min(0),
  failed: z.number().int().min(0),
  accepted_runs: z.array(z.string()),
  /** run id → why this worker refuses it (lock mismatch) */
  refused_runs: z.record(z.string(), z.string()),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeatSchema>;
