import { readFile } from "node:fs/promises";
import PQueue from "p-queue";
import { digestTree, sha256, shortDigest } from "../core/digest.ts";
import { SandboxError, SkillDeltaError, errorMessage } from "../core/errors.ts";
import { imageNames, labels, taskPaths } from "../core/paths.ts";
import { assetCacheDir, stageAssets, taskAssets, type Task } from "../task/index.ts";
import { buildImage, localImageId } from "./build-docker.ts";
import { externalFroms, parseLocalRef, prepareDockerfile, requireLocalImages, type LocalRef } from "./build-dockerfile.ts";
import { lockOf, type ImageLock } from "./build-state.ts";
import { createResolver, resolveLocalRefs, type EnvironmentOptions, type ImageResolver } from "./environments.ts";
import { dockerClient } from "./docker-client.ts";

/**
 * Task images: a task's `environment/Dockerfile` built FROM a pinned environment, tagged
 * `skilldelta-task:<task-id>-<digest12>`. Skills never enter the image (COPY lines that bake
 * them in are commented out and a top-level `skills/` folder is left out of the context), so
 * all four conditions run on the same image and only the mounted library differs.
 */

const TASK_DIGEST_FORMAT = "skilldelta-task/1";
/** Left out of task build contexts and digests: skills are mounted per condition. */
const SKILLS_DIR = "skills";

export interface TaskImage {
  taskId: string;
  /** content tag to run, `skilldelta-task:<task-id>-<digest12>` */
  image: string;
  imageId: string;
  /** image id of the (first) FROM image, pinned in the lock */
  parentImageId: string;
  /** sha256 over the environment folder (skills/ excluded), rewritten Dockerfile, parent ids, build network, declared asset digests */
  digest: string;
  /** false when the tag already existed */
  built: boolean;
  seconds: number;
  /** Dockerfile lines commented out because they copied skills */
  neutralisedLines: number[];
  /** whether RUN steps had network access while building */
  network: "host" | "none";
}

export interface TaskImageOptions extends EnvironmentOptions {
  /** share one resolver across tasks so each environment is looked up once */
  resolver?: ImageResolver;
  /** where `[[environment.assets]]` are fetched from (default: task/assets.ts `assetCacheDir()`) */
  assetCache?: string;
}

/** Docker tags allow `[A-Za-z0-9_.-]`, at most 128 characters, not starting with `.` or `-`. */
function tagSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^[.-]/, "_").slice(0, 100);
}

/**
 * Builds (or finds) the image of one task: FROM `skilldelta-env/<name>` / `skilldelta-base`
 * pinned to content tags (building them first when missing), skill COPY lines neutralised,
 * context = the task's environment/ folder, no network unless `[environment] allow_internet`
 * (or a `network_mode` other than none), `build_timeout_sec` honoured. Declared
 * `[[environment.assets]]` are copied from the asset cache into the staged context, verified.
 * @throws SkillDeltaError SD_UNSUPPORTED (heredoc on a host without BuildKit),
 *   SD_IMAGE_BUILD_FAILED (FROM not available offline, an asset missing from the cache or
 *   corrupt there, failed step with the log tail, timeout)
 */
export async function buildTaskImage(task: Task, opts: TaskImageOptions = {}): Promise<TaskImage> {
  const started = performance.now();
  const docker = opts.docker ?? dockerClient();
  const resolver = opts.resolver ?? createResolver(opts);
  const paths = taskPaths(task.dir);
  const original = await readFile(paths.dockerfile, "utf8");

  await resolveLocalRefs(resolver, localRefs(original));
  const prepared = prepareDockerfile(original, paths.dockerfile, resolver.pin);
  const parentIds = await requireLocalImages(docker, prepared.froms, paths.dockerfile);
  const env = task.config.environment;
  const network = env.allow_internet || (env.network_mode !== undefined && env.network_mode !== "none") ? "host" : "none";

  // assets enter the digest by their declared sha256; a local copy at their dest is ignored
  // (the build replaces it with the verified cache copy). Tasks without assets keep their digests.
  const assets = taskAssets(task);
  const dests = new Set(assets.map((a) => a.dest));
  const tree = await digestTree(paths.environmentDir, (rel) => rel === SKILLS_DIR || rel === "Dockerfile" || dests.has(rel));
  const assetKeys = assets.length ? ["assets", ...assets.map((a) => `${a.dest}\u0001${a.sha256}`).sort()] : [];
  const digest = sha256([TASK_DIGEST_FORMAT, tree, prepared.text, ...parentIds, network, ...assetKeys].join("\0"));
  const image = `${imageNames.taskRepo}:${tagSafe(task.id)}-${shortDigest(digest)}`;
  const base = { taskId: task.id, image, parentImageId: parentIds[0] ?? "", digest, neutralisedLines: prepared.neutralisedLines, network } as const;

  const existing = await localImageId(docker, image);
  if (existing) return { ...base, imageId: existing, built: false, seconds: (performance.now() - started) / 1000 };

  const build = await buildImage(docker, {
    contextDir: paths.environmentDir,
    dockerfile: prepared.text,
    exclude: [SKILLS_DIR],
    tag: image,
    labels: { [labels.task]: task.id, [labels.taskDigest]: digest },
    network,
    timeoutSec: env.build_timeout_sec,
    onLog: (line) => opts.onLog?.(task.id, line),
    ...(assets.length ? { stage: (dir: string) => stageAssets(task, assetCacheDir(opts.assetCache), dir) } : {}),
  }).catch((error: unknown) => {
    // asset errors already name the task and point at task.toml
    if (error instanceof SkillDeltaError && error.message.startsWith(`task ${task.id}: `)) throw error;
    if (error instanceof SkillDeltaError) throw new SkillDeltaError(error.code, `task ${task.id}: ${error.message}`, { file: paths.dockerfile, hint: error.hint, cause: error });
    throw error;
  });
  return { ...base, imageId: build.imageId, built: true, seconds: (performance.now() - started) / 1000 };
}

function localRefs(dockerfile: string): LocalRef[] {
  return externalFroms(dockerfile).map(parseLocalRef).filter((r): r is LocalRef => r !== undefined);
}

export type TaskImageResult = ({ ok: true } & TaskImage) | { ok: false; taskId: string; error: SkillDeltaError };

/** Progress of ensureImages, for a CLI progress display. */
export type ImageProgress =
  | { kind: "environment" | "task"; name: string; phase: "start" }
  | { kind: "environment" | "task"; name: string; phase: "done"; built: boolean; seconds: number; tag: string }
  | { kind: "environment" | "task"; name: string; phase: "failed"; error: SkillDeltaError }
  | { kind: "environment" | "task"; name: string; phase: "log"; line: string };

export interface EnsureImagesOptions extends Omit<EnvironmentOptions, "onLog"> {
  /** task builds run in parallel (default 1: builds are CPU-heavy and the host is shared) */
  concurrency?: number;
  onProgress?: (event: ImageProgress) => void;
  /** where task assets are fetched from (see TaskImageOptions) */
  assetCache?: string;
}

export interface EnsureImagesResult {
  /** by task id; a failed task carries its error (with the build log tail) and the rest go on */
  tasks: Record<string, TaskImageResult>;
  /** lock data for run.json: `base` and each environment used, by name */
  environments: Record<string, ImageLock>;
  /** manifest drift and similar, to show the user */
  warnings: string[];
}

/**
 * Builds every environment the tasks need, then every task image. Never throws for one task:
 * a failed environment fails only the tasks built on it, a failed task only itself.
 */
export async function ensureImages(tasks: Task[], opts: EnsureImagesOptions = {}): Promise<EnsureImagesResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const resolver = createResolver({ ...opts, onLog: (name, line) => progress({ kind: "environment", name, phase: "log", line }) });
  const results: Record<string, TaskImageResult> = {};
  const fail = (taskId: string, error: unknown): void => {
    const err = asSkillDeltaError(error);
    results[taskId] = { ok: false, taskId, error: err };
    progress({ kind: "task", name: taskId, phase: "failed", error: err });
  };

  // environments first, each once, so their (long) builds are not attributed to one task
  const wanted = new Map<string, LocalRef>();
  const warnings: string[] = [];
  for (const task of tasks) {
    const text = await readFile(taskPaths(task.dir).dockerfile, "utf8").catch(() => "");
    const refs = localRefs(text);
    for (const ref of refs) wanted.set(ref.kind === "base" ? "base" : ref.name, ref);
    // family.toml names the environment its tasks should build FROM; a task that does not is
    // probably a copy-paste slip, and its image would lack the family's tools
    const declared = task.family.config?.environment;
    if (declared && !refs.some((r) => r.kind === "environment" && r.name === declared)) {
      warnings.push(`task ${task.id}: family ${task.family.id} declares environment \`${declared}\` but the Dockerfile does not build FROM ${imageNames.environmentRepo(declared)}`);
    }
  }
  const order = [...wanted.entries()].sort(([a], [b]) => (a === "base" ? -1 : b === "base" ? 1 : a < b ? -1 : 1));
  if (order.length && order[0]![0] !== "base") order.unshift(["base", { kind: "base" }]);
  for (const [name, ref] of order) {
    progress({ kind: "environment", name, phase: "start" });
    try {
      const b = await (ref.kind === "base" ? resolver.base() : resolver.environment(ref.name));
      progress({ kind: "environment", name, phase: "done", built: b.built, seconds: b.seconds, tag: b.tag });
    } catch (error) {
      progress({ kind: "environment", name, phase: "failed", error: asSkillDeltaError(error) });
    }
  }

  const queue = new PQueue({ concurrency: Math.max(1, opts.concurrency ?? 1) });
  await Promise.all(
    tasks.map((task) =>
      queue.add(async () => {
        progress({ kind: "task", name: task.id, phase: "start" });
        try {
          const image = await buildTaskImage(task, { ...opts, resolver, onLog: (name, line) => progress({ kind: "task", name, phase: "log", line }) });
          results[task.id] = { ok: true, ...image };
          progress({ kind: "task", name: task.id, phase: "done", built: image.built, seconds: image.seconds, tag: image.image });
        } catch (error) {
          fail(task.id, error);
        }
      }),
    ),
  );

  const environments: Record<string, ImageLock> = {};
  for (const b of resolver.resolved().sort((x, y) => (x.name < y.name ? -1 : 1))) {
    environments[b.name] = lockOf(b);
    warnings.push(...b.warnings);
  }
  return { tasks: results, environments, warnings };
}

function asSkillDeltaError(error: unknown): SkillDeltaError {
  return error instanceof SkillDeltaError ? error : new SandboxError(errorMessage(error), { cause: error });
}
