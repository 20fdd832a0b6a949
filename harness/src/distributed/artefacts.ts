import { mkdir, readdir } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as tar from "tar";
import { sha256 } from "../core/digest.ts";
import { SkillDeltaError } from "../core/errors.ts";
import { trialFiles } from "../core/paths.ts";
import type { Artefacts } from "./schema.ts";

/**
 * Cap on one trial's shipped artefacts (gzipped). runTrial already caps each file (logs 1 MB,
 * verifier output 256 KB, verifier files 4 MB), so a trial rarely comes near it; past it only
 * trial.json travels and the coordinator notes the truncation.
 */
export const ARTEFACT_CAP_BYTES = 16 * 1024 * 1024;

/** A directory's contents as a gzipped, portable tar (no owners, no mtimes' host meaning). */
export async function packTree(dir: string, names?: string[]): Promise<{ bytes: Buffer; files: number }> {
  const entries = names ?? (await readdir(dir)).sort();
  if (!entries.length) return { bytes: Buffer.alloc(0), files: 0 };
  const chunks: Buffer[] = [];
  let files = 0;
  const stream = tar.c({ cwd: dir, gzip: true, portable: true, onWriteEntry: (e) => { if (e.type === "File") files++; } }, entries);
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return { bytes: Buffer.concat(chunks), files };
}

/**
 * Extracts a gzipped tar into `dest`. Absolute paths and `..` are refused by `tar`; with
 * `allowSymlinks` false (artefacts from workers) only regular files and directories land.
 * @throws SkillDeltaError SD_INPUT_INVALID when the archive is damaged
 */
export async function unpackTree(bytes: Buffer, dest: string, opts: { allowSymlinks: boolean; maxBytes: number }): Promise<void> {
  await mkdir(dest, { recursive: true });
  if (!bytes.length) return;
  let seen = 0;
  try {
    await pipeline(
      Readable.from([bytes]),
      tar.x({
        cwd: dest,
        strict: true,
        preservePaths: false,
        filter: (_path, entry) => {
          const type = "type" in entry ? entry.type : "File";
          seen += "size" in entry ? Number(entry.size ?? 0) : 0;
          if (seen > opts.maxBytes) throw new Error(`archive expands past ${opts.maxBytes} bytes`);
          return type === "File" || type === "Directory" || (opts.allowSymlinks && type === "SymbolicLink");
        },
      }),
    );
  } catch (error) {
    throw new SkillDeltaError("SD_INPUT_INVALID", `cannot unpack archive into ${dest}: ${(error as Error).message}`, { cause: error, hint: "the worker and coordinator may run different harness versions" });
  }
}

/** Packs a finished trial directory for the coordinator; over the cap, only trial.json travels. */
export async function packTrialDir(dir: string, cap = ARTEFACT_CAP_BYTES): Promise<Artefacts> {
  let packed = await packTree(dir);
  let truncated = false;
  if (packed.bytes.length > cap) {
    packed = await packTree(dir, [trialFiles.record]);
    truncated = true;
  }
  return { tar_gz_base64: packed.bytes.toString("base64"), bytes: packed.bytes.length, sha256: sha256(packed.bytes), files: packed.files, truncated };
}

/**
 * Writes shipped artefacts into the coordinator's trial directory after checking their digest.
 * @throws SkillDeltaError SD_INPUT_INVALID when the bytes do not match their sha256 or the archive is damaged
 */
export async function unpackArtefacts(artefacts: Artefacts, dest: string): Promise<void> {
  const bytes = Buffer.from(artefacts.tar_gz_base64, "base64");
  if (sha256(bytes) !== artefacts.sha256) throw new SkillDeltaError("SD_INPUT_INVALID", "artefact archive does not match its sha256", { file: dest, hint: "the job's return value was damaged in transit; the trial is retried" });
  // gzip of logs compresses well; the expansion cap bounds a hostile archive
  await unpackTree(bytes, dest, { allowSymlinks: false, maxBytes: 64 * ARTEFACT_CAP_BYTES });
}
