import { constants } from "node:fs";
import { access, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";
import type Docker from "dockerode";
import { execa } from "execa";
import { shortDigest } from "../core/digest.ts";
import { SkillDeltaError, errorMessage } from "../core/errors.ts";
import { environmentPaths, imageNames, labels } from "../core/paths.ts";
import { localImageId, runInImage, tagImage, tail } from "./build-docker.ts";
import { loadRecipe, recipeDigest, type ResolvedRecipe } from "./build-recipe.ts";
import { defaultEnvironmentsRoot, normaliseManifest, readState, recordManifest, writeState, type EnvironmentBuild } from "./build-state.ts";
import { dockerClient } from "./docker-client.ts";

export interface BuildBaseOptions {
  /** folder holding `base/recipe.toml` (default: the repository's environments/) */
  root?: string;
  docker?: Docker;
  /** debootstrap executable (name on PATH or absolute path) */
  debootstrap?: string;
  /** host apt configuration the default mirror is read from */
  aptDir?: string;
  /** seconds debootstrap may take */
  timeoutSec?: number;
  onLog?: (line: string) => void;
}

/** The content tag a recipe builds to, without building anything. */
export async function baseTag(root = defaultEnvironmentsRoot, aptDir?: string): Promise<{ tag: string; digest: string; recipe: ResolvedRecipe }> {
  const recipe = await loadRecipe(environmentPaths(root).baseRecipe, aptDir);
  const digest = recipeDigest(recipe);
  return { tag: `${imageNames.base}:${shortDigest(digest)}`, digest, recipe };
}

/**
 * Ensures the offline base image for `environments/base/recipe.toml` exists, tagged
 * `skilldelta-base:<digest12>` and `skilldelta-base:latest`. When the content tag exists
 * this is a lookup; otherwise debootstrap builds a rootfs that `docker import` turns into
 * the image, and `dpkg-query -W` is recorded in `environments/base/manifest.txt`.
 * @throws SkillDeltaError SD_UNSUPPORTED when debootstrap is missing or not running as root,
 *   SD_IMAGE_BUILD_FAILED with the log tail when debootstrap or the import fails
 */
export async function buildBase(opts: BuildBaseOptions = {}): Promise<EnvironmentBuild> {
  const started = performance.now();
  const docker = opts.docker ?? dockerClient();
  const root = opts.root ?? defaultEnvironmentsRoot;
  const paths = environmentPaths(root);
  const { tag, digest, recipe } = await baseTag(root, opts.aptDir);
  const latest = `${imageNames.base}:latest`;
  const warnings: string[] = [];

  const existing = await localImageId(docker, tag);
  if (existing) {
    await tagImage(docker, existing, latest);
    const state = await readState(paths.state("base"));
    let manifestSha256 = state?.image_id === existing ? state.manifest_sha256 : undefined;
    if (!manifestSha256) {
      // image built elsewhere (or state lost): read its packages from the image itself
      const recorded = await recordManifest(paths.baseManifest, normaliseManifest(await runInImage(docker, existing, ["dpkg-query", "-W"])), tag);
      if (recorded.warning) warnings.push(recorded.warning);
      manifestSha256 = recorded.sha256;
    }
    return { name: "base", tag, imageId: existing, digest, manifestSha256, built: false, seconds: (performance.now() - started) / 1000, warnings };
  }

  const debootstrap = await requireDebootstrap(opts.debootstrap ?? "debootstrap");
  const log: string[] = [];
  const onLine = (line: string): void => {
    log.push(line);
    if (log.length > 500) log.shift();
    opts.onLog?.(line);
  };
  const rootfs = await mkdtemp(join(tmpdir(), "skilldelta-rootfs-"));
  const seconds: Record<string, number> = {};
  try {
    let t = performance.now();
    const args = [`--variant=${recipe.variant}`, `--components=${recipe.components.join(",")}`];
    if (recipe.include.length) args.push(`--include=${recipe.include.join(",")}`);
    args.push(recipe.suite, rootfs, recipe.mirror);
    onLine(`$ debootstrap ${args.join(" ")}`);
    const run = execa(debootstrap, args, { all: true, reject: false, timeout: (opts.timeoutSec ?? 1800) * 1000, env: { LC_ALL: "C" } });
    for await (const line of run.iterable({ from: "all" })) onLine(String(line));
    const result = await run;
    if (result.exitCode !== 0) {
      const debootstrapLog = await readFile(join(rootfs, "debootstrap", "debootstrap.log"), "utf8").catch(() => "");
      throw new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `debootstrap of ${recipe.suite} from ${recipe.mirror} failed (${result.timedOut ? "timed out" : `exit ${result.exitCode}`})\n${tail([...log, ...debootstrapLog.split("\n").filter(Boolean).slice(-15)])}`, {
        file: paths.baseRecipe,
        hint: `check that ${recipe.mirror} is reachable (mirror taken from ${recipe.mirrorSource}) and serves ${recipe.suite}`,
      });
    }
    seconds.debootstrap = (performance.now() - t) / 1000;

    await tidyRootfs(rootfs);
    t = performance.now();
    const manifest = normaliseManifest((await execa("dpkg-query", [`--admindir=${join(rootfs, "var/lib/dpkg")}`, "-W"])).stdout);
    seconds.manifest = (performance.now() - t) / 1000;

    t = performance.now();
    const imageId = await importRootfs(docker, rootfs, tag, onLine);
    seconds.import = (performance.now() - t) / 1000;
    await tagImage(docker, imageId, latest);

    const recorded = await recordManifest(paths.baseManifest, manifest, tag);
    if (recorded.warning) warnings.push(recorded.warning);
    seconds.total = (performance.now() - started) / 1000;
    await writeState(paths.state("base"), {
      version: 1,
      name: "base",
      tag,
      image_id: imageId,
      digest,
      manifest_sha256: recorded.sha256,
      built_at: new Date().toISOString(),
      seconds,
    });
    return { name: "base", tag, imageId, digest, manifestSha256: recorded.sha256, built: true, seconds: seconds.total, warnings };
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

/**
 * Removes what debootstrap leaves that is host-specific or pure cache, so the image carries
 * neither the build host's identity nor downloaded .debs.
 */
async function tidyRootfs(rootfs: string): Promise<void> {
  const emptyDir = async (dir: string, keep: (name: string) => boolean = () => false): Promise<void> => {
    const names = await readdir(join(rootfs, dir)).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => !keep(n)).map((n) => rm(join(rootfs, dir, n), { recursive: true, force: true })));
  };
  await emptyDir("var/cache/apt/archives", (n) => n === "partial" || n === "lock");
  await emptyDir("var/lib/apt/lists", (n) => n === "partial" || n === "lock");
  await emptyDir("var/log");
  await rm(join(rootfs, "debootstrap"), { recursive: true, force: true });
  // Docker bind-mounts these at run time; what debootstrap copied in is the build host's
  await writeFile(join(rootfs, "etc/hostname"), "");
  await rm(join(rootfs, "etc/resolv.conf"), { force: true });
  await writeFile(join(rootfs, "etc/resolv.conf"), "");
}

/**
 * `tar -c rootfs | docker import -`: the system tar (it keeps owners, modes, hard links and
 * xattrs exactly) streamed into dockerode's importImage, with the metadata an image needs.
 */
async function importRootfs(docker: Docker, rootfs: string, tag: string, onLine: (line: string) => void): Promise<string> {
  const tar = execa("tar", ["--numeric-owner", "--xattrs", "-C", rootfs, "--exclude=./dev/*", "--exclude=./proc/*", "--exclude=./sys/*", "-cf", "-", "."], {
    buffer: { stdout: false },
    encoding: "buffer",
  });
  const [repo, version] = tag.split(":") as [string, string];
  const changes = [
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    'CMD ["bash"]',
    `LABEL ${labels.environment}=base`,
  ];
  try {
    const stream = await docker.importImage(tar.stdout, { repo, tag: version, changes } as unknown as Record<string, unknown>);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve()), (event: { status?: string; error?: string }) => {
        if (event.error) reject(new Error(event.error));
        else if (event.status) onLine(event.status);
      });
    });
    await tar;
  } catch (error) {
    tar.kill();
    throw new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `docker import of the rootfs as ${tag} failed: ${errorMessage(error)}`, {
      cause: error,
      hint: "check the Docker daemon's free disk space and logs",
    });
  }
  const id = await localImageId(docker, tag);
  if (!id) throw new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `docker import reported success but ${tag} is missing`);
  return id;
}

/**
 * Finds debootstrap and checks it can run (it needs root to create device nodes and chroot).
 * @throws SkillDeltaError SD_UNSUPPORTED with an install hint
 */
async function requireDebootstrap(command: string): Promise<string> {
  const candidates = isAbsolute(command)
    ? [command]
    : [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/sbin"].filter(Boolean).map((d) => join(d, command));
  let found: string | undefined;
  for (const candidate of candidates) {
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) {
      found = candidate;
      break;
    }
  }
  if (!found) {
    throw new SkillDeltaError("SD_UNSUPPORTED", `debootstrap is not installed (looked for \`${command}\`), so the base image cannot be built`, {
      hint: "install it (Debian/Ubuntu: apt-get install debootstrap debian-archive-keyring) or load a prebuilt skilldelta-base image with docker load",
    });
  }
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new SkillDeltaError("SD_UNSUPPORTED", "debootstrap must run as root to build the base image", {
      hint: "run `sudo skilldelta env build base` once; later builds reuse the image",
    });
  }
  return found;
}
