import { lstat, readdir, realpath } from "node:fs/promises";
import type { FsChange } from "./types.ts";

/**
 * A container's filesystem changes read from its overlay2 directories on this host, for the
 * common case only: the agent added or changed files but deleted nothing of the image. Docker
 * 20.10's `docker diff` walks the whole image here (0.2 s for a small image, seconds for a big
 * one); this reads only what the container wrote.
 *
 * Deletions are where reading the layers needs care: a deleted file is a whiteout (0/0 char
 * device) in the upper directory, and a directory deleted and made again is *opaque* (an xattr
 * Node cannot read) so that the image's entries below it are hidden without whiteouts. Rather
 * than read that xattr, every directory of the upper layer is compared with what the image's
 * layers hold there and with the container's merged view: any image entry the merged view no
 * longer shows is a deletion, and any whiteout is one too. Then, or whenever anything is not
 * as expected (not overlay2, not running, a directory not readable from here, a link where
 * a directory is expected), this returns undefined and the caller asks Docker. Image layers'
 * own opaque directories can only make the image look bigger here, which only sends more
 * cases to Docker.
 */
export async function overlayChanges(data: { UpperDir?: string; LowerDir?: string; MergedDir?: string }): Promise<FsChange[] | undefined> {
  const { UpperDir: upper, MergedDir: merged } = data;
  if (!upper || !merged) return undefined;
  let lowers: { dir: string; real: string }[] = [];
  const changes: FsChange[] = [];

  // Names the image has in `rel` (a directory path, "" for the root), top layer first; a
  // whiteout hides a name from deeper layers, a non-directory hides the deeper layers' `rel`.
  const imageNames = async (rel: string): Promise<Set<string> | undefined> => {
    const names = new Set<string>();
    const hidden = new Set<string>();
    for (const layer of lowers) {
      const st = await lstat(layer.dir + rel).catch(() => undefined);
      if (!st) continue;
      if (!st.isDirectory()) break;
      // a link among the layer's own ancestors of `rel` would read some other directory
      if ((await realpath(layer.dir + rel)) !== layer.real + rel) return undefined;
      for (const entry of await readdir(layer.dir + rel, { withFileTypes: true })) {
        if (entry.isCharacterDevice() && (await lstat(`${layer.dir}${rel}/${entry.name}`)).rdev === 0) hidden.add(entry.name);
        else if (!hidden.has(entry.name)) names.add(entry.name);
      }
    }
    return names;
  };

  const imageHasDirectory = async (path: string): Promise<boolean> => {
    for (const layer of lowers) {
      const st = await lstat(layer.dir + path).catch(() => undefined);
      if (st) return st.isDirectory();
    }
    return false;
  };

  const walk = async (rel: string): Promise<boolean> => {
    const [image, shown] = await Promise.all([imageNames(rel), readdir(merged + (rel || "/"))]);
    if (!image) return false;
    const visible = new Set(shown);
    for (const name of image) if (!visible.has(name)) return false;
    for (const entry of await readdir(upper + rel, { withFileTypes: true })) {
      const path = `${rel}/${entry.name}`;
      if (entry.isCharacterDevice() && (await lstat(upper + path)).rdev === 0) return false;
      changes.push({ path, kind: image.has(entry.name) ? "modified" : "added" });
      if (entry.isDirectory()) {
        if (!(await walk(path))) return false;
      } else if (image.has(entry.name) && (await imageHasDirectory(path))) {
        // a file or link in place of the image's directory hides its entries without whiteouts
        return false;
      }
    }
    return true;
  };

  try {
    lowers = await Promise.all((data.LowerDir ?? "").split(":").filter(Boolean).map(async (dir) => ({ dir, real: await realpath(dir) })));
    return (await walk("")) ? changes : undefined;
  } catch {
    return undefined;
  }
}
