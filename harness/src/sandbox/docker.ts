import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { posix } from "node:path";
import type Docker from "dockerode";
import { SandboxError } from "../core/errors.ts";
import { imageNames, labels as labelNames } from "../core/paths.ts";
import { dockerClient, requireDocker } from "./docker-client.ts";
import { DockerSandbox, KEEPALIVE_NAME, isNotFound, writableLayerBytes } from "./docker-sandbox.ts";
import { StorageWatchdog } from "./storage-watchdog.ts";
import { packDirs } from "./tar.ts";
import type { SandboxCapabilities, SandboxLimits, SandboxProvider, SandboxSpec } from "./types.ts";

export interface DockerProviderOptions {
  docker?: Docker;
  /** image used once to probe whether `--storage-opt size=` works (default skilldelta-base:latest) */
  probeImage?: string;
  /** storage watchdog poll interval, ms (default 2000; 500 near the limit) */
  watchdogIntervalMs?: number;
  watchdogNearIntervalMs?: number;
}

// Capabilities dropped on top of Docker's defaults: raw sockets, device nodes and audit writes
// are never needed by a task; the rest stays because Harbor tasks run as root and apt needs it.
const DROPPED_CAPABILITIES = ["NET_RAW", "MKNOD", "AUDIT_WRITE"];

/**
 * The Docker sandbox provider (dockerode). Limits are applied through the container's cgroup
 * (NanoCpus, Memory = MemorySwap, PidsLimit); storage through `--storage-opt size=` where the
 * storage driver supports it, else through a polling watchdog. Capabilities are probed once.
 */
export class DockerProvider implements SandboxProvider {
  readonly name = "docker";
  readonly #docker: Docker;
  readonly #options: DockerProviderOptions;
  #capabilities: Promise<SandboxCapabilities & { hostCpus: number }> | undefined;

  constructor(options: DockerProviderOptions = {}) {
    this.#options = options;
    this.#docker = options.docker ?? dockerClient();
  }

  /**
   * What this Docker host enforces; probed once per provider.
   * @throws SkillDeltaError SD_DOCKER_UNAVAILABLE when no daemon answers
   */
  async capabilities(): Promise<SandboxCapabilities> {
    const { hostCpus: _hostCpus, ...caps } = await this.#probe();
    return caps;
  }

  #probe(): Promise<SandboxCapabilities & { hostCpus: number }> {
    this.#capabilities ??= this.#detect();
    // a failed probe (daemon down) must not be cached forever
    this.#capabilities.catch(() => (this.#capabilities = undefined));
    return this.#capabilities;
  }

  async #detect(): Promise<SandboxCapabilities & { hostCpus: number }> {
    const daemon = await requireDocker(this.#docker);
    const info = (await this.#docker.info()) as Record<string, unknown>;
    const notes: string[] = [];
    const cpuLimit = info.CpuCfsQuota !== false;
    const memoryLimit = info.MemoryLimit !== false;
    const pidsLimit = info.PidsLimit !== false;
    if (!cpuLimit) notes.push("cpu: the kernel has no CFS quota; cpus is not enforced");
    if (!memoryLimit) notes.push("memory: the kernel has no memory cgroup; memory_mb is not enforced");
    if (memoryLimit && info.SwapLimit === false) notes.push("memory: no swap accounting; a container may swap beyond memory_mb");
    if (!pidsLimit) notes.push("pids: the kernel has no pids cgroup; fork bombs are not contained");
    const storageLimit = await this.#probeStorageOpt(daemon.storageDriver, info, notes);
    return {
      provider: this.name,
      cpuLimit,
      memoryLimit,
      pidsLimit,
      storageLimit,
      networkIsolation: true,
      cgroupVersion: daemon.cgroupVersion,
      notes,
      hostCpus: Number(info.NCPU ?? 1),
    };
  }

  // The daemon is the only judge of storage-opt support: it refuses the option at create time
  // where the driver cannot enforce it (overlay2 needs xfs with pquota). Probe with a container
  // that is created and removed without ever starting.
  async #probeStorageOpt(driver: string, info: Record<string, unknown>, notes: string[]): Promise<SandboxCapabilities["storageLimit"]> {
    const backing = ((info.DriverStatus as [string, string][] | undefined) ?? []).find(([k]) => k === "Backing Filesystem")?.[1] ?? "unknown";
    const image = this.#options.probeImage ?? `${imageNames.base}:latest`;
    try {
      const probe = await this.#docker.createContainer({
        Image: image,
        Cmd: ["true"],
        Labels: { "skilldelta.probe": "storage-opt" },
        HostConfig: { StorageOpt: { size: "64m" }, NetworkMode: "none" },
      });
      await probe.remove({ force: true }).catch(() => undefined);
      notes.push(`storage: enforced by the ${driver} driver (--storage-opt size=)`);
      return "storage-opt";
    } catch (error) {
      const message = (error as Error).message;
      if (isNotFound(error)) {
        notes.push(`storage: could not probe --storage-opt (image ${image} missing); using the writable-layer watchdog`);
      } else {
        notes.push(
          `storage: --storage-opt size= is not supported by ${driver} on ${backing} (${firstLine(message)}); ` +
            "a watchdog polls each container's writable layer and kills its processes when it passes storage_mb",
        );
      }
      return "watchdog";
    }
  }

  /**
   * Creates and starts a sandbox: `sleep infinity` under docker-init, limits applied, no
   * network unless `spec.limits.network`, read-only mounts as given, labelled with the owning
   * process and host so `gcLeftovers` can tell dead runs.
   * @throws SandboxError when the image is missing, a limit is invalid or Docker refuses
   */
  async create(spec: SandboxSpec): Promise<DockerSandbox> {
    const caps = await this.#probe();
    const limits = applicableLimits(spec.limits, caps.hostCpus);
    const useStorageOpt = caps.storageLimit === "storage-opt" && limits.storageMb > 0;
    for (const mount of spec.mounts ?? []) {
      if (!posix.isAbsolute(mount.source) || !posix.isAbsolute(mount.target)) {
        throw new SandboxError(`mount paths must be absolute: ${mount.source} -> ${mount.target}`, { field: "mounts" });
      }
    }
    for (const dir of spec.dirs ?? []) {
      if (!posix.isAbsolute(dir)) throw new SandboxError(`sandbox directories must be absolute: ${dir}`, { field: "dirs" });
    }
    const name = `${(spec.name ?? "skilldelta").replace(/[^a-zA-Z0-9_.-]/g, "-").slice(0, 60)}-${randomBytes(3).toString("hex")}`;
    const memoryBytes = Math.round(limits.memoryMb * 1024 * 1024);
    let container: Docker.Container;
    try {
      container = await this.#docker.createContainer({
        name,
        Image: spec.image,
        // argv[0] marks the keepalive so killAll can spare it
        Cmd: ["bash", "-c", `exec -a ${KEEPALIVE_NAME} sleep infinity`],
        Entrypoint: [],
        Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
        WorkingDir: spec.workdir,
        User: "0:0",
        Tty: false,
        OpenStdin: false,
        Labels: { ...spec.labels, [labelNames.pid]: String(process.pid), [labelNames.host]: hostname() },
        HostConfig: {
          Init: true,
          NetworkMode: limits.network ? "bridge" : "none",
          NanoCpus: Math.round(limits.cpus * 1e9),
          Memory: memoryBytes,
          MemorySwap: memoryBytes,
          PidsLimit: limits.pids,
          StorageOpt: useStorageOpt ? { size: `${limits.storageMb}m` } : undefined,
          SecurityOpt: ["no-new-privileges"],
          CapDrop: DROPPED_CAPABILITIES,
          IpcMode: "private",
          Mounts: (spec.mounts ?? []).map((m) => ({ Type: "bind" as const, Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
          LogConfig: { Type: "json-file", Config: { "max-size": "1m" } },
        },
      });
    } catch (error) {
      if (isNotFound(error)) {
        throw new SandboxError(`image ${spec.image} is not on this Docker host`, {
          cause: error,
          field: "image",
          hint: "build it with `skilldelta env build` (environments and task images), then retry",
        });
      }
      throw new SandboxError(`cannot create a sandbox from ${spec.image}: ${firstLine((error as Error).message)}`, {
        cause: error,
        hint: "check the limits in task.toml [environment] and that mount sources exist",
      });
    }
    try {
      // Copied in before start: one archive upload instead of a `mkdir` exec once running.
      if (spec.dirs?.length) await container.putArchive(packDirs(spec.dirs), { path: "/" });
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw new SandboxError(`cannot start a sandbox from ${spec.image}: ${firstLine((error as Error).message)}`, {
        cause: error,
        hint: "the image needs bash and coreutils (sleep, timeout); SkillDelta environments have both",
      });
    }
    const watchdog =
      caps.storageLimit === "watchdog" && limits.storageMb > 0
        ? new StorageWatchdog({
            limitBytes: limits.storageMb * 1024 * 1024,
            measure: () => writableLayerBytes(container),
            onExceeded: () => sandbox.killAll(),
            intervalMs: this.#options.watchdogIntervalMs,
            nearIntervalMs: this.#options.watchdogNearIntervalMs,
          })
        : undefined;
    const sandbox: DockerSandbox = new DockerSandbox({
      container,
      limits,
      storageEnforcement: limits.storageMb > 0 ? caps.storageLimit : "none",
      watchdog,
      cgroupVersion: caps.cgroupVersion,
    });
    watchdog?.start();
    return sandbox;
  }
}

/**
 * Validates limits and fits them to the host: cpus above the host's count are clamped (Docker
 * refuses them); storageMb ≤ 0 means no storage limit.
 * @throws SandboxError for non-positive cpus, memory under 6 MB (Docker's minimum) or pids < 1
 */
export function applicableLimits(limits: SandboxLimits, hostCpus: number): SandboxLimits {
  if (!(limits.cpus > 0)) throw new SandboxError(`cpus must be positive, got ${limits.cpus}`, { field: "cpus" });
  if (!(limits.memoryMb >= 6)) throw new SandboxError(`memory_mb must be at least 6, got ${limits.memoryMb}`, { field: "memory_mb" });
  if (!(limits.pids >= 1)) throw new SandboxError(`pids must be at least 1, got ${limits.pids}`, { field: "pids" });
  return { ...limits, cpus: Math.min(limits.cpus, hostCpus), pids: Math.floor(limits.pids) };
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? text;
}
