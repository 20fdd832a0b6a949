import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { digestTree } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";

/**
 * Redis layout, defined once. Every key lives under `skilldelta:`; BullMQ's own keys use the
 * same prefix, one queue per run (`skilldelta:sd-run-<run-id>:*`).
 */
export const PREFIX = "skilldelta";
export const redisKeys = {
  /** set of run ids a coordinator is serving */
  runs: `${PREFIX}:runs`,
  /** RunManifest JSON of a run */
  manifest: (runId: string) => `${PREFIX}:run:${runId}`,
  /** gzipped tar of a frozen skill library, by its tree digest */
  library: (digest: string) => `${PREFIX}:lib:${digest}`,
  /** WorkerHeartbeat JSON, expiring when the worker stops beating */
  worker: (id: string) => `${PREFIX}:worker:${id}`,
  workerPattern: `${PREFIX}:worker:*`,
} as const;

/** BullMQ queue of one run (queue names may not contain `:`). */
export const queueName = (runId: string): string => `sd-run-${runId}`;

/** BullMQ job id of one trial attempt: the same attempt always gets the same id, so re-adding it is a no-op. */
export const jobId = (runId: string, trialId: string): string => `${runId}__${trialId}`;

/** Heartbeats every this many ms; a worker silent for 3 beats is gone. */
export const HEARTBEAT_MS = 5_000;

/**
 * Parses and checks a `redis://[user:password@]host:port[/db]` (or `rediss://`) URL.
 * @throws InputError when the URL is not a Redis URL
 */
export function parseQueueUrl(url: string, field = "--queue"): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`not a URL: \`${redact(url)}\``, { field, hint: "e.g. redis://127.0.0.1:6379 or rediss://:password@redis.example:6380" });
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new InputError(`expected a redis:// or rediss:// URL, got \`${u.protocol}\``, { field, hint: "e.g. redis://127.0.0.1:6379; put the password in SKILLDELTA_QUEUE rather than on the command line" });
  }
  return u;
}

/** The URL with its password replaced, for logs and errors. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:@/]*:)[^@/]*@/, "$1***@");
}

/**
 * How long to wait before reconnect attempt `times` after Redis went away (restart, failover,
 * network blip): quick at first, then every 2 s. BullMQ's own default backs off to 20 s, which
 * would leave a whole run idle for that long after a short Redis restart.
 */
export const reconnectDelay = (times: number): number => Math.min(250 * times, 2_000);

/**
 * ioredis options for every connection of a distributed run, so that a Redis restart is a pause,
 * not a failure:
 * - `maxRetriesPerRequest: null`: a command issued while Redis is down waits for the reconnect
 *   instead of failing after 20 retries (BullMQ requires this for its blocking worker connections;
 *   on the coordinator it keeps `queue.add` from turning into an infra error for the trial);
 * - `enableOfflineQueue: true` (ioredis' default, stated because BullMQ's docs suggest `false`
 *   for producers that should fail fast: ours should wait, the coordinator has nothing better to do);
 * - `retryStrategy`: never give up, reconnect within 2 s of Redis being back.
 * Queue state survives the restart only if Redis persists it (`appendonly yes`, docs/scaling.md);
 * the coordinator re-adds jobs that Redis lost anyway (same job ids, so never twice).
 */
export function redisOptions(url: string): { url: string; maxRetriesPerRequest: null; enableOfflineQueue: true; retryStrategy: (times: number) => number } {
  return { url, maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: reconnectDelay };
}

/** A plain Redis connection with the reconnect behaviour of `redisOptions`. */
export function connect(url: string): Redis {
  parseQueueUrl(url);
  const { url: _u, ...opts } = redisOptions(url);
  const redis = new Redis(url, { ...opts, lazyConnect: false });
  // errors surface as reconnect attempts; without a listener ioredis would print each one
  redis.on("error", () => undefined);
  return redis;
}

/**
 * Checks once that Redis answers (and accepts the credentials), failing fast instead of
 * letting a run wait on a queue nobody can reach.
 * @throws InputError with the redacted URL and a hint
 */
export async function probe(url: string, field = "--queue"): Promise<void> {
  parseQueueUrl(url, field);
  const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000, lazyConnect: true });
  let cause = "";
  redis.on("error", (e: Error) => (cause ||= e.message));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    // "Connection is closed" hides the reason (refused, WRONGPASS); the error event has it
    const msg = cause || (error as Error).message;
    throw new InputError(`cannot use Redis at ${redact(url)}: ${msg}`, {
      field,
      hint: /NOAUTH|WRONGPASS|auth/i.test(msg) ? "check the user and password in the URL (redis://user:password@host:port)" : "is redis-server running and reachable from here?",
    });
  } finally {
    redis.disconnect();
  }
}

let harnessDigest: Promise<string> | undefined;
/** Digest of this process's harness sources (harness/src), computed once. */
export function harnessSourceDigest(): Promise<string> {
  harnessDigest ??= digestTree(fileURLToPath(new URL("../", import.meta.url)));
  return harnessDigest;
}
