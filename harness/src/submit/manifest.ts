import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * manifest.json of a submission bundle: what the bundle claims to hold, with the sha256 of
 * every member. `submit verify` checks each member against it and refuses extra members.
 */
export const BUNDLE_MANIFEST_VERSION = 1;

/** Attestation tiers the leaderboard shows, weakest first. */
export const ATTESTATION_TIERS = ["self-reported", "re-graded", "reproduced"] as const;
export type AttestationTier = (typeof ATTESTATION_TIERS)[number];

export const BundleMemberSchema = z.strictObject({
  /** posix path inside the bundle, relative, never `..` */
  path: z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/, "expected a relative path without `..`"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
});
export type BundleMember = z.infer<typeof BundleMemberSchema>;

export const BundleManifestSchema = z.strictObject({
  schema: z.literal("skilldelta.bundle"),
  version: z.literal(BUNDLE_MANIFEST_VERSION),
  run_id: z.string(),
  created_at: z.string(),
  harness_version: z.string(),
  /** what pack checked, for the record (verify re-checks what it can) */
  checks: z.strictObject({
    trials_per_cell: z.number().int(),
    cells: z.number().int(),
    final_states: z.number().int(),
    suite_tasks_checked: z.number().int(),
  }),
  members: z.array(BundleMemberSchema),
});
export type BundleManifest = z.infer<typeof BundleManifestSchema>;

/** Name of the manifest inside a bundle; every other member is listed in it. */
export const MANIFEST_NAME = "manifest.json";
/** Folder of the run inside a bundle. */
export const RUN_PREFIX = "run";

/** sha256 and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}
