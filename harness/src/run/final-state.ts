import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import * as tar from "tar";
import { z } from "zod";
import { SandboxError } from "../core/errors.ts";
import { containerPaths } from "../core/paths.ts";
import type { FsChange, Sandbox } from "../sandbox/types.ts";

/**
 * A trial's **final state**: the files the agent changed, archived at the end of the agent
 * phase so the verifier can run in a fresh container (separate verifier mode) and so the trial
 * can be re-graded later (`skilldelta regrade`).
 *
 * Three rules decide what happens to a changed path:
 * - runtime paths (`/proc`, `/sys`, `/dev`, `/tests`, `/logs/verifier`, skill mounts) are
 *   ignored: they belong to the harness, not to the agent's work;
 * - toolchain paths (see `isToolchainPath`) are *withheld*: listed, never archived, never
 *   restored, so a verifier in a fresh container always runs the image's own python3, pytest,
 *   bash and libraries, and no planted `sitecustomize`/`.pth` can run inside it;
 * - everything else is archived (size-capped) and restored; deletions are listed and replayed.
 */

/** Files kept in a trial directory. */
export const FINAL_STATE_FILES = { archive: "final-state.tar", manifest: "final-state.json" } as const;

/** Caps on one final state; past them the archive is marked truncated. */
export const FINAL_STATE_CAPS = { bytes: 16 * 1024 * 1024, paths: 2000 } as const;

export const FinalStateSchema = z.strictObject({
  v: z.literal(1),
  /** archived paths (files and empty directories), absolute */
  files: z.array(z.string()),
  /** paths the agent deleted from the image */
  deleted: z.array(z.string()),
  /** changed toolchain paths: listed, never archived or restored */
  withheld: z.array(z.string()),
  /** sockets, pipes and device nodes the agent left: they hold no content, so they are not archived */
  skipped: z.array(z.string()).optional(),
  /** true when the byte or path cap cut the archive short */
  truncated: z.boolean(),
  bytes: z.number().int().min(0),
});
export type FinalState = z.infer<typeof FinalStateSchema>;

// Prefixes whose content the verifier's toolchain comes from. /opt and /srv are left out on
// purpose: task images keep fictional tools and data there that agents legitimately edit.
// /etc is configuration that remediation tasks must change (sshd_config, sudoers, cron), so only
// its hooks into every process are withheld: the dynamic loader's preload and search paths,
// alternatives links, Python's and the shells' start-up files.
const TOOLCHAIN_PREFIXES = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/var/lib/dpkg", "/boot"];
const ETC_HOOKS = ["/etc/ld.so.preload", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ld.so.cache", "/etc/alternatives", "/etc/profile", "/etc/profile.d", "/etc/bash.bashrc", "/etc/environment"];
// docker-init is the init binary Docker injects into every container started with `init: true`.
const RUNTIME_PREFIXES = ["/proc", "/sys", "/dev", "/usr/sbin/docker-init", containerPaths.tests, containerPaths.verifierLogs, containerPaths.skills, ...containerPaths.agentSkillDirs.map((d) => `/root/${d}`)];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * True for paths a verifier's tools are loaded from: the system prefixes above, any Python
 * package directory (`site-packages`, `dist-packages`, e.g. a user site under `/root/.local`),
 * the loader and shell hooks under /etc (`ETC_HOOKS`, `/etc/python*`), and Python's startup hooks (`sitecustomize.py`, `usercustomize.py`, `*.pth`) wherever they are.
 */
export function isToolchainPath(path: string): boolean {
  if (TOOLCHAIN_PREFIXES.some((p) => under(path, p)) || ETC_HOOKS.some((p) => under(path, p))) return true;
  if (/^\/etc\/python[\d.]*(\/|$)/.test(path)) return true;
  const parts = path.split("/");
  if (parts.some((s) => s === "site-packages" || s === "dist-packages")) return true;
  const base = parts.at(-1) ?? "";
  return base === "sitecustomize.py" || base === "usercustomize.py" || base.endsWith(".pth");
}

/** True for paths owned by the harness at run time, which a final state never carries. */
export function isRuntimePath(path: string): boolean {
  return RUNTIME_PREFIXES.some((p) => under(path, p));
}

/** Splits `docker diff` output into the leaves to archive, deletions and withheld paths. */
export function classifyChanges(changes: readonly FsChange[]): { archive: string[]; deleted: string[]; withheld: string[] } {
  const relevant = changes.filter((c) => c.path.startsWith("/") && !isRuntimePath(c.path));
  // Leaves are judged against every change, runtime ones included: /usr/sbin is "modified"
  // only because Docker added its init there, and must not look like the agent's change.
  const paths = changes.map((c) => c.path).sort();
  // A changed directory is only a parent of what changed below it, unless nothing below changed.
  const isLeaf = (p: string) => {
    const i = paths.indexOf(p);
    const next = paths[i + 1];
    return !(next && next.startsWith(`${p}/`));
  };
  const archive: string[] = [];
  const deleted: string[] = [];
  const withheld: string[] = [];
  for (const c of relevant) {
    if (c.kind === "deleted") {
      deleted.push(c.path);
      continue;
    }
    if (!isLeaf(c.path)) continue;
    if (isToolchainPath(c.path)) withheld.push(c.path);
    else archive.push(c.path);
  }
  return { archive: archive.sort(), deleted: deleted.sort(), withheld: withheld.sort() };
}

/**
 * Archives what the agent changed into `<trialDir>/final-state.tar` and lists it in
 * `final-state.json`. Files are copied out by the container runtime (not by tools inside the
 * sandbox, which the agent could have replaced); links are followed once and stored as files.
 * @throws SandboxError when the sandbox cannot list or copy its changes
 */
export async function captureFinalState(
  sandbox: Sandbox,
  trialDir: string,
  caps: { bytes: number; paths: number } = FINAL_STATE_CAPS,
  /** the sandbox's `changes()` when the caller already asked for them */
  changes?: Promise<FsChange[]>,
): Promise<FinalState> {
  const { archive, deleted, withheld } = classifyChanges(await (changes ?? sandbox.changes()));
  const staging = await mkdtemp(join(tmpdir(), "sd-final-"));
  const files: string[] = [];
  const skipped: string[] = [];
  let truncated = archive.length > caps.paths;
  let bytes = 0;
  try {
    const { dirs, special } = await kindsOf(sandbox, archive.slice(0, caps.paths));
    for (const path of archive.slice(0, caps.paths)) {
      if (special.has(path)) {
        skipped.push(path);
        continue;
      }
      const room = caps.bytes - bytes;
      if (room <= 0) {
        truncated = true;
        break;
      }
      const local = join(staging, ...path.split("/").filter(Boolean));
      if (dirs.has(path)) {
        // A leaf directory has no changed children: it is empty or only its metadata changed.
        await mkdir(local, { recursive: true });
        files.push(path);
        continue;
      }
      try {
        if (!(await sandbox.download(path, join(local, ".."), room))) continue;
      } catch (error) {
        // The cap is expected; so is a path that is no regular file (e.g. a server's socket when
        // bash could not tell us); anything else is the sandbox failing.
        if (error instanceof SandboxError && /cap/.test(error.message)) {
          truncated = true;
          break;
        }
        if (error instanceof SandboxError && /TAR_BAD_ARCHIVE|Unrecognized archive/.test(error.message)) {
          skipped.push(path);
          continue;
        }
        throw error;
      }
      files.push(path);
      bytes = await treeBytes(staging);
    }
    const top = (await readdir(staging)).sort();
    if (top.length) await tar.c({ cwd: staging, portable: true, file: join(trialDir, FINAL_STATE_FILES.archive) }, top);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const state: FinalState = { v: 1, files, deleted, withheld, ...(skipped.length ? { skipped } : {}), truncated, bytes };
  await writeFile(join(trialDir, FINAL_STATE_FILES.manifest), `${JSON.stringify(state, null, 2)}\n`);
  return state;
}

/**
 * Which of `paths` are directories and which are sockets, pipes or device nodes, asked of the
 * container runtime (a few stats in flight at a time; none runs inside the sandbox, where the
 * agent could have replaced the tools). Links count as files: `download` follows them once.
 * @throws SandboxError when the sandbox cannot answer
 */
async function kindsOf(sandbox: Sandbox, paths: readonly string[]): Promise<{ dirs: Set<string>; special: Set<string> }> {
  const dirs = new Set<string>();
  const special = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const kind = (await sandbox.stat(path))?.kind;
      if (kind === "directory") dirs.add(path);
      else if (kind === "other") special.add(path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, paths.length) }, worker));
  return { dirs, special };
}

/** Stats in flight at once while classifying a final state's paths. */
const STAT_CONCURRENCY = 8;

async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    const st = await lstat(join(dir, name));
    total += st.isDirectory() ? await treeBytes(join(dir, name)) : st.size;
  }
  return total;
}

/** Reads a trial's final-state.json, or undefined when the trial has none. */
export async function readFinalState(trialDir: string): Promise<FinalState | undefined> {
  const text = await readFile(join(trialDir, FINAL_STATE_FILES.manifest), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  return FinalStateSchema.parse(JSON.parse(text));
}

/**
 * Restores a final state into a fresh sandbox: archived files (minus toolchain and runtime
 * paths, checked again here since archives may come from a bundle) are copied in, and the
 * agent's deletions are replayed outside the toolchain. Only regular files and directories
 * are extracted from the archive; links, absolute paths and `..` never reach the sandbox.
 * @throws SandboxError when the sandbox refuses the files
 */
export async function restoreFinalState(sandbox: Sandbox, trialDir: string, state: FinalState): Promise<void> {
  const staging = await mkdtemp(join(tmpdir(), "sd-restore-"));
  try {
    const archive = join(trialDir, FINAL_STATE_FILES.archive);
    if (await lstat(archive).catch(() => undefined)) {
      await tar.x({
        file: archive,
        cwd: staging,
        preserveOwner: false,
        filter: (path, entry) => {
          const type = "type" in entry ? entry.type : "";
          const abs = posix.normalize(`/${path}`);
          return (type === "File" || type === "OldFile" || type === "Directory") && !path.split("/").includes("..") && !isToolchainPath(abs) && !isRuntimePath(abs);
        },
      });
    }
    for (const name of (await readdir(staging)).sort()) {
      const st = await lstat(join(staging, name));
      if (st.isDirectory()) await sandbox.upload(join(staging, name), `/${name}`);
      else if (st.isFile()) await sandbox.writeFile(`/${name}`, await readFile(join(staging, name)), st.mode & 0o777);
    }
    const gone = state.deleted.filter((p) => p.startsWith("/") && !p.split("/").includes("..") && !isToolchainPath(p) && !isRuntimePath(p));
    if (gone.length) {
      const res = await sandbox.exec(`rm -rf -- ${gone.map(shellQuote).join(" ")}`, { timeoutSec: 60 });
      if (res.exitCode !== 0) throw new SandboxError(`cannot replay the agent's deletions: ${res.stderr.slice(0, 200)}`);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Single-quotes a string for bash. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

