import { readFile as readHostFile, stat } from "node:fs/promises";
import { posix } from "node:path";
import type Docker from "dockerode";
import { SandboxError } from "../core/errors.ts";
import { quickExec, runExec } from "./docker-exec.ts";
import { overlayChanges } from "./overlay-changes.ts";
import type { StorageWatchdog, WatchdogStats } from "./storage-watchdog.ts";
import { extractArchive, packDirectory, packFile, readFirstEntry } from "./tar.ts";
import type { ExecOptions, ExecResult, FsChange, PathStat, Sandbox, SandboxCapabilities, SandboxHealth, SandboxLimits } from "./types.ts";

/** argv[0] of the process that keeps the container alive; `killAll` spares it. */
export const KEEPALIVE_NAME = "skilldelta-keepalive";
/** Default caps for `download` and `readFile`. */
export const DEFAULT_DOWNLOAD_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_READ_MAX_BYTES = 1024 * 1024;

// Builtins only: `kill`, `read`, `set`, globbing and redirections fork nothing, so this runs even
// when a fork bomb holds every pid the cgroup allows (runc attaches the exec itself outside
// pids.max). Several rounds catch children forked while the previous round was killing.
// Only the first-started process named like the keepalive is spared (start time, field 22 of
// /proc/<pid>/stat, counted after the command name, which may hold spaces): an agent's process
// taking that name started later and is killed.
const KILL_LOOP = [
  "ka=; kt=",
  "for p in /proc/[0-9]*; do p=${p#/proc/}",
  "a0=; IFS= read -r -d '' a0 < /proc/$p/cmdline",
  `[ "$a0" = ${KEEPALIVE_NAME} ] || continue`,
  'st=; read -r st < /proc/$p/stat; st=${st##*) }; set -- $st',
  '{ [ -z "$kt" ] || [ "${20}" -lt "$kt" ]; } && { kt=${20}; ka=$p; }',
  "done 2>/dev/null",
  "for round in 1 2 3 4 5 6 7 8; do n=0",
  "for p in /proc/[0-9]*; do p=${p#/proc/}",
  '{ [ "$p" = 1 ] || [ "$p" = "$$" ] || [ "$p" = "$ka" ]; } && continue',
  // no keepalive found by start time (unexpected): spare it by name rather than stop the sandbox
  'if [ -z "$ka" ]; then a0=; IFS= read -r -d \'\' a0 < /proc/$p/cmdline; [ "$a0" = ' + KEEPALIVE_NAME + ' ] && continue; fi',
  'kill -9 "$p" && n=$((n+1))',
  "done 2>/dev/null",
  '[ "$n" = 0 ] && break; done',
].join("; ");
const KILL_ALL_SCRIPT = `${KILL_LOOP}; exit 0`;
// Printed (builtin) once the kill loop is over, so a failing follow-up command is told apart
// from a kill that never ran.
const KILLED_MARK = "skilldelta-killed";
/** The kill loop followed by `then` in a subshell, in one exec; exits with `then`'s status. */
function killThenScript(then: string): string {
  return `${KILL_LOOP}; printf '%s\\n' ${KILLED_MARK}; (${then})`;
}
/** How long the follow-up command of `killAll(then)` may take (it was its own 60 s exec before). */
const KILL_THEN_DEADLINE_MS = 75_000;

// Reads the cgroup's OOM-kill counter from inside (v1 memory.oom_control, v2 memory.events).
const OOM_COUNT_SCRIPT = [
  "for f in /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events; do",
  '[ -r "$f" ] || continue',
  'while read -r k v; do [ "$k" = oom_kill ] && echo "$v"; done < "$f"; exit 0; done; exit 3',
].join(" ");

export interface DockerSandboxInit {
  container: Docker.Container;
  /** limits as applied (cpus may be clamped to the host's CPU count) */
  limits: SandboxLimits;
  storageEnforcement: SandboxCapabilities["storageLimit"];
  watchdog?: StorageWatchdog;
  cgroupVersion: string;
}

/** One Docker container behind the `Sandbox` contract. Create it with `DockerProvider.create`. */
export class DockerSandbox implements Sandbox {
  readonly id: string;
  /** the limits actually applied to the container */
  readonly limits: SandboxLimits;
  readonly storageEnforcement: SandboxCapabilities["storageLimit"];
  readonly #container: Docker.Container;
  readonly #watchdog: StorageWatchdog | undefined;
  readonly #cgroupVersion: string;
  #destroyed = false;
  // sticky: an OOM kill stays true even if counters reset (container restart)
  #oomSeen = false;

  constructor(init: DockerSandboxInit) {
    this.#container = init.container;
    this.id = init.container.id;
    this.limits = init.limits;
    this.storageEnforcement = init.storageEnforcement;
    this.#watchdog = init.watchdog;
    this.#cgroupVersion = init.cgroupVersion;
  }

  /** Cost of storage polling so far, when the watchdog enforces the storage limit. */
  get watchdogStats(): WatchdogStats | undefined {
    return this.#watchdog ? { ...this.#watchdog.stats } : undefined;
  }

  /** @inheritdoc */
  async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    this.#assertAlive();
    return await runExec(this.#container, command, options);
  }

  /** @inheritdoc */
  async upload(hostDir: string, targetDir: string): Promise<void> {
    this.#assertAlive();
    const info = await stat(hostDir).catch(() => undefined);
    if (!info?.isDirectory()) throw new SandboxError(`upload source is not a directory: ${hostDir}`, { file: hostDir });
    await this.#put(await packDirectory(hostDir, targetDir), targetDir);
  }

  /** @inheritdoc */
  async writeFile(path: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
    this.#assertAlive();
    await this.#put(await packFile(path, content, mode), path);
  }

  async #put(archive: NodeJS.ReadableStream, target: string): Promise<void> {
    try {
      await this.#container.putArchive(archive, { path: "/" });
    } catch (error) {
      throw new SandboxError(`cannot copy into the sandbox at ${target}: ${(error as Error).message}`, {
        cause: error,
        hint: "the target may be on a read-only mount or under a path that is a file",
      });
    }
  }

  /** @inheritdoc */
  async download(path: string, hostDir: string, maxBytes = DEFAULT_DOWNLOAD_MAX_BYTES): Promise<boolean> {
    this.#assertAlive();
    const pathStat = await this.#statPath(path);
    if (!pathStat) return false;
    // Docker archives a symlink itself, which the extractor refuses; follow it once, inside the sandbox
    const source = pathStat.linkTarget ? pathStat.linkTarget : path;
    const isDirectory = ((pathStat.mode >>> 31) & 1) === 1;
    try {
      const archive = await this.#container.getArchive({ path: source });
      await extractArchive(archive, hostDir, isDirectory, maxBytes, `sandbox path ${path}`);
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      if (isNotFound(error)) return false;
      throw new SandboxError(`cannot copy ${path} out of the sandbox: ${(error as Error).message}`, { cause: error });
    }
    return true;
  }

  async #statPath(path: string): Promise<{ mode: number; size: number; linkTarget: string } | undefined> {
    try {
      const response = (await this.#container.infoArchive({ path })) as { headers?: Record<string, string>; resume?: () => void };
      response.resume?.();
      const raw = response.headers?.["x-docker-container-path-stat"];
      if (!raw) return { mode: 0, size: 0, linkTarget: "" };
      const parsed = JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as { mode: number; size?: number; linkTarget?: string };
      return { mode: parsed.mode, size: parsed.size ?? 0, linkTarget: parsed.linkTarget ?? "" };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new SandboxError(`cannot stat ${path} in the sandbox: ${(error as Error).message}`, { cause: error });
    }
  }

  /** @inheritdoc  @throws SandboxError when `path` is a directory */
  async readFile(path: string, maxBytes = DEFAULT_READ_MAX_BYTES): Promise<Buffer | undefined> {
    this.#assertAlive();
    let current = path;
    for (let hop = 0; hop < 8; hop++) {
      let archive: NodeJS.ReadableStream;
      try {
        archive = await this.#container.getArchive({ path: current });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw new SandboxError(`cannot read ${path} in the sandbox: ${(error as Error).message}`, { cause: error });
      }
      const entry = await readFirstEntry(archive, maxBytes);
      if (!entry) return undefined;
      if (entry.kind === "file") return entry.data;
      if (entry.kind === "symlink") {
        current = posix.resolve(posix.dirname(current), entry.target);
        continue;
      }
      throw new SandboxError(`${path} in the sandbox is a ${entry.kind === "directory" ? "directory" : entry.type}, not a file`, { field: "path" });
    }
    throw new SandboxError(`${path} in the sandbox: too many levels of symbolic links`, { field: "path" });
  }

  /** @inheritdoc */
  async stat(path: string): Promise<PathStat | undefined> {
    this.#assertAlive();
    const st = await this.#statPath(path);
    if (!st) return undefined;
    return { kind: kindOfMode(st.mode, st.linkTarget), size: st.size };
  }

  /**
   * @inheritdoc
   * Falls back to restarting the container (its files stay; only processes go) when no exec
   * can start, e.g. the daemon refuses it; `then` then runs in its own exec.
   */
  async killAll(): Promise<void>;
  async killAll(then: string | undefined): Promise<number>;
  async killAll(then?: string): Promise<number | void> {
    if (this.#destroyed) return 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        if (then === undefined) {
          const { exitCode } = await quickExec(this.#container, ["bash", "-c", KILL_ALL_SCRIPT], 15_000);
          if (exitCode === 0) return 0;
        } else {
          const { exitCode, output } = await quickExec(this.#container, ["bash", "-c", killThenScript(then)], KILL_THEN_DEADLINE_MS);
          // the kill loop finished: whatever `then` did is its own result, not a reason to kill again
          if (output.includes(KILLED_MARK)) return exitCode;
        }
      } catch {
        // fall through to retry
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.#oomCount().then((n) => (this.#oomSeen ||= (n ?? 0) > 0)).catch(() => undefined);
    try {
      await this.#container.kill({ signal: "SIGKILL" }).catch(() => undefined);
      await this.#container.start();
    } catch (error) {
      throw new SandboxError(`cannot stop the processes of sandbox ${this.id.slice(0, 12)}: ${(error as Error).message}`, { cause: error });
    }
    if (then === undefined) return 0;
    return (await quickExec(this.#container, ["bash", "-c", then], KILL_THEN_DEADLINE_MS).catch(() => ({ exitCode: -1 }))).exitCode;
  }

  /**
   * @inheritdoc
   * Reads the container's pids cgroup on this host: exactly two processes, one being the
   * container's init (pid 1 inside) and the other its child named `KEEPALIVE_NAME`. The
   * keepalive is init's only child from the start and init exits with it, so a second
   * process with that name still makes three. Any unreadable file answers false.
   */
  async quiescent(): Promise<boolean> {
    if (this.#destroyed) return false;
    const pids = await this.#cgroupProcs();
    if (pids?.length !== 2) return false;
    const procs = await Promise.all(pids.map(hostProcess));
    const init = procs.find((p) => p?.nsPid === 1);
    const keepalive = procs.find((p) => p !== init && p?.argv0 === KEEPALIVE_NAME && p.ppid === init?.pid);
    return Boolean(init && keepalive);
  }

  // cgroup.procs lists pids as seen from the reader's pid namespace, so they match our /proc.
  async #cgroupProcs(): Promise<number[] | undefined> {
    const candidates =
      this.#cgroupVersion === "2"
        ? [`/sys/fs/cgroup/system.slice/docker-${this.id}.scope/cgroup.procs`, `/sys/fs/cgroup/docker/${this.id}/cgroup.procs`]
        : [`/sys/fs/cgroup/pids/docker/${this.id}/cgroup.procs`, `/sys/fs/cgroup/pids/system.slice/docker-${this.id}.scope/cgroup.procs`];
    for (const file of candidates) {
      const text = await readHostFile(file, "utf8").catch(() => undefined);
      if (text !== undefined) return text.split("\n").filter(Boolean).map(Number);
    }
    return undefined;
  }

  /** @inheritdoc */
  async health(): Promise<SandboxHealth> {
    let running = false;
    try {
      const info = await this.#container.inspect();
      running = info.State.Running;
      // Docker sets OOMKilled only when the container's init dies of OOM; an exec'd
      // process killed by the cgroup OOM killer shows only in the cgroup's oom_kill counter
      this.#oomSeen ||= info.State.OOMKilled;
    } catch {
      running = false;
    }
    if (running) this.#oomSeen ||= ((await this.#oomCount().catch(() => undefined)) ?? 0) > 0;
    let storageBytes: number | undefined;
    if (this.#watchdog) storageBytes = (await this.#watchdog.check()) ?? this.#watchdog.lastBytes;
    else if (!this.#destroyed) storageBytes = await writableLayerBytes(this.#container).catch(() => undefined);
    return { running, oomKilled: this.#oomSeen, storageBytes, storageExceeded: this.#watchdog?.exceeded ?? false };
  }

  /** @inheritdoc */
  async changes(): Promise<FsChange[]> {
    this.#assertAlive();
    // Read from the overlay directories when this host has them and the agent deleted nothing
    // of the image (see overlay-changes.ts); otherwise Docker lists them.
    const local = await this.#container
      .inspect()
      .then((info) => (info.GraphDriver?.Name === "overlay2" && info.State.Running ? overlayChanges(info.GraphDriver.Data as { UpperDir?: string; LowerDir?: string; MergedDir?: string }) : undefined))
      .catch(() => undefined);
    if (local) return local;
    try {
      // Docker's Kind: 0 modified, 1 added, 2 deleted; null when nothing changed
      const list = ((await this.#container.changes()) ?? []) as { Path: string; Kind: number }[];
      return list.map((c) => ({ path: c.Path, kind: c.Kind === 2 ? "deleted" : c.Kind === 1 ? "added" : "modified" }));
    } catch (error) {
      throw new SandboxError(`cannot list the changes of sandbox ${this.id.slice(0, 12)}: ${(error as Error).message}`, { cause: error });
    }
  }

  // The host's cgroup file is read directly when visible (also during a fork bomb, when the
  // sandbox is busy); otherwise the counter is read from inside the container.
  async #oomCount(): Promise<number | undefined> {
    const candidates =
      this.#cgroupVersion === "2"
        ? [`/sys/fs/cgroup/system.slice/docker-${this.id}.scope/memory.events`, `/sys/fs/cgroup/docker/${this.id}/memory.events`]
        : [`/sys/fs/cgroup/memory/docker/${this.id}/memory.oom_control`, `/sys/fs/cgroup/memory/system.slice/docker-${this.id}.scope/memory.oom_control`];
    for (const file of candidates) {
      const text = await readHostFile(file, "utf8").catch(() => undefined);
      const count = text === undefined ? undefined : parseOomKill(text);
      if (count !== undefined) return count;
    }
    const { exitCode, output } = await quickExec(this.#container, ["bash", "-c", OOM_COUNT_SCRIPT], 5_000);
    return exitCode === 0 ? parseOomKill(`oom_kill ${output.trim()}`) : undefined;
  }

  /** @inheritdoc */
  async destroy(): Promise<string | undefined> {
    this.#watchdog?.stop();
    if (this.#destroyed) return undefined;
    this.#destroyed = true;
    // While the daemon is unreachable (e.g. restarting), keep trying for a while: the container
    // survives the restart and would otherwise be left behind until `skilldelta gc`.
    let last: unknown;
    for (let attempt = 0; attempt < DESTROY_RETRIES; attempt++) {
      try {
        await this.#container.remove({ force: true, v: true });
        return undefined;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        last = error;
        if (!isDaemonUnreachable(error)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    return `cannot remove container ${this.id.slice(0, 12)}: ${firstLineOf((last as Error)?.message ?? String(last))}`;
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new SandboxError(`sandbox ${this.id.slice(0, 12)} was destroyed`, { hint: "create a new sandbox" });
  }
}

// Go's os.FileMode type bits, as Docker reports them in the archive stat header
const GO_MODE = { dir: 2 ** 31, symlink: 2 ** 27, device: 2 ** 26, pipe: 2 ** 25, socket: 2 ** 24, charDevice: 2 ** 21, irregular: 2 ** 19 } as const;
const bit = (mode: number, flag: number) => Math.floor(mode / flag) % 2 === 1;

/** The kind of a path from Docker's stat mode (a Go `os.FileMode`, type bits on top). */
export function kindOfMode(mode: number, linkTarget = ""): PathStat["kind"] {
  if (bit(mode, GO_MODE.dir)) return "directory";
  if (linkTarget || bit(mode, GO_MODE.symlink)) return "symlink";
  if ([GO_MODE.device, GO_MODE.pipe, GO_MODE.socket, GO_MODE.charDevice, GO_MODE.irregular].some((f) => bit(mode, f))) return "other";
  return "file";
}

/** Host pid, parent, pid inside the container's namespace and argv[0] of a process; undefined when gone. */
async function hostProcess(pid: number): Promise<{ pid: number; ppid: number; nsPid: number; argv0: string } | undefined> {
  try {
    const [status, cmdline] = await Promise.all([readHostFile(`/proc/${pid}/status`, "utf8"), readHostFile(`/proc/${pid}/cmdline`)]);
    const field = (name: string) => /^(\w+):\s*(.*)$/m.exec(status.split("\n").find((l) => l.startsWith(`${name}:`)) ?? "")?.[2]?.trim().split(/\s+/);
    const ppid = Number(field("PPid")?.[0]);
    const nsPid = Number(field("NSpid")?.at(-1));
    if (!Number.isInteger(ppid) || !Number.isInteger(nsPid)) return undefined;
    return { pid, ppid, nsPid, argv0: cmdline.subarray(0, Math.max(0, cmdline.indexOf(0))).toString("utf8") };
  } catch {
    return undefined;
  }
}

function firstLineOf(text: string): string {
  return text.split("\n")[0]?.trim() ?? text;
}

/** The `oom_kill N` counter of a cgroup v1 memory.oom_control or v2 memory.events text. */
export function parseOomKill(text: string): number | undefined {
  const match = /^oom_kill\s+(\d+)\s*$/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * Size of the container's writable layer (Docker's `SizeRw`): what the sandbox's processes
 * wrote, excluding mounts and tmpfs. Docker walks the layer's directory to compute it.
 */
export async function writableLayerBytes(container: Docker.Container): Promise<number> {
  // @types/dockerode does not declare the `size` query parameter
  const inspect = container.inspect.bind(container) as (options: { size: boolean }) => Promise<{ SizeRw?: number }>;
  return (await inspect({ size: true })).SizeRw ?? 0;
}

/** How many times (one second apart) `destroy` retries while the daemon does not answer. */
const DESTROY_RETRIES = 60;

/** True when the error says the daemon's socket did not answer (down or restarting). */
export function isDaemonUnreachable(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: string }).code : undefined;
  return code === "ENOENT" || code === "ECONNREFUSED" || code === "ECONNRESET" || code === "EPIPE" || /connect (ENOENT|ECONNREFUSED)|socket hang up/.test(String((error as Error)?.message));
}

/** True for dockerode's 404 errors. */
export function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { statusCode?: number }).statusCode === 404;
}
