import { open, readFile, truncate, stat, type FileHandle } from "node:fs/promises";
import { InputError } from "../core/errors.ts";
import { RETRYABLE_OUTCOMES, TrialRecordSchema, type TrialRecord } from "./schema.ts";

export interface JournalState {
  /** last attempt per trial key */
  latest: Map<string, TrialRecord>;
  /** attempts per key */
  attempts: Map<string, number>;
  /** a torn last line (kill -9 mid-write) that was dropped */
  tornBytes: number;
  lines: number;
}

/**
 * Reads trials.jsonl. A last line without its newline is a torn write from a killed process:
 * it is dropped (and truncated away before new appends). A malformed line anywhere else means
 * the file was damaged or edited, which is an error, never silently skipped.
 * @throws InputError naming the file and line
 */
export async function readJournal(file: string): Promise<JournalState> {
  const state: JournalState = { latest: new Map(), attempts: new Map(), tornBytes: 0, lines: 0 };
  const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return "";
    throw e;
  });
  if (!text) return state;
  const complete = text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
  state.tornBytes = Buffer.byteLength(text) - Buffer.byteLength(complete);
  const lines = complete.split("\n");
  lines.pop();
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new InputError(`line ${i + 1} is not valid JSON`, { file, hint: "the journal was edited or damaged; restore it from a backup or start a new run id" });
    }
    const r = TrialRecordSchema.safeParse(parsed);
    if (!r.success) {
      throw new InputError(`line ${i + 1} is not a trial record: ${r.error.issues[0]?.path.join(".")} ${r.error.issues[0]?.message}`, { file, hint: "the journal was written by another version or edited" });
    }
    state.lines++;
    state.latest.set(r.data.key, r.data);
    state.attempts.set(r.data.key, Math.max(state.attempts.get(r.data.key) ?? 0, r.data.attempt));
  });
  return state;
}

/** A key is done once it has a non-retryable outcome or has used all its attempts. */
export function isComplete(state: JournalState, key: string, maxRetries: number): boolean {
  const last = state.latest.get(key);
  if (!last) return false;
  return !RETRYABLE_OUTCOMES.has(last.outcome) || (state.attempts.get(key) ?? 0) > maxRetries;
}

/**
 * Append-only writer. Each record is one `write` of one line followed by `datasync`, so after
 * a crash the file holds every finished trial and at most one torn last line. Writes are
 * serialised, so concurrent trials never interleave bytes.
 */
export class JournalWriter {
  private handle: FileHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly file: string;

  private constructor(file: string) {
    this.file = file;
  }

  /** Opens for appending, first cutting off a torn last line so new lines start clean. */
  static async open(file: string): Promise<JournalWriter> {
    const writer = new JournalWriter(file);
    const size = (await stat(file).catch(() => undefined))?.size ?? 0;
    if (size > 0) {
      const text = await readFile(file);
      const lastNl = text.lastIndexOf(0x0a);
      if (lastNl !== text.length - 1) await truncate(file, lastNl + 1);
    }
    writer.handle = await open(file, "a");
    return writer;
  }

  append(record: TrialRecord): Promise<void> {
    const line = `${JSON.stringify(TrialRecordSchema.parse(record))}\n`;
    const next = this.chain.then(async () => {
      if (!this.handle) throw new Error(`journal ${this.file} is closed`);
      await this.handle.write(line);
      await this.handle.datasync();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle?.close();
    this.handle = undefined;
  }
}
