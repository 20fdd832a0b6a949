/**
 * Distributed runs (DESIGN section 4, "Beyond one machine"; issue 10): a coordinator ships
 * trial attempts through BullMQ on Redis to workers on many Docker hosts and stays the single
 * writer of the results directory.
 */
export { Coordinator, WORKER_FILE, type CoordinatorOptions } from "./coordinator.ts";
export { TrialWorker, type WorkerOptions, type WorkerDeps } from "./worker.ts";
export { checkLock, type LockCheck, type LocalFacts } from "./check.ts";
export { listWorkers } from "./registry.ts";
export { parseRegistry, pushTaskImages, pullTaskImages, type LocalTaskImage, type PulledImage } from "./images.ts";
export { probe, redact, parseQueueUrl, queueName, jobId, redisKeys, connect } from "./redis.ts";
export { ARTEFACT_CAP_BYTES, packTrialDir, unpackArtefacts } from "./artefacts.ts";
export {
  RunManifestSchema,
  TrialJobSchema,
  TrialJobResultSchema,
  ArtefactsSchema,
  WorkerProvenanceSchema,
  WorkerHeartbeatSchema,
  RegistryImagesSchema,
  type RegistryImages,
  type PushedImage,
  type RunManifest,
  type TrialJob,
  type TrialJobResult,
  type Artefacts,
  type WorkerProvenance,
  type WorkerHeartbeat,
} from "./schema.ts";
