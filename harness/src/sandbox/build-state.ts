import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { sha256 } from "../core/digest.ts";

/**
 * What an environment build leaves behind: the package manifest (committed next to the
 * environment, so a changed manifest shows up as drift in review) and a state record
 * (gitignored, per machine) with the image id and timings.
 */

/** The lock entry of one environment image, as run.json records it. */
export const ImageLockSchema = z.strictObject({
  /** content tag, e.g. `skilldelta-env/ledger:0123456789ab` */
  tag: z.string(),
  image_id: z.string(),
  /** full content digest the tag is cut from */
  digest: z.string(),
  /** sha256 of manifest.txt (`dpkg-query -W`, sorted) */
  manifest_sha256: z.string(),
});
export type ImageLock = z.infer<typeof ImageLockSchema>;

/** `environments/.state/<name>.json`. */
export const EnvironmentStateSchema = z.strictObject({
  version: z.literal(1),
  name: z.string(),
  tag: z.string(),
  image_id: z.string(),
  digest: z.string(),
  manifest_sha256: z.string(),
  /** image the environment was built on (undefined for the base rootfs) */
  parent: z.strictObject({ tag: z.string(), image_id: z.string() }).optional(),
  built_at: z.string(),
  /** wall seconds per phase of the build that produced the image */
  seconds: z.record(z.string(), z.number().min(0)),
});
export type EnvironmentState = z.infer<typeof EnvironmentStateSchema>;

/** Sorted, newline-terminated `dpkg-query -W` output: the canonical manifest text. */
export function normaliseManifest(dpkgOutput: string): string {
  const lines = dpkgOutput.split("\n").map((l) => l.trimEnd()).filter(Boolean);
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${lines.join("\n")}\n`;
}

/**
 * Package-level difference between two manifests, one readable entry per package:
 * `+name version`, `-name version`, `name old → new`. Empty when they agree.
 */
export function manifestDrift(before: string, after: string): string[] {
  const parse = (text: string) => new Map(text.split("\n").filter(Boolean).map((l) => {
    const [name = "", ...rest] = l.split("\t");
    return [name, rest.join("\t")] as const;
  }));
  const a = parse(before);
  const b = parse(after);
  const out: string[] = [];
  for (const [name, version] of b) {
    const old = a.get(name);
    if (old === undefined) out.push(`+${name} ${version}`);
    else if (old !== version) out.push(`${name} ${old} → ${version}`);
  }
  for (const [name, version] of a) if (!b.has(name)) out.push(`-${name} ${version}`);
  return out.sort();
}

/**
 * Writes `manifest` to `file` and returns a drift warning when a different manifest was there
 * (the apt sources are a fixed snapshot, so a change means the image is not what was reviewed).
 */
export async function recordManifest(file: string, manifest: string, label: string): Promise<{ sha256: string; warning?: string }> {
  const previous = await readFile(file, "utf8").catch(() => undefined);
  let warning: string | undefined;
  const drift = previous !== undefined && previous !== manifest ? manifestDrift(previous, manifest) : [];
  // A manifest that differs only in order or whitespace is rewritten canonically, not reported.
  if (drift.length > 0) {
    const shown = drift.slice(0, 12).join(", ");
    warning = `${label}: package manifest drifted from ${file} (${drift.length} change${drift.length === 1 ? "" : "s"}: ${shown}${drift.length > 12 ? ", …" : ""}); review and commit the new manifest if intended`;
  }
  if (previous !== manifest) await writeFile(file, manifest);
  return { sha256: sha256(manifest), warning };
}

/** Reads a state record; undefined when missing or unreadable (it is only a cache of facts). */
export async function readState(file: string): Promise<EnvironmentState | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = EnvironmentStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a state record atomically (temp file + rename): two builds may finish at once. */
export async function writeState(file: string, state: EnvironmentState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}

/** The repository's `environments/` folder (the default place environments are looked up). */
export const defaultEnvironmentsRoot = fileURLToPath(new URL("../../../environments/", import.meta.url)).replace(/[/\\]$/, "");

/** Result of building (or finding) one environment image. */
export interface EnvironmentBuild {
  /** `base` for the rootfs image, else the environment's folder name */
  name: string;
  /** content tag, also what run.json pins */
  tag: string;
  imageId: string;
  digest: string;
  manifestSha256: string;
  /** false when the content-tagged image already existed (no work done) */
  built: boolean;
  /** wall seconds of this call (the lookup alone when nothing was built) */
  seconds: number;
  /** manifest drift and similar things a user should see */
  warnings: string[];
}

/** The run.json lock entry of a build. */
export function lockOf(build: EnvironmentBuild): ImageLock {
  return { tag: build.tag, image_id: build.imageId, digest: build.digest, manifest_sha256: build.manifestSha256 };
}
