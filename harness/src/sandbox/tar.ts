import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as tar from "tar";
import { SandboxError } from "../core/errors.ts";

/**
 * Tar streams in and out of a container. Archives sent in are rooted at "/" with the target
 * path as prefix, so Docker creates missing parent directories itself (no extra exec).
 * Archives coming out are untrusted: only regular files and directories are extracted, never
 * links or devices, and the byte count is capped.
 */

function relativeToRoot(absolute: string, field: string): string {
  if (!posix.isAbsolute(absolute)) throw new SandboxError(`sandbox path must be absolute, got "${absolute}"`, { field });
  return posix.normalize(absolute).replace(/^\/+/, "").replace(/\/+$/, "");
}

/**
 * A tar stream of `hostDir`'s contents placed under `targetDir`, with ownership dropped so
 * files land as root (Harbor tasks run as root).
 * @throws SandboxError when `targetDir` is not absolute
 */
export async function packDirectory(hostDir: string, targetDir: string): Promise<Readable> {
  const prefix = relativeToRoot(targetDir, "targetDir");
  // list the children, not ".", so the target dir keeps Docker's default mode instead of the host dir's
  const names = (await readdir(hostDir)).sort();
  if (names.length === 0) {
    // an empty directory still has to appear in the sandbox: one hand-made directory header
    const header = Buffer.alloc(512);
    new tar.Header({ path: `${prefix}/`, mode: 0o755, type: "Directory", size: 0, mtime: new Date(0), uid: 0, gid: 0 }).encode(header, 0);
    return Readable.from([Buffer.concat([header, Buffer.alloc(1024)])]);
  }
  return Readable.from(tar.c({ cwd: hostDir, portable: true, prefix }, names));
}

/**
 * A tar stream holding one file at the absolute `path`.
 * @throws SandboxError when `path` is not absolute
 */
export async function packFile(path: string, content: string | Uint8Array, mode = 0o644): Promise<Readable> {
  const rel = relativeToRoot(path, "path");
  const staging = await mkdtemp(join(tmpdir(), "skilldelta-file-"));
  try {
    const file = join(staging, basename(rel));
    await writeFile(file, content);
    await chmod(file, mode);
    const prefix = dirname(rel) === "." ? "" : dirname(rel);
    const chunks: Buffer[] = [];
    for await (const chunk of tar.c({ cwd: staging, portable: true, prefix }, [basename(rel)])) chunks.push(Buffer.from(chunk));
    return Readable.from([Buffer.concat(chunks)]);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * A tar stream of empty directories (mode 0755, root) at the absolute `paths`, their ancestors
 * included so none is left to Docker's extractor (which would create it 0777).
 * @throws SandboxError when a path is not absolute
 */
export function packDirs(paths: readonly string[]): Readable {
  const all = new Set<string>();
  for (const path of paths) {
    const parts = relativeToRoot(path, "dirs").split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join("/"));
  }
  const headers = [...all].sort().map((dir) => {
    const header = Buffer.alloc(512);
    new tar.Header({ path: `${dir}/`, mode: 0o755, type: "Directory", size: 0, mtime: new Date(), uid: 0, gid: 0 }).encode(header, 0);
    return header;
  });
  return Readable.from([Buffer.concat([...headers, Buffer.alloc(1024)])]);
}

/** Passes bytes through until more than `maxBytes` went by, then fails the pipeline. */
function byteLimit(maxBytes: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(new SandboxError(`${what} is larger than the ${maxBytes}-byte cap`, { hint: "raise maxBytes, or have the command write less" }));
      } else callback(null, chunk);
    },
  });
}

/**
 * Extracts a Docker archive stream into `hostDir`. For a directory the top component is
 * stripped (its contents land in `hostDir`); a file lands as `hostDir/<name>`.
 * @throws SandboxError when the archive passes `maxBytes` (files already written stay)
 */
export async function extractArchive(archive: NodeJS.ReadableStream, hostDir: string, isDirectory: boolean, maxBytes: number, what: string): Promise<void> {
  await mkdir(hostDir, { recursive: true });
  const unpack = tar.x({
    cwd: hostDir,
    strip: isDirectory ? 1 : 0,
    // links could point the harness at host files when it later reads the download
    filter: (_path, entry) => "type" in entry && (entry.type === "File" || entry.type === "OldFile" || entry.type === "Directory"),
    preserveOwner: false,
  });
  await pipeline(archive, byteLimit(maxBytes, what), unpack);
}

/** What the first entry of an archive holds, read without extracting anything. */
export type FirstEntry =
  | { kind: "file"; data: Buffer; truncated: boolean }
  | { kind: "symlink"; target: string }
  | { kind: "directory" }
  | { kind: "other"; type: string };

/**
 * Reads the first entry of a Docker archive stream, keeping at most `maxBytes` of its data,
 * and stops reading the stream as soon as the entry is known.
 */
export async function readFirstEntry(archive: NodeJS.ReadableStream, maxBytes: number): Promise<FirstEntry | undefined> {
  return await new Promise<FirstEntry | undefined>((resolve, reject) => {
    let settled = false;
    const done = (value: FirstEntry | undefined, error?: unknown) => {
      if (settled) return;
      settled = true;
      (archive as Readable).destroy?.();
      if (error) reject(error);
      else resolve(value);
    };
    const parser = new tar.Parser({
      onReadEntry: (entry) => {
        if (settled) return entry.resume();
        if (entry.type === "SymbolicLink") return done({ kind: "symlink", target: entry.linkpath ?? "" });
        if (entry.type === "Directory") return done({ kind: "directory" });
        if (entry.type !== "File" && entry.type !== "OldFile") return done({ kind: "other", type: entry.type });
        const chunks: Buffer[] = [];
        let kept = 0;
        entry.on("data", (chunk: Buffer) => {
          const room = maxBytes - kept;
          if (room <= 0) return done({ kind: "file", data: Buffer.concat(chunks), truncated: true });
          const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
          chunks.push(Buffer.from(part));
          kept += part.length;
          if (chunk.length > room) done({ kind: "file", data: Buffer.concat(chunks), truncated: true });
        });
        entry.on("end", () => done({ kind: "file", data: Buffer.concat(chunks), truncated: false }));
      },
    });
    parser.on("error", (e: unknown) => done(undefined, e));
    parser.on("end", () => done(undefined));
    archive.on("error", (e: unknown) => done(undefined, e));
    archive.on("data", (chunk: Buffer) => {
      if (!settled) parser.write(chunk);
    });
    archive.on("end", () => parser.end());
  });
}
