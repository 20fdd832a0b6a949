import { readFile, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";

/**
 * The exploration budget (issue 11): a process method may ask for extra acquisition attempts
 * by writing `explore.json` into its work directory (the directory of `$SKILLDELTA_CONTEXT`,
 * named in the context as `exploration.request_file`). The harness runs them on acquisition
 * tasks only, charges them to the condition's learning cost and gives their episodes to the
 * next round as `exploration_episodes`.
 */
export const EXPLORE_FILE = "explore.json";

export const ExploreRequestSchema = z.strictObject({
  attempts: z.array(
    z.strictObject({
      /** an acquisition task of the family being learned */
      task: z.string().min(1),
      /** library to mount, relative to the work directory; default: the library of this round */
      library: z.string().min(1).optional(),
    }),
  ),
});
export type ExploreRequest = z.infer<typeof ExploreRequestSchema>;

/** One validated attempt: the task and the absolute library directory (undefined = this round's library). */
export interface ExploreAttempt {
  task: string;
  library?: string;
}

/**
 * Reads and checks a method's exploration request, if it wrote one (in its work dir, or beside
 * its output directory). A request beyond the budget, naming a task that is not one of the
 * family's acquisition tasks, or pointing a library outside the work dir fails the phase: a
 * method that asks for evaluation tasks is a leak, not a quirk to paper over.
 * @throws InputError naming explore.json, the offending attempt and the fix
 */
export async function readExploreRequest(opts: {
  workDir: string;
  outDir: string;
  budget: number;
  acquisitionTasks: readonly string[];
  evaluationTasks: readonly string[];
}): Promise<{ file: string; attempts: ExploreAttempt[] } | undefined> {
  const candidates = [join(opts.workDir, EXPLORE_FILE), join(dirname(opts.outDir), EXPLORE_FILE)];
  let file: string | undefined;
  for (const c of candidates) if (await exists(c)) file = file ?? c;
  if (!file) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw new InputError("explore.json is not valid JSON", { file, hint: '{"attempts": [{"task": "<acquisition task id>", "library": "<dir in your work dir, optional>"}]}' });
  }
  const parsed = ExploreRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`explore.json does not match its schema: ${issue?.path.join(".")} ${issue?.message}`, { file, hint: '{"attempts": [{"task": "<acquisition task id>", "library": "<dir in your work dir, optional>"}]}' });
  }
  const { attempts } = parsed.data;
  if (attempts.length > opts.budget) {
    throw new InputError(`explore.json asks for ${attempts.length} exploration attempt(s), beyond the budget of ${opts.budget} per family per round`, {
      file,
      field: "learning.methods.exploration_attempts",
      hint: `request at most ${opts.budget} (the context's exploration.budget), or raise exploration_attempts in run.toml`,
    });
  }
  const out: ExploreAttempt[] = [];
  const work = await realpath(opts.workDir).catch(() => resolve(opts.workDir));
  for (const [i, a] of attempts.entries()) {
    if (!opts.acquisitionTasks.includes(a.task)) {
      const why = opts.evaluationTasks.includes(a.task) ? "is an evaluation task: exploration runs on acquisition tasks only" : "is not an acquisition task of this family";
      throw new InputError(`exploration attempt ${i}: task \`${a.task}\` ${why}`, { file, field: `attempts.${i}.task`, hint: `use one of: ${opts.acquisitionTasks.join(", ")}` });
    }
    let library: string | undefined;
    if (a.library !== undefined) {
      library = await realpath(resolve(work, a.library)).catch(() => undefined);
      const rel = library === undefined ? "" : relative(work, library);
      if (library === undefined || rel.startsWith("..") || isAbsolute(rel)) {
        throw new InputError(`exploration attempt ${i}: library \`${a.library}\` is not a directory inside the method's work dir`, { file, field: `attempts.${i}.library`, hint: "write the library into your work dir and give its relative path" });
      }
    }
    out.push({ task: a.task, library });
  }
  return { file, attempts: out };
}
