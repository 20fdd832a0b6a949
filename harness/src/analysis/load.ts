import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { InputError, SkillDeltaError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import { readCells, readJournal } from "./journal.ts";
import { analysisPaths } from "./layout.ts";
import type { RunData } from "./model.ts";
import { readRunMeta } from "./run-meta.ts";

/**
 * Loads a run directory for analysis: run.json (defensively), the journal (streamed) and any
 * aggregated cells, plus task instructions found under run.json's `config.tasks` directories.
 * @throws SkillDeltaError SD_NOT_FOUND when the directory has neither a journal nor cells
 * @throws InputError for a malformed journal line, cells line or unreadable run.json
 */
export async function loadRun(runDir: string): Promise<RunData> {
  const p = analysisPaths(runDir);
  const hasJournal = await exists(p.journal);
  const hasCells = await exists(p.cells);
  if (!hasJournal && !hasCells) {
    throw new SkillDeltaError("SD_NOT_FOUND", "no trials.jsonl or cells.jsonl in this run directory", {
      file: runDir, hint: "pass a run directory such as results/<run-id>, or a run id under ./results",
    });
  }
  let raw: unknown = {};
  if (await exists(p.runJson)) {
    try {
      raw = JSON.parse(await readFile(p.runJson, "utf8"));
    } catch (error) {
      throw new InputError(`run.json is not valid JSON: ${(error as Error).message}`, { file: p.runJson, hint: "restore it, or delete it to analyse the journal alone" });
    }
  }
  const meta = readRunMeta(raw, basename(runDir));
  const journal = hasJournal ? await readJournal(p.journal) : { trials: [], stats: { lines: 0, attempts: 0, torn_lines: 0, final_trials: 0 } };
  const cells = await readCells(p.cells);
  const tasks = new Set([...journal.trials.map((t) => t.task), ...cells.map((c) => c.task)]);
  return { meta, trials: journal.trials, cells, journal: journal.stats, instructions: await findInstructions(raw, tasks, journal.trials) };
}

/** Best effort: `<dir>/<task>/instruction.md` or `<dir>/<family>/<task>/instruction.md` for each configured tasks dir. */
async function findInstructions(raw: unknown, tasks: Set<string>, trials: RunData["trials"]): Promise<Record<string, string>> {
  const config = (raw as { config?: { tasks?: unknown } }).config;
  const dirs = Array.isArray(config?.tasks) ? config.tasks.filter((d): d is string => typeof d === "string") : [];
  if (dirs.length === 0) return {};
  const family = new Map(trials.map((t) => [t.task, t.family]));
  const out: Record<string, string> = {};
  for (const task of tasks) {
    for (const d of dirs) {
      const candidates = [join(d, task, "instruction.md"), join(d, family.get(task) ?? "\u0000", task, "instruction.md")];
      if (basename(d) === task) candidates.unshift(join(d, "instruction.md"));
      const found = await firstReadable(candidates);
      if (found !== null) {
        out[task] = found;
        break;
      }
    }
  }
  return out;
}

async function firstReadable(files: string[]): Promise<string | null> {
  for (const f of files) {
    try {
      return await readFile(f, "utf8");
    } catch {
      // not there: try the next layout
    }
  }
  return null;
}

/**
 * Writes a JSON file atomically (temp + rename) with a trailing newline. Compact: these files
 * are read by the site and tools (a 1 M-trial run's summary is ~2× larger and slower indented);
 * `skilldelta report` is the human view.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(value)}\n`);
  await rename(tmp, file);
}

/** Replaces a directory's contents: the task pages of an earlier analysis must not linger. */
export async function freshDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
