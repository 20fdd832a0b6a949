/**
 * The Sandbox contract. Every provider (Docker today, Kubernetes later) behaves alike:
 * limits are applied for real or reported as not enforced, outputs are capped with a visible
 * marker, and a command never outlives its timeout.
 */

/** Resource limits of one sandbox, from task.toml `[environment]`. */
export interface SandboxLimits {
  cpus: number;
  memoryMb: number;
  /** max processes/threads in the container (fork bombs stop here) */
  pids: number;
  /** writable-layer size cap; enforcement mode is reported in `SandboxCapabilities` */
  storageMb: number;
  /** false → no network interface but loopback */
  network: boolean;
}

/** What a provider actually enforces on this host; recorded in run.json. */
export interface SandboxCapabilities {
  provider: string;
  cpuLimit: boolean;
  memoryLimit: boolean;
  pidsLimit: boolean;
  /** "storage-opt": kernel/driver quota; "watchdog": writable layer polled and trial stopped; "none" */
  storageLimit: "storage-opt" | "watchdog" | "none";
  networkIsolation: boolean;
  cgroupVersion: string;
  /** human-readable notes on anything not enforced and why */
  notes: string[];
}

export interface Mount {
  /** absolute host path */
  source: string;
  /** absolute path in the sandbox */
  target: string;
  readOnly: boolean;
}

export interface SandboxSpec {
  image: string;
  limits: SandboxLimits;
  /** labels identifying the run and trial (see core/paths `labels`) */
  labels: Record<string, string>;
  mounts?: Mount[];
  env?: Record<string, string>;
  workdir?: string;
  /** name prefix for the container, for humans reading `docker ps` */
  name?: string;
  /** empty directories (absolute; mode 0755, root) that exist before anything runs in the sandbox */
  dirs?: string[];
}

export interface ExecOptions {
  /** seconds; the command and its children are killed when it passes */
  timeoutSec?: number;
  env?: Record<string, string>;
  cwd?: string;
  user?: string;
  /** bytes kept per stream (default 64 KiB); the rest is counted and replaced by a marker */
  outputCapBytes?: number;
  /** live output, e.g. to a log file; receives only kept (capped) bytes */
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  signal?: AbortSignal;
}

export interface ExecResult {
  /** process exit code; 124 when the timeout killed it, 137 when SIGKILLed (e.g. OOM) */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** bytes dropped by the cap, per stream */
  truncatedBytes: { stdout: number; stderr: number };
  durationMs: number;
}

/** What a sandbox knows of its own health after a phase, used to classify outcomes. */
export interface SandboxHealth {
  running: boolean;
  oomKilled: boolean;
  /** writable layer bytes, when measured */
  storageBytes?: number;
  storageExceeded: boolean;
}

/** What kind of filesystem object a sandbox path is, as the container runtime sees it (links not followed). */
export interface PathStat {
  /** "other": socket, pipe or device node (no content to copy) */
  kind: "file" | "directory" | "symlink" | "other";
  size: number;
}

/** One entry of the sandbox's filesystem changes against its image (`docker diff`). */
export interface FsChange {
  /** absolute path in the sandbox */
  path: string;
  kind: "modified" | "added" | "deleted";
}

export interface Sandbox {
  readonly id: string;
  /**
   * Runs `command` with `bash -c` in the sandbox.
   * @throws SandboxError when the provider fails (not when the command fails: that is `exitCode`)
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Copies a host directory's contents into `targetDir` (created if missing). @throws SandboxError */
  upload(hostDir: string, targetDir: string): Promise<void>;
  /** Writes one file. @throws SandboxError */
  writeFile(path: string, content: string | Uint8Array, mode?: number): Promise<void>;
  /** Copies `path` (file or dir) out to `hostDir`; returns false when it does not exist. Size-capped. */
  download(path: string, hostDir: string, maxBytes?: number): Promise<boolean>;
  /** Reads one file, or undefined when it does not exist; capped at `maxBytes`. */
  readFile(path: string, maxBytes?: number): Promise<Buffer | undefined>;
  /**
   * Reads what `path` is through the container runtime (never through tools inside the
   * sandbox, which its processes could have replaced); undefined when it does not exist.
   * @throws SandboxError when the provider cannot answer
   */
  stat(path: string): Promise<PathStat | undefined>;
  /**
   * Kills every process but the sandbox's init, e.g. when the agent phase times out. With
   * `then`, runs that bash command once nothing else runs, in the same round trip where the
   * provider can, and returns its exit code (0 without `then`).
   * @throws SandboxError when the processes cannot be stopped
   */
  killAll(): Promise<void>;
  killAll(then: string | undefined): Promise<number>;
  /**
   * True when nothing runs in the sandbox but its init and keepalive, as the host sees it
   * (never asked of the sandbox's own tools); false when anything else runs or the provider
   * cannot tell (e.g. a remote daemon). A true answer lets callers skip `killAll`.
   */
  quiescent(): Promise<boolean>;
  health(): Promise<SandboxHealth>;
  /**
   * Paths changed, added or deleted in the sandbox's writable layer relative to its image
   * (parents of a changed path are listed too). Mounts are not included.
   * @throws SandboxError when the provider cannot report them
   */
  changes(): Promise<FsChange[]>;
  /**
   * Stops and removes the sandbox; idempotent; never throws. Resolves to why the removal
   * failed (the sandbox may be left behind for `skilldelta gc`), or undefined once it is gone.
   */
  destroy(): Promise<string | undefined>;
}

export interface SandboxProvider {
  readonly name: string;
  capabilities(): Promise<SandboxCapabilities>;
  /** @throws SandboxError when the sandbox cannot be created (image missing, daemon down) */
  create(spec: SandboxSpec): Promise<Sandbox>;
}
