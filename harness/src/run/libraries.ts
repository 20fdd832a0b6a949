import { dirname, join } from "node:path";
import { InputError } from "../core/errors.ts";
import { freezeLibrary, isDirectory, skillFolders, type SkillLibrary } from "../skills/index.ts";
import type { Task } from "../task/load.ts";

/**
 * Resolves and freezes the library each (condition, task) sees, before any trial runs:
 * - `no-skill`: none;
 * - `curated`: the family's `skills/` plus the task's `extra_skills` from other families;
 * - a condition bound in `[libraries]`: that directory (its `_tasks/<task>/` subfolder when it
 *   has one, else its `<family>/` subfolder, the SkillLearnBench layout), frozen as-is.
 * Frozen copies live in `results/<run>/libraries/<condition>/<digest>/`.
 * @throws InputError for a learned condition with no library yet, or an invalid skill
 */
export async function resolveLibraries(opts: {
  conditions: string[];
  bindings: Record<string, string>;
  tasks: Task[];
  librariesDir: string;
}): Promise<Map<string, SkillLibrary | undefined>> {
  const out = new Map<string, SkillLibrary | undefined>();
  const frozen = new Map<string, Promise<SkillLibrary>>();
  const freeze = (condition: string, dirs: string[]) => {
    const k = `${condition}|${[...dirs].sort().join("|")}`;
    let lib = frozen.get(k);
    if (!lib) {
      lib = freezeLibrary(condition, dirs, opts.librariesDir);
      frozen.set(k, lib);
    }
    return lib;
  };
  const familiesById = new Map(opts.tasks.map((t) => [t.family.id, t.family]));
  for (const condition of opts.conditions) {
    for (const task of opts.tasks) {
      const key = libraryKey(condition, task.id);
      if (condition === "no-skill") {
        out.set(key, undefined);
      } else if (opts.bindings[condition]) {
        const root = opts.bindings[condition];
        if (!(await isDirectory(root))) throw new InputError("library directory not found", { file: root, field: `libraries.${condition}`, hint: "point it at a directory of skill folders" });
        // Most specific first: a per-task library (`_tasks/<task>/`, e.g. raw-trace retrieval),
        // then the family's subfolder (SkillLearnBench layout), then the whole directory.
        const taskDir = join(root, PER_TASK_DIR, task.id);
        const famDir = join(root, task.family.id);
        const base = (await isDirectory(taskDir)) ? taskDir : (await isDirectory(famDir)) ? famDir : root;
        const lib = freeze(condition, await skillFolders(base)).catch((e: unknown) => {
          // The binding is what the user controls: name it as the field at fault.
          throw e instanceof InputError && !e.field ? new InputError(e.message, { file: e.file, field: `libraries.${condition}`, hint: e.hint, cause: e }) : e;
        });
        out.set(key, await lib);
      } else if (condition === "curated") {
        const dirs = task.family.skillsDir ? await skillFolders(task.family.skillsDir) : [];
        for (const ref of task.config.metadata.extra_skills ?? []) {
          const [fam, skill] = ref.split("/") as [string, string];
          // The other family need not be part of this run: it is looked up beside the task's own.
          const other = familiesById.get(fam);
          const dir = other?.skillsDir ? join(other.skillsDir, skill) : join(dirname(task.family.dir), fam, "skills", skill);
          if (!dir || !(await isDirectory(dir))) {
            throw new InputError(`extra skill \`${ref}\` not found`, { file: join(task.dir, "task.toml"), field: "metadata.extra_skills", hint: `load family \`${fam}\` too, or fix the name` });
          }
          dirs.push(dir);
        }
        out.set(key, await freeze(condition, dirs));
      } else {
        throw new InputError(`condition \`${condition}\` has no library`, {
          field: "conditions",
          hint: `bind one with [libraries] "${condition}" = "<dir>" (e.g. a library imported from a paper); learned libraries are produced by the learning phase`,
        });
      }
    }
  }
  return out;
}

/** Subfolder of a bound library directory holding one library per task (`_tasks/<task-id>/`). */
export const PER_TASK_DIR = "_tasks";

export function libraryKey(condition: string, task: string): string {
  return `${condition}|${task}`;
}
