import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type Docker from "dockerode";
import { create as createTar } from "tar";
import { SandboxError, SkillDeltaError, errorMessage } from "../core/errors.ts";

/**
 * The Docker operations image building needs, on top of dockerode: look up, tag, build with
 * a captured log and a timeout, and read a package manifest out of an image.
 */

/** Lines of build output shown in a failure message. */
export const LOG_TAIL_LINES = 30;
/** Lines of build output kept in memory per build (the rest is only streamed to `onLog`). */
const LOG_KEEP_LINES = 2000;

/** Image id (`sha256:...`) of a local image, or undefined when it is not present. */
export async function localImageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    const info = await docker.getImage(ref).inspect();
    return info.Id;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw new SandboxError(`cannot inspect image ${ref}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Splits `repo:tag` (a registry port such as `host:5000/x` is not a tag). */
export function splitRef(ref: string): { repo: string; tag: string } {
  const at = ref.lastIndexOf(":");
  if (at > ref.lastIndexOf("/")) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
  return { repo: ref, tag: "latest" };
}

/** Points `ref` at `imageId` unless it already does (so re-tagging is free when nothing changed). */
export async function tagImage(docker: Docker, imageId: string, ref: string): Promise<void> {
  if ((await localImageId(docker, ref)) === imageId) return;
  const { repo, tag } = splitRef(ref);
  await docker.getImage(imageId).tag({ repo, tag });
}

export interface BuildRequest {
  /** directory sent as the build context (copied; never modified) */
  contextDir: string;
  /** Dockerfile text that replaces `Dockerfile` in the context */
  dockerfile: string;
  /** top-level context entries left out of the copy (e.g. `skills`, `manifest.txt`) */
  exclude?: string[];
  tag: string;
  labels: Record<string, string>;
  /** `host` lets RUN steps reach the apt mirror; `none` builds offline */
  network: "host" | "none";
  timeoutSec: number;
  onLog?: (line: string) => void;
  /** adds files to the staged copy of the context before it is sent (task assets) */
  stage?: (stagingDir: string) => Promise<void>;
}

export interface BuildOutcome {
  imageId: string;
  seconds: number;
  /** last lines of the build output (at most LOG_KEEP_LINES) */
  log: string[];
}

/**
 * Builds an image with the daemon's builder (legacy on docker.io 20.10: no BuildKit features),
 * never pulling: every FROM must already be local, so nothing comes from a registry.
 * @throws SkillDeltaError SD_IMAGE_BUILD_FAILED with the log tail (failed step or timeout)
 */
export async function buildImage(docker: Docker, req: BuildRequest): Promise<BuildOutcome> {
  const started = performance.now();
  const staging = await mkdtemp(join(tmpdir(), "skilldelta-ctx-"));
  const log: string[] = [];
  const push = (text: string): void => {
    for (const line of text.replace(/\r/g, "").split("\n")) {
      if (!line.trim()) continue;
      log.push(line);
      if (log.length > LOG_KEEP_LINES) log.shift();
      req.onLog?.(line);
    }
  };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), req.timeoutSec * 1000);
  try {
    const skip = new Set(["Dockerfile", ...(req.exclude ?? [])]);
    await cp(req.contextDir, staging, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => {
        const rel = src.slice(req.contextDir.length).replace(/^[/\\]+/, "");
        return rel === "" || !skip.has(rel);
      },
    });
    await req.stage?.(staging);
    await writeFile(join(staging, "Dockerfile"), req.dockerfile);
    // node-tar yields a minipass stream; Readable.from gives dockerode the Node stream it pipes
    const context = Readable.from(createTar({ cwd: staging, portable: true }, ["."]));
    let imageId: string | undefined;
    let failure: string | undefined;
    const stream: NodeJS.ReadableStream = await docker.buildImage(context, {
      t: req.tag,
      labels: req.labels,
      networkmode: req.network,
      rm: true,
      forcerm: true,
      pull: false,
      abortSignal: abort.signal,
    } as Docker.ImageBuildOptions);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err) => (err ? reject(err) : resolve()),
        (event: { stream?: string; error?: string; errorDetail?: { message?: string }; aux?: { ID?: string }; status?: string }) => {
          if (event.stream) push(event.stream);
          if (event.status) push(event.status);
          if (event.aux?.ID) imageId = event.aux.ID;
          if (event.error) {
            failure = event.errorDetail?.message ?? event.error;
            push(`ERROR: ${failure}`);
          }
        },
      );
    }).catch((error: unknown) => {
      failure = abort.signal.aborted ? `build timed out after ${req.timeoutSec} s` : errorMessage(error);
    });
    if (abort.signal.aborted) failure = `build timed out after ${req.timeoutSec} s`;
    if (failure || !imageId) {
      throw new SkillDeltaError("SD_IMAGE_BUILD_FAILED", `docker build of ${req.tag} failed: ${failure ?? "no image id reported"}\n${tail(log)}`, {
        hint: abort.signal.aborted ? "raise [environment] build_timeout_sec or make the build lighter" : "fix the failing step shown above; the full log streams with --verbose",
      });
    }
    return { imageId, seconds: (performance.now() - started) / 1000, log };
  } finally {
    clearTimeout(timer);
    await rm(staging, { recursive: true, force: true });
  }
}

/** The last LOG_TAIL_LINES lines, indented, for error messages. */
export function tail(log: string[], lines = LOG_TAIL_LINES): string {
  return log.slice(-lines).map((l) => `  | ${l}`).join("\n");
}

/**
 * Runs one command in a throwaway, network-less container of `image` and returns its stdout.
 * Used to read `dpkg-query -W` from built images without changing them.
 * @throws SandboxError when the command exits non-zero
 */
export async function runInImage(docker: Docker, image: string, cmd: string[]): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Entrypoint: [],
    NetworkDisabled: true,
    HostConfig: { NetworkMode: "none" },
    Labels: { "skilldelta.purpose": "manifest" },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const { stdout, stderr } = demux(raw);
    if (StatusCode !== 0) throw new SandboxError(`\`${cmd.join(" ")}\` in ${image} exited ${StatusCode}: ${stderr.trim()}`);
    return stdout;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Splits Docker's multiplexed log stream (8-byte frame headers) into stdout and stderr. */
function demux(buf: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const kind = buf[i];
    const size = buf.readUInt32BE(i + 4);
    const chunk = buf.subarray(i + 8, i + 8 + size);
    (kind === 2 ? err : out).push(chunk);
    i += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
