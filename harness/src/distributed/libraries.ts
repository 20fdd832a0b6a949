import { rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { digestTree } from "../core/digest.ts";
import { SkillDeltaError } from "../core/errors.ts";
import { LIBRARY_LIMITS, loadLibrary, type SkillLibrary } from "../skills/index.ts";
import { packTree, unpackTree } from "./artefacts.ts";
import { redisKeys } from "./redis.ts";

/**
 * Frozen skill libraries travel by digest through Redis: the coordinator stores each one once
 * as a gzipped tar under `skilldelta:lib:<digest>` (libraries are capped at 16 MB, see
 * LIBRARY_LIMITS); a worker fetches it on first use, checks the tree digest, and keeps it in
 * its cache directory for every later trial.
 */
export async function publishLibrary(redis: Redis, library: SkillLibrary): Promise<void> {
  const key = redisKeys.library(library.digest);
  // content-addressed, so shared by runs; unused libraries leave Redis after a week
  if (await redis.expire(key, LIBRARY_TTL_S)) return;
  const { bytes } = await packTree(library.dir);
  await redis.set(key, bytes, "EX", LIBRARY_TTL_S, "NX");
}

const LIBRARY_TTL_S = 7 * 24 * 3600;

/**
 * The library with this digest, from the cache or fetched and verified.
 * @throws SkillDeltaError SD_NOT_FOUND when the coordinator has not published it; SD_INPUT_INVALID when its bytes do not match the digest
 */
export async function fetchLibrary(redis: Redis, digest: string, cacheDir: string): Promise<SkillLibrary> {
  const dir = join(cacheDir, "libraries", digest);
  if (!(await stat(dir).catch(() => undefined))) {
    const bytes = await redis.getBuffer(redisKeys.library(digest));
    if (!bytes) throw new SkillDeltaError("SD_NOT_FOUND", `library ${digest.slice(0, 12)} is not in Redis`, { hint: "the coordinator publishes libraries before enqueueing; was Redis flushed? restart the coordinator" });
    const staging = `${dir}.staging-${process.pid}-${Date.now()}`;
    try {
      await unpackTree(bytes, staging, { allowSymlinks: true, maxBytes: LIBRARY_LIMITS.totalBytes * 2 });
      const got = await digestTree(staging);
      if (got !== digest) throw new SkillDeltaError("SD_INPUT_INVALID", `library ${digest.slice(0, 12)} unpacked to digest ${got.slice(0, 12)}`, { hint: "the stored tar is damaged; delete the key and restart the coordinator" });
      await rename(staging, dir).catch(async (e: NodeJS.ErrnoException) => {
        // another trial of this worker finished the same fetch first
        if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const { library, problems } = await loadLibrary(dir);
  if (library.digest !== digest || problems.length) {
    throw new SkillDeltaError("SD_INPUT_INVALID", `cached library ${digest.slice(0, 12)} is invalid: ${problems[0]?.message ?? `digest ${library.digest.slice(0, 12)}`}`, { file: dir, hint: "delete the worker's cache directory and retry" });
  }
  return library;
}
