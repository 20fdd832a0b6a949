import { readFile, realpath } from "node:fs/promises";
import { join, sep } from "node:path";
import { listTree, sha256 } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";
import type { ReadableDir } from "./context.ts";

/**
 * Directories learners may read beside the context: a method's offline corpus and a family's
 * knowledge base. Each is listed with per-file digests for the context, and digested as a whole
 * for the lock.
 */

/**
 * Lists a readable directory for the learning context, after checking that the guard can show
 * it whole: it must not lie inside a hidden path, and must not contain one (its listing would
 * name hidden files).
 * @throws InputError when the directory is missing or overlaps a hidden path
 */
export async function readableDir(dir: string, hidden: readonly string[], field: string): Promise<ReadableDir> {
  const real = await realpath(dir).catch(() => undefined);
  if (!real) throw new InputError("directory not found", { file: dir, field, hint: "point it at an existing directory (relative paths resolve against run.toml, or the family directory for `knowledge`)" });
  for (const h of hidden) {
    const hr = await realpath(h).catch(() => undefined);
    if (!hr) continue;
    const inside = (a: string, b: string) => a === b || a.startsWith(b + sep);
    if (inside(real, hr) || inside(hr, real)) {
      throw new InputError(`\`${dir}\` overlaps \`${h}\`, which learners must not see (tests, solutions, evaluation tasks, curated skills, results)`, { file: dir, field, hint: "keep the corpus or knowledge base in a directory of its own, outside task directories and results" });
    }
  }
  const files: ReadableDir["files"] = [];
  for (const e of await listTree(real)) {
    if (e.kind !== "file") continue;
    files.push({ path: e.path, sha256: sha256(await readFile(join(real, e.path))), bytes: e.size });
  }
  return { dir: real, files };
}
