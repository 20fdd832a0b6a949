import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { InputError } from "../core/errors.ts";

/**
 * `results/<run>/protocol.json`: which phases are done and what the freeze produced. Layout of
 * a protocol run:
 * ```
 * results/<run>/
 *   protocol.json          this file (protocol.lock while a process runs it)
 *   acquire/               the acquisition run (run.json, trials.jsonl, trials/)
 *   acquire-rounds/<id>/   extra attempts of iterative methods
 *   acquire-rounds/libraries-in/   snapshots of the libraries those attempts mounted
 *   learned/<condition>/   learner output (<family>/<skill>/) and raw-trace (_entries/, _tasks/<task>/)
 *   learned/<condition>@r<N>/   (directory `<condition>_r<N>`) round N's library of a method with rounds
 *   learning/<condition>/<family>/   context.json, method.log of each learner call (rounds: learning/<condition>_r<N>/)
 *   run.json trials.jsonl trials/ libraries/<condition>/<digest>/   the evaluation run
 *   summary.json tasks/    the analysis
 * ```
 */
export const PROTOCOL_VERSION = 1;

const CostSchema = z.strictObject({ prompt_tokens: z.number(), completion_tokens: z.number(), usd: z.number(), seconds: z.number(), calls: z.number(), scripted_model: z.boolean() });

export const ProtocolStateSchema = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  id: z.string(),
  guard: z.enum(["namespace", "none"]),
  feedback: z.enum(["none", "binary", "rich"]),
  acquire: z.strictObject({ finished_at: z.string(), episodes: z.number().int(), plan_digest: z.string() }).optional(),
  /**
   * `<condition>|<family>` → digest of the learner's output, with its cost; filled as learners
   * finish (resume skips them). Methods with rounds record every round: `<condition>@r<N>|<family>`
   * for N < R and `<condition>|<family>` for the last; `cost` is cumulative over rounds 1..N, and
   * `explore` keeps the exploration attempts the round asked for, so a resume can rerun them.
   */
  learned: z
    .record(
      z.string(),
      z.strictObject({
        digest: z.string(),
        method: z.string(),
        cost: CostSchema,
        round: z.number().int().min(1).optional(),
        explore: z.array(z.strictObject({ task: z.string(), library: z.string().optional() })).optional(),
      }),
    )
    .default({}),
  /** digests of what learners read besides the acquisition episodes: `corpus:<condition>`, `knowledge:<family>`; a change refuses to resume */
  inputs: z.record(z.string(), z.string()).optional(),
  freeze: z.strictObject({ finished_at: z.string(), libraries: z.record(z.string(), z.string()) }).optional(),
  evaluate: z.strictObject({ finished_at: z.string(), status: z.string() }).optional(),
  analyse: z.strictObject({ finished_at: z.string() }).optional(),
});
export type ProtocolState = z.infer<typeof ProtocolStateSchema>;

/** Paths of a protocol run, defined once (see the layout above). */
export const protocolPaths = (runDir: string) => ({
  state: join(runDir, "protocol.json"),
  /** one protocol process per run (the phases between the runs' own locks included) */
  lock: join(runDir, "protocol.lock"),
  acquireResults: runDir,
  acquireId: "acquire",
  acquireDir: join(runDir, "acquire"),
  roundsResults: join(runDir, "acquire-rounds"),
  learned: (condition: string) => join(runDir, "learned", condition.replace(/[^\w.-]/g, "_")),
  learnedRoot: join(runDir, "learned"),
  learning: (condition: string, family: string) => join(runDir, "learning", condition.replace(/[^\w.-]/g, "_"), family),
});

/** Reads protocol.json; undefined when the run has none yet. @throws InputError when it does not match its schema */
export async function readProtocolState(file: string): Promise<ProtocolState | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const r = ProtocolStateSchema.safeParse(JSON.parse(text));
  if (!r.success) throw new InputError("protocol.json does not match its schema", { file, hint: "it was edited or written by another version; start a new run id" });
  return r.data;
}

/** Atomic (temp + rename): a kill mid-write leaves the previous state. */
export async function writeProtocolState(file: string, state: ProtocolState): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(ProtocolStateSchema.parse(state), null, 2)}\n`);
  await rename(tmp, file);
}
