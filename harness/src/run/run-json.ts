import { readFile, rename, writeFile } from "node:fs/promises";
import { z } from "zod";
import { stableStringify } from "../core/digest.ts";
import { InputError, LockChangedError } from "../core/errors.ts";

/**
 * The lock: digests of every input that decides a trial's result. Resume recomputes it and
 * refuses on any difference; host facts (node, docker, git commit) are recorded, and a change
 * in them on resume is noted, not refused, since they do not change what a trial sees.
 */
export const LockSchema = z.strictObject({
  config_digest: z.string(),
  tasks: z.record(z.string(), z.strictObject({ digest: z.string(), image: z.string(), image_id: z.string(), family: z.string() })),
  environments: z.record(z.string(), z.strictObject({ tag: z.string(), image_id: z.string(), digest: z.string().optional(), manifest_sha256: z.string().optional() })),
  libraries: z.record(z.string(), z.string()),
  agents: z.record(z.string(), z.strictObject({ kind: z.string(), digest: z.string() })),
  sandbox: z.record(z.string(), z.unknown()),
});
export type Lock = z.infer<typeof LockSchema>;

export const HostSchema = z.strictObject({
  harness_version: z.string(),
  node: z.string(),
  platform: z.string(),
  docker: z.record(z.string(), z.string()),
  git_commit: z.string().nullable(),
  hostname: z.string(),
});
export type Host = z.infer<typeof HostSchema>;

export const RunJsonSchema = z.strictObject({
  v: z.literal(1),
  id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  status: z.enum(["running", "finished", "interrupted"]),
  /** "mock-model" runs are dry runs and never shown as model results */
  source: z.enum(["local", "imported", "mock-model"]),
  attestation: z.enum(["self-reported", "imported", "re-graded", "reproduced"]),
  config: z.record(z.string(), z.unknown()),
  lock: LockSchema,
  host: HostSchema,
  plan: z.strictObject({ trials: z.number().int(), digest: z.string() }),
  excluded_tasks: z.array(z.strictObject({ task: z.string(), reason: z.string() })).default([]),
  resumes: z.array(z.strictObject({ at: z.string(), host_changes: z.array(z.string()) })).default([]),
  learning_cost: z.record(z.string(), z.strictObject({ tokens: z.number(), usd: z.number(), seconds: z.number() })).optional(),
  /**
   * Who built each learned library (issue 11): the acquisition agent id, the method, and for a
   * round condition `X@rN` its round and base condition (`of`). Absent in runs without learning.
   */
  library_meta: z
    .record(z.string(), z.strictObject({ built_with: z.string().optional(), round: z.number().int().min(1).optional(), of: z.string().optional(), method: z.string().optional() }))
    .optional(),
});
export type RunJson = z.infer<typeof RunJsonSchema>;

export async function readRunJson(file: string): Promise<RunJson | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  const r = RunJsonSchema.safeParse(JSON.parse(text));
  if (!r.success) throw new InputError(`run.json does not match its schema: ${r.error.issues[0]?.path.join(".")} ${r.error.issues[0]?.message}`, { file, hint: "it was edited or written by another version; start a new run id" });
  return r.data;
}

/** Writes atomically (temp file + rename): a kill mid-write leaves the old run.json intact. */
export async function writeRunJson(file: string, run: RunJson): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(RunJsonSchema.parse(run), null, 2)}\n`);
  await rename(tmp, file);
}

/** Differences between two locks as readable lines, e.g. `tasks.ledger-e1.digest: 3f2a… → 9c1b…`. */
export function diffLocks(before: Lock, after: Lock): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (stableStringify(a) === stableStringify(b)) return;
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of [...keys].sort()) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      return;
    }
    const show = (v: unknown) => (v === undefined ? "(absent)" : typeof v === "string" ? (v.length > 16 ? `${v.slice(0, 12)}…` : v) : JSON.stringify(v));
    out.push(`${path}: ${show(a)} → ${show(b)}`);
  };
  walk(before, after, "");
  return out;
}

/** @throws LockChangedError when the recorded and recomputed locks differ */
export function assertSameLock(file: string, recorded: Lock, current: Lock): void {
  const changes = diffLocks(recorded, current);
  if (changes.length) throw new LockChangedError(file, changes);
}

export function hostChanges(before: Host, after: Host): string[] {
  return (Object.keys(after) as (keyof Host)[])
    .filter((k) => stableStringify(before[k]) !== stableStringify(after[k]))
    .map((k) => `${k}: ${stableStringify(before[k])} → ${stableStringify(after[k])}`);
}
