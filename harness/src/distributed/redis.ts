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
 * A Redis connection as BullMQ needs it (no per-command retry limit: commands wait for the
 * reconnect after a Redis restart instead of failing).
 */
export function connect(url: string): Redis {
  parseQueueUrl(url);
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
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
