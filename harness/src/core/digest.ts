import { createHash } from "node:crypto";
import { lstat, readFile, readdir, readlink } from "node:fs/promises";
import { join, posix, relative, sep } from "node:path";

/** sha256 hex of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Digest of a JSON-able value with keys sorted, so equal values hash equally anywhere. */
export function digestJson(value: unknown): string {
  return sha256(stableStringify(value));
}

/** JSON.stringify with object keys sorted recursively (arrays keep their order). */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

export interface TreeEntry {
  /** posix path relative to the tree root */
  path: string;
  kind: "file" | "symlink";
  executable: boolean;
  size: number;
}

/**
 * Lists a directory tree in a stable order (sorted posix paths), skipping `ignore`d names.
 * Symlinks are listed, never followed, so a link out of the tree cannot pull in host files.
 */
export async function listTree(root: string, ignore: (rel: string) => boolean = () => false): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  async function walk(dir: string): Promise<void> {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const abs = join(dir, name);
      const rel = relative(root, abs).split(sep).join(posix.sep);
      if (ignore(rel)) continue;
      const st = await lstat(abs);
      if (st.isDirectory()) await walk(abs);
      else if (st.isSymbolicLink()) out.push({ path: rel, kind: "symlink", executable: false, size: 0 });
      else if (st.isFile()) out.push({ path: rel, kind: "file", executable: (st.mode & 0o111) !== 0, size: st.size });
    }
  }
  await walk(root);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Content digest of a directory: sha256 over sorted relative paths, the executable bit and the
 * bytes of each file (a symlink contributes its target text). Timestamps, owners and the
 * absolute location are left out, so the digest is the same on every machine and checkout.
 */
export async function digestTree(root: string, ignore?: (rel: string) => boolean): Promise<string> {
  const hash = createHash("sha256");
  for (const entry of await listTree(root, ignore)) {
    const abs = join(root, ...entry.path.split("/"));
    const body = entry.kind === "symlink" ? Buffer.from(await readlink(abs)) : await readFile(abs);
    hash.update(`${entry.kind}\0${entry.path}\0${entry.executable ? "x" : "-"}\0${body.length}\0`);
    hash.update(body);
  }
  return hash.digest("hex");
}

/** The first 12 hex digits: enough to name things, the full digest stays in the lock. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}
