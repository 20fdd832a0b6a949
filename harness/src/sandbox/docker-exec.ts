import { randomBytes } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import { SandboxError } from "../core/errors.ts";
import type { ExecOptions, ExecResult } from "./types.ts";

/** Bytes kept per stream when `outputCapBytes` is not given. */
export const DEFAULT_OUTPUT_CAP_BYTES = 64 * 1024;
/** Timeout of a command that does not set one: nothing may run unbounded. */
export const DEFAULT_EXEC_TIMEOUT_SEC = 900;
/** Seconds between the in-container SIGTERM and SIGKILL (`timeout -k`). */
export const KILL_GRACE_SEC = 2;
/** Extra seconds the harness waits past timeout + grace before it gives up on the stream. */
export const HARD_DEADLINE_SLACK_SEC = 3;
/**
 * Every exec carries this variable with a fresh id. Children inherit it, so the whole process
 * tree of one exec can be found in /proc and killed when the harness gives up on it.
 */
export const EXEC_MARKER_ENV = "SKILLDELTA_EXEC";

/** The marker line appended to a capped stream. */
export function truncationMarker(omittedBytes: number): string {
  return `\n[skilldelta: output truncated, ${omittedBytes} bytes omitted]\n`;
}

/**
 * Keeps the first `capBytes` of a byte stream, counts the rest and forwards kept text live.
 * Never holds more than `capBytes`, however much the command prints.
 */
export class CappedOutput {
  readonly #cap: number;
  readonly #chunks: Buffer[] = [];
  readonly #decoder = new StringDecoder("utf8");
  readonly #onText: ((text: string) => void) | undefined;
  #kept = 0;
  /** bytes seen past the cap */
  omitted = 0;

  constructor(capBytes: number, onText?: (text: string) => void) {
    this.#cap = Math.max(0, capBytes);
    this.#onText = onText;
  }

  push(chunk: Buffer): void {
    const room = this.#cap - this.#kept;
    const keep = room >= chunk.length ? chunk : chunk.subarray(0, Math.max(0, room));
    this.omitted += chunk.length - keep.length;
    if (keep.length === 0) return;
    // copy: the demuxer's buffers are views into socket chunks we must not pin
    const copy = Buffer.from(keep);
    this.#chunks.push(copy);
    this.#kept += copy.length;
    if (this.#onText) {
      const text = this.#decoder.write(copy);
      if (text) this.#onText(text);
    }
  }

  /** The kept text, plus the marker when anything was dropped (also sent to the live callback). */
  finish(): string {
    const tail = this.#decoder.end();
    const marker = this.omitted > 0 ? truncationMarker(this.omitted) : "";
    if (this.#onText && tail + marker) this.#onText(tail + marker);
    return Buffer.concat(this.#chunks).toString("utf8") + marker;
  }
}

/**
 * Splits Docker's multiplexed attach stream (8-byte frame headers: stream type, 3 zero bytes,
 * big-endian payload length) into stdout and stderr payloads, across arbitrary chunk borders.
 */
export function createDemuxer(onFrame: (stream: "stdout" | "stderr", payload: Buffer) => void): (chunk: Buffer) => void {
  let header = Buffer.alloc(0);
  let remaining = 0;
  let current: "stdout" | "stderr" = "stdout";
  return (chunk: Buffer) => {
    let offset = 0;
    while (offset < chunk.length) {
      if (remaining === 0) {
        const need = 8 - header.length;
        header = Buffer.concat([header, chunk.subarray(offset, offset + need)]);
        offset += Math.min(need, chunk.length - offset);
        if (header.length < 8) return;
        current = header[0] === 2 ? "stderr" : "stdout";
        remaining = header.readUInt32BE(4);
        header = Buffer.alloc(0);
        continue;
      }
      const take = Math.min(remaining, chunk.length - offset);
      onFrame(current, chunk.subarray(offset, offset + take));
      offset += take;
      remaining -= take;
    }
  };
}

/** A bash script (builtins only, so it runs even when a fork bomb holds every pid) that SIGKILLs processes whose environment holds `entry`. */
export function killByEnvScript(entry: string): string {
  return [
    "for p in /proc/[0-9]*; do p=${p#/proc/}",
    '[ "$p" = "$$" ] && continue',
    `while IFS= read -r -d '' e; do [ "$e" = ${shellQuote(entry)} ] && { kill -9 "$p"; break; }; done < /proc/$p/environ`,
    "done 2>/dev/null; exit 0",
  ].join("; ");
}

/** Single-quotes a string for bash. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function toEnvList(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
}

/** Runs one process in the container and collects its exit code, without output handling. */
export async function quickExec(container: Docker.Container, cmd: string[], deadlineMs = 10_000): Promise<{ exitCode: number; output: string }> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const out = new CappedOutput(64 * 1024);
  const demux = createDemuxer((_s, payload) => out.push(payload));
  stream.on("data", demux);
  const ended = await waitForEnd(stream, deadlineMs);
  if (!ended) stream.destroy();
  return { exitCode: await exitCodeOf(exec), output: out.finish() };
}

function waitForEnd(stream: Duplex, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => done(false), ms);
    stream.once("end", () => done(true));
    stream.once("close", () => done(true));
    stream.once("error", () => done(true));
  });
}

// The attach stream can end a moment before Docker records the exit code; poll briefly.
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 25));
  }
  return -1;
}

/**
 * Runs `command` with `bash -c` under coreutils `timeout -k` inside the container, streaming
 * and capping both outputs. A harness-side deadline (timeout + grace + slack) guarantees the
 * promise settles even when Docker never closes the stream; the exec's process tree is then
 * killed by its marker variable.
 * @throws SandboxError when Docker refuses the exec (container gone, daemon down)
 * @throws the signal's reason when `options.signal` aborts (the process tree is killed first)
 */
export async function runExec(container: Docker.Container, command: string, options: ExecOptions = {}): Promise<ExecResult> {
  options.signal?.throwIfAborted();
  const timeoutSec = options.timeoutSec ?? DEFAULT_EXEC_TIMEOUT_SEC;
  if (!(timeoutSec > 0)) throw new SandboxError(`exec timeout must be positive, got ${timeoutSec}`, { field: "timeoutSec" });
  const cap = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  const marker = `${EXEC_MARKER_ENV}=${randomBytes(8).toString("hex")}`;
  const started = Date.now();

  const hardMs = (timeoutSec + KILL_GRACE_SEC + HARD_DEADLINE_SLACK_SEC) * 1000;
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    // Starting the exec is bounded too: on a frozen or overloaded daemon `exec.start` itself can
    // hang, and the deadline promise must hold from the first call on.
    [exec, stream] = await withDeadline(
      (async (): Promise<[Docker.Exec, Duplex]> => {
        const e = await container.exec({
          Cmd: ["timeout", "-k", String(KILL_GRACE_SEC), String(timeoutSec), "bash", "-c", command],
          Env: [...toEnvList(options.env), marker],
          WorkingDir: options.cwd,
          User: options.user,
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
        });
        return [e, (await e.start({ hijack: true, stdin: false })) as Duplex];
      })(),
      hardMs,
      `Docker did not start the command within ${Math.round(hardMs / 1000)} s`,
    );
  } catch (error) {
    throw new SandboxError(`cannot start a command in container ${container.id.slice(0, 12)}: ${(error as Error).message}`, {
      cause: error,
      hint: "the sandbox may have stopped (out of memory, destroyed, paused) or the Docker daemon went away or is overloaded; check `docker ps -a`",
    });
  }

  const onOutput = options.onOutput;
  const stdout = new CappedOutput(cap, onOutput && ((t) => onOutput("stdout", t)));
  const stderr = new CappedOutput(cap, onOutput && ((t) => onOutput("stderr", t)));
  stream.on("data", createDemuxer((which, payload) => (which === "stdout" ? stdout : stderr).push(payload)));

  type Ending = "ended" | "deadline" | "aborted";
  const ending = await new Promise<Ending>((resolve) => {
    const remainingMs = Math.max(0, hardMs - (Date.now() - started));
    const finish = (why: Ending) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve(why);
    };
    const onAbort = () => finish("aborted");
    const timer = setTimeout(() => finish("deadline"), remainingMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    stream.once("end", () => finish("ended"));
    stream.once("close", () => finish("ended"));
    stream.once("error", () => finish("ended"));
  });

  if (ending !== "ended") {
    stream.destroy();
    await killTree(container, marker);
  }
  if (ending === "aborted") throw options.signal?.reason ?? new Error("aborted");

  const durationMs = Date.now() - started;
  let exitCode = ending === "deadline" ? 124 : await exitCodeOf(exec).catch(() => -1);
  // timeout(1) exits 124 after SIGTERM and 137 when it had to SIGKILL; a command's own 124/137
  // before the deadline is its own business
  const timedOut = ending === "deadline" || ((exitCode === 124 || exitCode === 137) && durationMs >= timeoutSec * 1000 - 50);
  if (timedOut) exitCode = 124;
  return {
    exitCode,
    stdout: stdout.finish(),
    stderr: stderr.finish(),
    timedOut,
    truncatedBytes: { stdout: stdout.omitted, stderr: stderr.omitted },
    durationMs,
  };
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// Best effort: the exec is already abandoned, a failure here must not mask the result.
async function killTree(container: Docker.Container, marker: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await quickExec(container, ["bash", "-c", killByEnvScript(marker)], 5_000);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
