import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { InputError } from "../core/errors.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import { TrialRecordSchema, type TrialRecord } from "../run/schema.ts";
import { AggregateCellSchema, type AggregateCell } from "./cells-schema.ts";
import type { JournalStats, TrialFact } from "./model.ts";

/**
 * Streams `trials.jsonl` line by line and keeps, per trial key, the last attempt (highest
 * `attempt`; on a tie the later line). A last line that does not parse is a torn write and is
 * skipped; a bad line anywhere else is corruption and throws.
 * @throws InputError naming the file, line and field of the first bad line
 */
export async function readJournal(file: string): Promise<{ trials: TrialFact[]; stats: JournalStats }> {
  const byKey = new Map<string, TrialFact>();
  const intern = new Map<string, string>();
  const s = (v: string): string => {
    const got = intern.get(v);
    if (got !== undefined) return got;
    intern.set(v, v);
    return v;
  };
  let lines = 0;
  let attempts = 0;
  let pending: { line: number; error: unknown } | null = null;
  for await (const batch of lineBatches(file)) for (const text of batch) {
    lines++;
    if (pending) throw asInputError(file, pending.line, pending.error);
    if (text.trim() === "") continue;
    let record: TrialRecord;
    try {
      record = parseOrThrow(TrialRecordSchema, JSON.parse(text), `${file}:${lines}`);
    } catch (error) {
      pending = { line: lines, error };
      continue;
    }
    attempts++;
    const prev = byKey.get(record.key);
    if (prev && prev.attempts > record.attempt) {
      prev.attempts = Math.max(prev.attempts, record.attempt);
      continue;
    }
    byKey.set(record.key, toFact(record, s, Math.max(record.attempt, prev?.attempts ?? 0)));
  }
  const trials = [...byKey.values()];
  return { trials, stats: { lines, attempts, torn_lines: pending ? 1 : 0, final_trials: trials.length } };
}

function toFact(r: TrialRecord, s: (v: string) => string, attempts: number): TrialFact {
  const t = r.tokens;
  return {
    key: r.key,
    trial_id: r.trial_id,
    task: s(r.task),
    family: s(r.family),
    role: r.role === undefined ? null : s(r.role),
    condition: s(r.condition),
    agent: s(r.agent),
    index: r.index,
    outcome: r.outcome,
    reward: r.reward,
    attempts,
    // cached tokens are a subset of prompt tokens (OpenAI usage semantics), so not added again
    tokens: t ? t.prompt + t.completion : null,
    prompt_tokens: t ? t.prompt : null,
    completion_tokens: t ? t.completion : null,
    cached_tokens: t ? t.cached : null,
    cost_usd: r.cost_usd ?? null,
    seconds: r.timings_ms.total / 1000,
    skills_loaded: r.skills_loaded.length,
    error: r.error ?? null,
    artifacts_dir: r.artifacts_dir,
    // issue 11: skill-token overhead and chance baseline (analysis/overhead.ts)
    skill_tokens: r.skill_tokens ? r.skill_tokens.total : null,
    skill_step_sum: r.skill_tokens ? r.skill_tokens.step_sum : null,
    skill_steps: r.skill_tokens ? r.skill_tokens.steps : null,
    chance: r.chance ?? null,
  };
}

/**
 * Reads `cells.jsonl` (aggregated counts); an absent file is an empty list.
 * @throws InputError naming the file, line and field of a bad line
 */
export async function readCells(file: string): Promise<AggregateCell[]> {
  try {
    await access(file);
  } catch {
    return [];
  }
  const out: AggregateCell[] = [];
  let line = 0;
  for await (const batch of lineBatches(file)) for (const text of batch) {
    line++;
    if (text.trim() === "") continue;
    try {
      out.push(parseOrThrow(AggregateCellSchema, JSON.parse(text), `${file}:${line}`));
    } catch (error) {
      throw asInputError(file, line, error);
    }
  }
  return out;
}

/**
 * Lines of a file, streamed in 1 MiB chunks. readline's async iterator costs a promise per
 * line (about half the read time on a million-line journal), so lines are split per chunk and
 * yielded in batches; memory stays one chunk plus one batch.
 */
async function* lineBatches(file: string): AsyncIterable<string[]> {
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    yield lines.map(stripCr);
  }
  if (rest !== "") yield [stripCr(rest)];
}

const stripCr = (line: string): string => (line.endsWith("\r") ? line.slice(0, -1) : line);

function asInputError(file: string, line: number, error: unknown): InputError {
  if (error instanceof InputError) return error;
  return new InputError(`line ${line} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, {
    file: `${file}:${line}`,
    hint: "only the last line may be torn; restore the journal from a backup or remove the damaged line",
  });
}
