import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { errorMessage, InputError, SandboxError } from "../core/errors.ts";
import type { Lock } from "../run/index.ts";
import { PushedImageSchema, type PushedImage, type RegistryImages } from "./schema.ts";

/**
 * Task images through a Docker registry (the standard distribution registry, e.g. Debian's
 * `docker-registry`), pinned by digest. The coordinator pushes every task image of the run
 * once its images are built, and publishes `repo@sha256:…` beside the lock's image id; a worker started with
 * `--registry` pulls exactly that manifest instead of building, and accepts it only when the
 * pulled image id equals the lock's. The image id is the digest of the image config, which lists
 * the digest of every layer, so equal ids mean byte-identical filesystems and metadata.
 */

/**
 * Checks `host[:port][/namespace]` (no scheme: the Docker daemon chooses https, or plain http for
 * 127.0.0.0/8 and the daemon's `insecure-registries`). Returns it without a trailing slash.
 * @throws InputError when it has a scheme, a tag or a digest, or no host
 */
export function parseRegistry(value: string, field = "--registry"): string {
  const v = value.trim().replace(/\/+$/, "");
  const hint = "e.g. --registry 127.0.0.1:5000 or --registry registry.lab:5000/skilldelta (TLS and auth are the Docker daemon's: see docs/scaling.md)";
  if (/^[a-z]+:\/\//i.test(v)) throw new InputError(`give the registry as host:port, without \`${v.split("://")[0]}://\``, { field, hint });
  if (!/^[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(v)) throw new InputError(`not a registry address: \`${value}\``, { field, hint });
  return v;
}

/** `host[:port]` of a registry address (what credentials are looked up by). */
const hostOf = (registry: string): string => registry.split("/")[0]!;

/** Repository of a task image inside the registry: its local repository under the namespace. */
function registryRepo(registry: string, localImage: string): { repo: string; tag: string } {
  const at = localImage.lastIndexOf(":");
  const localRepo = localImage.slice(0, at);
  const ns = registry.slice(hostOf(registry).length + 1);
  return { repo: ns ? `${ns}/${localRepo}` : localRepo, tag: localImage.slice(at + 1) };
}

/**
 * Credentials for the registry: `SKILLDELTA_REGISTRY_USER`/`SKILLDELTA_REGISTRY_PASSWORD`, else a
 * plain `auths` entry written by `docker login` in ~/.docker/config.json, else none (the
 * daemon's API needs the header even then). Credential helpers are not consulted.
 */
async function authFor(registry: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const serveraddress = hostOf(registry);
  if (env.SKILLDELTA_REGISTRY_USER) return { username: env.SKILLDELTA_REGISTRY_USER, password: env.SKILLDELTA_REGISTRY_PASSWORD ?? "", serveraddress };
  const file = join(env.DOCKER_CONFIG ?? join(homedir(), ".docker"), "config.json");
  // no file or not JSON: no stored login
  const config = await readFile(file, "utf8")
    .then((t) => JSON.parse(t) as { auths?: Record<string, { auth?: string }> })
    .catch(() => undefined);
  const auth = config?.auths?.[serveraddress]?.auth;
  if (auth) {
    const [username = "", ...rest] = Buffer.from(auth, "base64").toString("utf8").split(":");
    return { username, password: rest.join(":"), serveraddress };
  }
  return {};
}

/** Reads a push/pull progress stream to its end; the daemon reports failures inside it. */
async function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<{ aux?: { Digest?: string } }[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, events: { error?: string; aux?: { Digest?: string } }[]) => {
      if (error) return reject(error);
      const failed = events.find((e) => e.error);
      if (failed) return reject(new Error(failed.error));
      resolve(events);
    });
  });
}

/** A task image the run uses, as the image resolver returned it. */
export interface LocalTaskImage {
  taskId: string;
  /** content tag, `skilldelta-task:<task>-<digest12>` */
  image: string;
  imageId: string;
}

/**
 * Pushes the given task images to the registry (layers the registry already holds are skipped by
 * the daemon, so a resumed run pays little) and returns their manifest digests. The temporary
 * `<registry>/<repo>:<tag>` tag is removed again; the image keeps its own tag.
 * @throws SandboxError naming the image and registry when an image is missing or a push fails
 */
export async function pushTaskImages(docker: Docker, images: LocalTaskImage[], registry: string, env: NodeJS.ProcessEnv = process.env): Promise<RegistryImages> {
  const authconfig = await authFor(registry, env);
  const tasks: RegistryImages["tasks"] = {};
  for (const { taskId, image, imageId } of [...images].sort((a, b) => (a.taskId < b.taskId ? -1 : 1))) {
    const { repo, tag } = registryRepo(registry, image);
    const remote = `${hostOf(registry)}/${repo}`;
    try {
      const id = (await docker.getImage(image).inspect()).Id;
      if (id !== imageId) throw new Error(`local image id ${short(id)} ≠ ${short(imageId)} (rebuilt meanwhile?)`);
      await docker.getImage(imageId).tag({ repo: remote, tag });
      const events = await follow(docker, await docker.getImage(`${remote}:${tag}`).push({ authconfig }));
      const digest = events.map((e) => e.aux?.Digest).find((d) => d);
      if (!digest) throw new Error("the daemon reported no manifest digest");
      tasks[taskId] = PushedImageSchema.parse({ repo, digest, image_id: imageId } satisfies PushedImage);
    } catch (error) {
      throw new SandboxError(`cannot push image ${image} of task ${taskId} to ${registry}: ${errorMessage(error)}`, {
        cause: error,
        hint: "is the registry running and reachable from this host? one outside 127.0.0.0/8 needs TLS or the daemon's insecure-registries; credentials come from SKILLDELTA_REGISTRY_USER/PASSWORD or `docker login`",
      });
    } finally {
      await docker.getImage(`${remote}:${tag}`).remove({ noprune: true }).catch(() => undefined);
    }
  }
  return { registry, tasks };
}

/** One task's image as a worker obtained it from the registry. */
export interface PulledImage {
  /** the lock's tag, now pointing at the pulled image */
  image: string;
  imageId: string;
  /** false when the tag already pointed at the lock's image id, so nothing was pulled */
  pulled: boolean;
}

/**
 * Makes the lock's task images available on this host from the registry, by digest: an image
 * already tagged with the lock's id is reused; otherwise `<registry>/<repo>@<digest>` is pulled,
 * its id compared with the lock's, and only then tagged with the lock's tag. `registry` is this
 * worker's address of the registry (the coordinator's may differ: a digest names the same
 * content everywhere).
 * @returns per task id the image, or the reason it cannot be used (never tagged then)
 */
export async function pullTaskImages(
  docker: Docker,
  lock: Lock,
  published: RegistryImages,
  registry: string,
  taskIds: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ images: Map<string, PulledImage>; problems: string[] }> {
  const authconfig = await authFor(registry, env);
  const images = new Map<string, PulledImage>();
  const problems: string[] = [];
  for (const taskId of taskIds) {
    const want = lock.tasks[taskId];
    const pub = published.tasks[taskId];
    if (!want) continue;
    if (!pub) {
      problems.push(`task ${taskId}: the coordinator published no registry image for it`);
      continue;
    }
    if (pub.image_id !== want.image_id) {
      problems.push(`task ${taskId}: registry image is recorded for id ${short(pub.image_id)}, the lock has ${short(want.image_id)}`);
      continue;
    }
    const here = await docker.getImage(want.image).inspect().then((i) => i.Id, () => undefined);
    if (here === want.image_id) {
      images.set(taskId, { image: want.image, imageId: here, pulled: false });
      continue;
    }
    const ref = `${hostOf(registry)}/${pub.repo}@${pub.digest}`;
    try {
      await follow(docker, await docker.pull(ref, { authconfig }));
      const got = (await docker.getImage(ref).inspect()).Id;
      if (got !== want.image_id) {
        problems.push(`task ${taskId}: pulled ${ref} has image id ${short(got)}, the run's lock has ${short(want.image_id)}; refusing to run it (wrong registry, or the registry serves other content under this digest)`);
        continue;
      }
      const at = want.image.lastIndexOf(":");
      await docker.getImage(got).tag({ repo: want.image.slice(0, at), tag: want.image.slice(at + 1) });
      images.set(taskId, { image: want.image, imageId: got, pulled: true });
    } catch (error) {
      problems.push(`task ${taskId}: cannot pull ${ref}: ${errorMessage(error).split("\n")[0]}`);
    }
  }
  return { images, problems };
}

const short = (s: string) => s.replace(/^sha256:/, "").slice(0, 12);
