import type { Redis } from "ioredis";
import { HEARTBEAT_MS, redisKeys } from "./redis.ts";
import { WorkerHeartbeatSchema, type WorkerHeartbeat } from "./schema.ts";

/**
 * Worker registry: each worker writes its heartbeat under `skilldelta:worker:<id>` every
 * HEARTBEAT_MS with a time-to-live of three beats, so a killed worker drops out by itself.
 */
export async function writeHeartbeat(redis: Redis, beat: WorkerHeartbeat): Promise<void> {
  await redis.set(redisKeys.worker(beat.id), JSON.stringify(WorkerHeartbeatSchema.parse(beat)), "PX", HEARTBEAT_MS * 3);
}

export async function removeHeartbeat(redis: Redis, id: string): Promise<void> {
  await redis.del(redisKeys.worker(id));
}

/** Connected workers, sorted by id; unreadable entries (another version) are skipped. */
export async function listWorkers(redis: Redis): Promise<WorkerHeartbeat[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", redisKeys.workerPattern, "COUNT", 200);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  if (!keys.length) return [];
  const values = await redis.mget(...keys);
  const out: WorkerHeartbeat[] = [];
  for (const v of values) {
    if (!v) continue;
    try {
      const r = WorkerHeartbeatSchema.safeParse(JSON.parse(v));
      if (r.success) out.push(r.data);
    } catch {
      // not JSON: skip
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
