import { createReadStream } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InputError } from "../core/errors.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import { TrialRecordSchema } from "../run/schema.ts";
import { AggregateCellSchema, type AggregateCell } from "./cells-schema.ts";
import { scanRange, type JournalPart } from "./journal-scan.ts";
import type { JournalStats, TrialFact } from "./model.ts";
import { mergeParts, type TrialTable } from "./trial-table.ts";

/** How `readJournal` spreads the work; the default suits the file's size and the machine. */
export interface JournalReadOptions {
  /** ranges scanned in parallel (the first on this thread, the rest in worker threads) */
  threads?: number;
}

// below this a worker's start-up (loading zod) costs more than it saves
const PARALLEL_MIN_BYTES = 32 << 20;

/**
 * Streams `trials.jsonl` and keeps, per trial key, the last attempt (highest `attempt`; on a
 * tie the later line). A last line that does not parse is a torn write and is skipped; a bad
 * line anywhere else is corruption and throws. Large journals are cut into byte ranges at line
 * starts and scanned in parallel (worker threads); each range is read in 4 MiB chunks, so the
 * file is never held whole. Lines are checked by a hand-written guard with the zod schema as
 * the fallback and the source of the error message (journal-guard.ts).
 * @throws InputError naming the file, line and field of the first bad line
 */
export async function readJournalTable(file: string, options: JournalReadOptions = {}): Promise<{ table: TrialTable; stats: JournalStats }> {
  const size = (await stat(file)).size;
  const threads = Math.max(1, Math.floor(options.threads ?? (size >= PARALLEL_MIN_BYTES ? Math.min(4, availableParallelism()) : 1)));
  const bounds = await lineStarts(file, size, threads);
  const parts = await Promise.all(bounds.slice(0, -1).map((start, i) => {
    const end = bounds[i + 1]!;
    return i === 0 ? scanRange(file, start, end) : scanInWorker(file, start, end);
  }));
  let lines = 0;
  let attempts = 0;
  let torn = 0;
  for (const [i, p] of parts.entries()) {
    if (p.bad) {
      const line = lines + p.bad.line;
      if (p.badFollowed || parts.slice(i + 1).some((q) => q.lines > 0)) throw lineError(file, line, p.bad.text);
      torn = 1;
    }
    lines += p.lines;
    attempts += p.rows;
  }
  const table = mergeParts(parts);
  return { table, stats: { lines, attempts, torn_lines: torn, final_trials: table.n } };
}

/**
 * `readJournalTable` with the final trials as objects, in the order their keys first appear.
 * @throws InputError naming the file, line and field of the first bad line
 */
export async function readJournal(file: string, options: JournalReadOptions = {}): Promise<{ trials: TrialFact[]; stats: JournalStats }> {
  const { table, stats } = await readJournalTable(file, options);
  return { trials: table.facts(), stats };
}

/** The same error a sequential read raises for this line: JSON first, then the schema. */
function lineError(file: string, line: number, text: string): InputError {
  try {
    parseOrThrow(TrialRecordSchema, JSON.parse(text), `${file}:${line}`);
  } catch (error) {
    return asInputError(file, line, error);
  }
  return new InputError(`line ${line} was rejected while reading but passes on its own`, { file: `${file}:${line}`, hint: "report this as a bug in analysis/journal-scan.ts" });
}

/** `threads` + 1 offsets: 0, then the first line start at or after each k/threads of the file, then the size. */
async function lineStarts(file: string, size: number, threads: number): Promise<number[]> {
  const out = [0];
  if (threads > 1) {
    const fh = await open(file, "r");
    try {
      const buf = Buffer.allocUnsafe(64 << 10);
      for (let k = 1; k < threads; k++) {
        let pos = Math.max(out[out.length - 1]!, Math.floor((size * k) / threads), 1);
        let found = -1;
        while (found < 0 && pos < size) {
          // the byte before `pos` decides whether pos already starts a line
          const from = pos - 1;
          const { bytesRead } = await fh.read(buf, 0, buf.length, from);
          if (bytesRead === 0) break;
          const at = buf.subarray(0, bytesRead).indexOf(10);
          if (at >= 0) found = from + at + 1;
          else pos = from + bytesRead + 1;
        }
        if (found > 0 && found < size && found > out[out.length - 1]!) out.push(found);
      }
    }
    finally {
      await fh.close();
    }
  }
  out.push(size);
  return out;
}

function scanInWorker(file: string, start: number, end: number): Promise<JournalPart> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./journal-worker.ts", import.meta.url), { workerData: { file, start, end } });
    w.once("message", (part: JournalPart) => {
      resolve(part);
      void w.terminate();
    });
    w.once("error", reject);
    w.once("exit", (code) => {
      if (code !== 0) reject(new Error(`journal worker for ${file} bytes ${start}-${end} exited with code ${code}`));
    });
  });
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
