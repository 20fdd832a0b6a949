import { mkdir } from "node:fs/promises";
import { posix } from "node:path";
import * as tar from "tar";
import { InputError } from "../core/errors.ts";

/**
 * Reading untrusted tar archives (bundles and the final states inside them). Every entry is
 * screened before anything is written: absolute paths, `..`, links, devices and FIFOs are
 * refused outright (node-tar would otherwise silently strip or skip some of them, hiding the
 * tampering instead of reporting it).
 */

/** One screened entry: a regular file or a directory. */
export interface ArchiveEntry {
  path: string;
  type: "File" | "Directory";
  size: number;
}

/** Why an entry is refused, or undefined when it is acceptable. */
export function entryProblem(path: string, type: string): string | undefined {
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return `absolute path \`${path}\``;
  if (path.split(/[\\/]/).includes("..")) return `path traversal \`${path}\``;
  if (type === "SymbolicLink" || type === "Link") return `${type === "Link" ? "hard" : "symbolic"} link \`${path}\``;
  if (type !== "File" && type !== "OldFile" && type !== "Directory") return `${type} entry \`${path}\` (only files and directories are allowed)`;
  return undefined;
}

/**
 * Lists an archive's entries, refusing the whole archive at the first bad entry.
 * @throws InputError naming the archive and the offending entry
 */
export async function screenArchive(file: string, what: string): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  const problems: string[] = [];
  try {
    await tar.t({
      file,
      // keep the raw names: the default strips leading `/` and would hide an absolute path
      preservePaths: true,
      onReadEntry: (entry) => {
        const raw = entry.header.path ?? entry.path;
        const problem = entryProblem(raw, entry.type);
        if (problem) problems.push(problem);
        else entries.push({ path: posix.normalize(raw).replace(/\/$/, ""), type: entry.type === "Directory" ? "Directory" : "File", size: entry.size ?? 0 });
        entry.resume();
      },
    });
  } catch (error) {
    throw new InputError(`${what} is not a readable tar archive: ${(error as Error).message}`, { file, hint: "re-create it with `skilldelta submit pack`" });
  }
  if (problems.length) {
    throw new InputError(`${what} contains ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more bad entr${problems.length > 2 ? "ies" : "y"})` : ""}`, {
      file,
      hint: "archives may hold only regular files and directories under relative paths; this one was tampered with or not made by SkillDelta",
    });
  }
  return entries;
}

/**
 * Extracts a screened archive into `dir`.
 * @throws InputError when the archive fails screening
 */
export async function extractScreened(file: string, dir: string, what: string): Promise<ArchiveEntry[]> {
  const entries = await screenArchive(file, what);
  await mkdir(dir, { recursive: true });
  // screening already refused links and traversal; the filter is a second line of defence
  await tar.x({ file, cwd: dir, preserveOwner: false, filter: (p, e) => "type" in e && !entryProblem(p, e.type) });
  return entries;
}
