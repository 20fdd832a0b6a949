import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, copyFile, mkdir, realpath, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { SkillDeltaError } from "../core/errors.ts";
import { taskPaths } from "../core/paths.ts";
import type { Task } from "./load.ts";
import type { TaskAsset } from "./schema.ts";

/**
 * Task assets (`[[environment.assets]]` in task.toml): large files kept out of git, pinned by
 * sha256 and copied into a task's image build from a local content-addressed cache.
 *
 * ```
 * ~/.cache/skilldelta/assets/       ($SKILLDELTA_ASSET_CACHE, or --asset-cache)
 *   <sha256>                        one read-only file per content digest, nothing else
 * ```
 *
 * The cache is only a store of bytes: what a task needs is its declared digest, which task.toml
 * (and so the task digest in the run lock) carries. A wrong or missing cache entry can therefore
 * never change what a task means, only stop its image from building.
 */

/** Environment variable naming the asset cache directory. */
export const ASSET_CACHE_ENV = "SKILLDELTA_ASSET_CACHE";

/** The command that puts a file into the cache, quoted in every error about a missing asset. */
export const ADD_COMMAND = "skilldelta assets add";

/**
 * The asset cache directory: `$SKILLDELTA_ASSET_CACHE`, else `$XDG_CACHE_HOME/skilldelta/assets`,
 * else `~/.cache/skilldelta/assets`. An explicit `--asset-cache` flag wins over all of these.
 */
export function assetCacheDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env[ASSET_CACHE_ENV]) return resolve(env[ASSET_CACHE_ENV]);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), ".cache"), "skilldelta", "assets");
}

/** Where the cache keeps the bytes of `sha256`. */
export function assetPath(cacheDir: string, sha256: string): string {
  return join(cacheDir, sha256);
}

/** The assets a task declares (none for most tasks). */
export function taskAssets(task: Task): TaskAsset[] {
  return task.config.environment.assets ?? [];
}

/** sha256 and size of a file, streamed (assets can be gigabytes). */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  await pipeline(createReadStream(file), async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  });
  return { sha256: hash.digest("hex"), bytes };
}

export interface AddedAsset {
  file: string;
  sha256: string;
  bytes: number;
  /** path of the cache entry */
  path: string;
  /** false when an intact entry with this digest was already there */
  added: boolean;
}

/**
 * Copies a file into the cache under its sha256 (a damaged entry with the same name is replaced).
 * The copy is hashed again before it is renamed into place, so a file that changed while it was
 * being copied never lands under the wrong digest.
 * @throws SkillDeltaError SD_NOT_FOUND when `file` is not a regular file; SD_INPUT_INVALID when it changed during the copy
 */
export async function addAsset(file: string, cacheDir: string): Promise<AddedAsset> {
  const src = resolve(file);
  const st = await stat(src).catch(() => undefined);
  if (!st?.isFile()) throw new SkillDeltaError("SD_NOT_FOUND", `${file} is not a file`, { file: src, hint: "pass the path of the media or data file to add" });
  const { sha256, bytes } = await hashFile(src);
  const path = assetPath(cacheDir, sha256);
  if ((await checkEntry(path, sha256, bytes)).state === "ok") return { file: src, sha256, bytes, path, added: false };
  await mkdir(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await copyFile(src, tmp);
    const copied = await hashFile(tmp);
    if (copied.sha256 !== sha256) throw new SkillDeltaError("SD_INPUT_INVALID", `${file} changed while it was being copied into the asset cache`, { file: src, hint: "add it again once nothing writes to it" });
    // read-only: an entry is named by its content, editing it in place would make it lie
    await chmod(tmp, 0o444);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  return { file: src, sha256, bytes, path, added: true };
}

export type AssetState = "ok" | "missing" | "corrupt";

export interface AssetStatus {
  asset: TaskAsset;
  state: AssetState;
  /** the cache entry looked at */
  path: string;
  /** what the entry holds, when it is corrupt */
  actual?: { sha256?: string; bytes: number };
}

async function checkEntry(path: string, sha256: string, bytes?: number): Promise<{ state: AssetState; actual?: { sha256?: string; bytes: number } }> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return { state: "missing" };
  if (!st.isFile()) return { state: "corrupt", actual: { bytes: st.size } };
  // a size that differs from the declared one is enough, no need to read gigabytes
  if (bytes !== undefined && st.size !== bytes) return { state: "corrupt", actual: { bytes: st.size } };
  const actual = await hashFile(path);
  return actual.sha256 === sha256 ? { state: "ok" } : { state: "corrupt", actual };
}

/** Whether the cache holds an intact copy of `asset` (size checked first, then the digest). */
export async function checkAsset(asset: TaskAsset, cacheDir: string): Promise<AssetStatus> {
  const path = assetPath(cacheDir, asset.sha256);
  return { asset, path, ...(await checkEntry(path, asset.sha256, asset.bytes)) };
}

/** The error a build reports for a missing or corrupt asset: task, asset, digest and the fix. */
export function assetError(task: Task, index: number, status: AssetStatus, cacheDir: string): SkillDeltaError {
  const { asset } = status;
  const where = { file: taskPaths(task.dir).config, field: `environment.assets[${index}] (${asset.name})` };
  if (status.state === "missing") {
    return new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `task ${task.id}: asset \`${asset.name}\` (sha256 ${asset.sha256}) is not in the asset cache ${cacheDir}`, {
      ...where,
      hint: `add the file with \`${ADD_COMMAND} <file>\`, or point --asset-cache / ${ASSET_CACHE_ENV} at the cache that holds it`,
    });
  }
  const got = status.actual?.sha256 ? `sha256 ${status.actual.sha256}, ${status.actual.bytes} bytes` : `${status.actual?.bytes ?? "?"} bytes${asset.bytes !== undefined ? ` instead of ${asset.bytes}` : ""}`;
  return new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `task ${task.id}: asset \`${asset.name}\` is corrupt in the asset cache: ${status.path} should have sha256 ${asset.sha256} but holds ${got}`, {
    ...where,
    hint: `re-add the original file with \`${ADD_COMMAND} <file>\` (it replaces the damaged entry)`,
  });
}

/**
 * Copies every asset of `task` from the cache into a staged build context at its `dest`, and
 * verifies the digest of the copy (one read per asset: what was hashed is what gets built).
 * A file already at `dest` (a local copy an author kept) is replaced by the verified bytes.
 * @throws SkillDeltaError SD_IMAGE_BUILD_FAILED naming task, asset, digest and the command that adds it
 */
export async function stageAssets(task: Task, cacheDir: string, contextDir: string): Promise<void> {
  const root = await realpath(contextDir);
  for (const [i, asset] of taskAssets(task).entries()) {
    const path = assetPath(cacheDir, asset.sha256);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) throw assetError(task, i, { asset, path, state: st ? "corrupt" : "missing", ...(st ? { actual: { bytes: st.size } } : {}) }, cacheDir);
    const dest = join(root, ...asset.dest.split("/"));
    await mkdir(dirname(dest), { recursive: true });
    // a symlinked folder in environment/ must not steer the copy outside the build context
    const parent = await realpath(dirname(dest));
    if (parent !== root && !parent.startsWith(`${root}${sep}`)) {
      throw new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `task ${task.id}: asset \`${asset.name}\` dest ${asset.dest} leads out of the build context through a symlink`, { file: taskPaths(task.dir).config, field: `environment.assets[${i}].dest`, hint: "point dest at a plain folder inside environment/" });
    }
    await rm(dest, { recursive: true, force: true });
    await copyFile(path, dest);
    await chmod(dest, 0o644);
    const copied = await hashFile(dest);
    if (copied.sha256 !== asset.sha256) throw assetError(task, i, { asset, path, state: "corrupt", actual: copied }, cacheDir);
  }
}
