import { readFile, readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type Docker from "dockerode";
import { digestTree, sha256, shortDigest } from "../core/digest.ts";
import { SkillDeltaError } from "../core/errors.ts";
import { environmentPaths, imageNames, labels } from "../core/paths.ts";
import { buildBase } from "./build-base.ts";
import { buildImage, localImageId, runInImage, tagImage } from "./build-docker.ts";
import { externalFroms, parseLocalRef, prepareDockerfile, requireLocalImages, type LocalRef } from "./build-dockerfile.ts";
import { defaultEnvironmentsRoot, normaliseManifest, readState, recordManifest, writeState, type EnvironmentBuild } from "./build-state.ts";
import { dockerClient } from "./docker-client.ts";

export { buildBase, baseTag, type BuildBaseOptions } from "./build-base.ts";
export { BaseRecipeSchema, loadRecipe, recipeDigest, hostMirror, type BaseRecipe, type ResolvedRecipe } from "./build-recipe.ts";
export { ImageLockSchema, EnvironmentStateSchema, defaultEnvironmentsRoot, lockOf, manifestDrift, type EnvironmentBuild, type EnvironmentState, type ImageLock } from "./build-state.ts";

/**
 * Environments (DESIGN section 4): `environments/<name>/Dockerfile` built FROM the offline base
 * and tagged by content, `skilldelta-env/<name>:<digest12>`, so an unchanged environment is
 * never rebuilt and a changed one never reuses a stale image.
 */

/** Bumped when the environment digest recipe below changes meaning. */
const ENV_DIGEST_FORMAT = "skilldelta-env/1";
/** Files in an environment folder that are outputs of the build, not inputs. */
const ENV_OUTPUTS = new Set(["manifest.txt"]);

export interface EnvironmentRef {
  name: string;
  /** absolute folder holding the Dockerfile */
  dir: string;
  /** the environments root it was found under (its `.state/` holds the build state) */
  root: string;
}

export interface EnvironmentOptions {
  /**
   * Extra folders searched for `<name>/Dockerfile` before the repository's environments/
   * (e.g. test fixtures); tasks name environments, never paths.
   */
  environmentsDirs?: string[];
  /** folder with `base/recipe.toml` (default: the repository's environments/) */
  baseRoot?: string;
  docker?: Docker;
  /** seconds an environment build may take (default 1800: apt-get downloads) */
  timeoutSec?: number;
  onLog?: (name: string, line: string) => void;
}

/** The roots searched, in order: the extra ones, then the repository's environments/. */
export function environmentRoots(extra: string[] = []): string[] {
  return [...new Set([...extra.map((d) => resolve(d)), defaultEnvironmentsRoot])];
}

/** Every environment folder (a subfolder with a Dockerfile, `base` excepted) under the roots; the first root wins a name. */
export async function listEnvironments(environmentsDirs: string[] = []): Promise<EnvironmentRef[]> {
  const found = new Map<string, EnvironmentRef>();
  for (const root of environmentRoots(environmentsDirs)) {
    const names = (await readdir(root).catch(() => [] as string[])).filter((n) => !n.startsWith(".") && n !== "base").sort();
    for (const name of names) {
      const dir = environmentPaths(root).envDir(name);
      if (!found.has(name) && (await stat(join(dir, "Dockerfile")).then((s) => s.isFile(), () => false))) found.set(name, { name, dir, root });
    }
  }
  return [...found.values()];
}

/**
 * Finds one environment by name.
 * @throws SkillDeltaError SD_NOT_FOUND listing the known environments
 */
export async function findEnvironment(name: string, environmentsDirs: string[] = []): Promise<EnvironmentRef> {
  const all = await listEnvironments(environmentsDirs);
  const env = all.find((e) => e.name === name);
  if (!env) {
    throw new SkillDeltaError("SD_NOT_FOUND", `no environment \`${name}\` (known: ${all.map((e) => e.name).join(", ") || "none"})`, {
      hint: `create environments/${name}/Dockerfile starting FROM ${imageNames.base}, or fix the name`,
    });
  }
  return env;
}

/**
 * Memoised builder of the base and of environments, shared by everything one command builds,
 * so each image is looked up (or built) once even when many tasks need it at the same time.
 */
export interface ImageResolver {
  base(): Promise<EnvironmentBuild>;
  environment(name: string): Promise<EnvironmentBuild>;
  /** content tag for a SkillDelta ref (after base()/environment() resolved it) */
  pin(ref: LocalRef): string;
  /** every environment resolved so far, base included */
  resolved(): EnvironmentBuild[];
}

export function createResolver(opts: EnvironmentOptions = {}): ImageResolver {
  const pending = new Map<string, Promise<EnvironmentBuild>>();
  const done = new Map<string, EnvironmentBuild>();
  const memo = (key: string, make: () => Promise<EnvironmentBuild>): Promise<EnvironmentBuild> => {
    let p = pending.get(key);
    if (!p) {
      p = make().then((b) => (done.set(key, b), b));
      pending.set(key, p);
    }
    return p;
  };
  // `stack` carries the chain of environments being built, so FROM cycles are reported
  const environmentAt = (name: string, stack: string[]): Promise<EnvironmentBuild> =>
    memo(`env:${name}`, () => buildEnvironmentWith(name, opts, resolver, stack, environmentAt));
  const resolver: ImageResolver = {
    base: () => memo("base", () => buildBase({ root: opts.baseRoot, docker: opts.docker, onLog: (l) => opts.onLog?.("base", l) })),
    environment: (name) => environmentAt(name, []),
    pin: (ref) => {
      const b = done.get(ref.kind === "base" ? "base" : `env:${ref.name}`);
      if (!b) throw new Error(`internal: ${ref.kind} resolved before pinning`);
      return b.tag;
    },
    resolved: () => [...done.values()],
  };
  return resolver;
}

/** Resolves every SkillDelta ref among `froms` so that `resolver.pin` can name it. */
export async function resolveLocalRefs(resolver: ImageResolver, refs: LocalRef[]): Promise<void> {
  for (const ref of refs) await (ref.kind === "base" ? resolver.base() : resolver.environment(ref.name));
}

/**
 * Ensures `skilldelta-env/<name>:<digest12>` (and `:latest`) exists, building the base first if
 * needed. digest = sha256(environment folder tree, manifest.txt excluded; parent image ids).
 * After a build, `dpkg-query -W` of the image is written to `<env>/manifest.txt` (drift is a
 * warning) and the image id and timings to `<root>/.state/<name>.json`.
 * @throws SkillDeltaError SD_NOT_FOUND (unknown name), SD_UNSUPPORTED (heredoc),
 *   SD_IMAGE_BUILD_FAILED (unavailable FROM, failed step, timeout) with the log tail
 */
export async function buildEnvironment(name: string, opts: EnvironmentOptions = {}): Promise<EnvironmentBuild> {
  return createResolver(opts).environment(name);
}

async function buildEnvironmentWith(
  name: string,
  opts: EnvironmentOptions,
  resolver: ImageResolver,
  stack: string[],
  environmentAt: (name: string, stack: string[]) => Promise<EnvironmentBuild>,
): Promise<EnvironmentBuild> {
  const started = performance.now();
  const docker = opts.docker ?? dockerClient();
  const env = await findEnvironment(name, opts.environmentsDirs);
  const paths = environmentPaths(env.root);
  const file = paths.dockerfile(name);
  const original = await readFile(file, "utf8");

  // parents first: FROM skilldelta-base / skilldelta-env/<other>
  const locals = externalFroms(original).map(parseLocalRef).filter((r): r is LocalRef => r !== undefined);
  for (const ref of locals) {
    if (ref.kind === "environment" && [...stack, name].includes(ref.name)) {
      throw new SkillDeltaError("SD_INPUT_INVALID", `environments build FROM each other in a cycle: ${[...stack, name, ref.name].join(" → ")}`, { file, field: "FROM" });
    }
    await (ref.kind === "base" ? resolver.base() : environmentAt(ref.name, [...stack, name]));
  }
  const prepared = prepareDockerfile(original, file, resolver.pin);
  const parentIds = await requireLocalImages(docker, prepared.froms, file);

  const tree = await digestTree(env.dir, (rel) => ENV_OUTPUTS.has(rel));
  const digest = sha256([ENV_DIGEST_FORMAT, tree, ...parentIds].join("\0"));
  const tag = `${imageNames.environmentRepo(name)}:${shortDigest(digest)}`;
  const latest = `${imageNames.environmentRepo(name)}:latest`;
  const warnings: string[] = [];
  const parent = { tag: prepared.froms[0] ?? "scratch", image_id: parentIds[0] ?? "" };

  const existing = await localImageId(docker, tag);
  if (existing) {
    await tagImage(docker, existing, latest);
    const state = await readState(paths.state(name));
    let manifestSha256 = state?.image_id === existing ? state.manifest_sha256 : undefined;
    if (!manifestSha256) {
      const recorded = await recordManifest(paths.manifest(name), normaliseManifest(await runInImage(docker, existing, ["dpkg-query", "-W"])), tag);
      if (recorded.warning) warnings.push(recorded.warning);
      manifestSha256 = recorded.sha256;
      await writeState(paths.state(name), { version: 1, name, tag, image_id: existing, digest, manifest_sha256: manifestSha256, parent, built_at: state?.built_at ?? new Date().toISOString(), seconds: state?.seconds ?? {} });
    }
    return { name, tag, imageId: existing, digest, manifestSha256, built: false, seconds: (performance.now() - started) / 1000, warnings };
  }

  const build = await buildImage(docker, {
    contextDir: env.dir,
    dockerfile: prepared.text,
    exclude: [...ENV_OUTPUTS],
    tag,
    labels: { [labels.environment]: name },
    network: "host",
    timeoutSec: opts.timeoutSec ?? 1800,
    onLog: (line) => opts.onLog?.(name, line),
  });
  await tagImage(docker, build.imageId, latest);
  const t = performance.now();
  const recorded = await recordManifest(paths.manifest(name), normaliseManifest(await runInImage(docker, build.imageId, ["dpkg-query", "-W"])), tag);
  if (recorded.warning) warnings.push(recorded.warning);
  const seconds = { build: build.seconds, manifest: (performance.now() - t) / 1000, total: (performance.now() - started) / 1000 };
  await writeState(paths.state(name), { version: 1, name, tag, image_id: build.imageId, digest, manifest_sha256: recorded.sha256, parent, built_at: new Date().toISOString(), seconds });
  return { name, tag, imageId: build.imageId, digest, manifestSha256: recorded.sha256, built: true, seconds: seconds.total, warnings };
}

export type EnvironmentBuildResult = ({ ok: true } & EnvironmentBuild) | { ok: false; name: string; error: SkillDeltaError };

/**
 * `skilldelta env build [names...]`: the base, then each named environment (all of them when
 * `names` is empty), one after another. A failed environment is reported and the rest go on;
 * a failed base fails everything (nothing can build without it).
 */
export async function buildEnvironments(names: string[] = [], opts: EnvironmentOptions = {}): Promise<EnvironmentBuildResult[]> {
  const resolver = createResolver(opts);
  const results: EnvironmentBuildResult[] = [];
  const wrap = (name: string, error: unknown): EnvironmentBuildResult => ({
    ok: false,
    name,
    error: error instanceof SkillDeltaError ? error : new SkillDeltaError("SD_SANDBOX", error instanceof Error ? error.message : String(error), { cause: error }),
  });
  try {
    results.push({ ok: true, ...(await resolver.base()) });
  } catch (error) {
    return [wrap("base", error)];
  }
  const wanted = names.length ? names : (await listEnvironments(opts.environmentsDirs)).map((e) => e.name);
  for (const name of wanted) {
    if (name === "base") continue;
    try {
      results.push({ ok: true, ...(await resolver.environment(name)) });
    } catch (error) {
      results.push(wrap(name, error));
    }
  }
  return results;
}
