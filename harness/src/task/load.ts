import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { digestTree } from "../core/digest.ts";
import { InputError, SkillDeltaError, errorMessage } from "../core/errors.ts";
import { familyPaths, taskPaths } from "../core/paths.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import { FamilyTomlSchema, TaskTomlSchema, type FamilyToml, type TaskToml } from "./schema.ts";

export interface Family {
  id: string;
  dir: string;
  /** undefined for foreign suites without a family.toml */
  config?: FamilyToml;
  /** absolute path of `skills/` when the family ships curated skills */
  skillsDir?: string;
  /** absolute path of the knowledge base family.toml declares (`knowledge`), for learners only */
  knowledgeDir?: string;
}

export interface Task {
  id: string;
  dir: string;
  family: Family;
  config: TaskToml;
  instruction: string;
  /** sha256 over the task directory (see core/digest `digestTree`) */
  digest: string;
  split?: "acquisition" | "evaluation";
  role?: string;
}

export interface LoadProblem {
  path: string;
  error: SkillDeltaError;
}

export interface LoadResult {
  tasks: Task[];
  families: Family[];
  /** tasks that could not be loaded; the others still are */
  problems: LoadProblem[];
}

const MAX_DEPTH = 4;

/** Finds task directories (those holding task.toml) under each path, the path itself included. */
async function findTaskDirs(root: string, depth = 0): Promise<string[]> {
  const st = await stat(root).catch(() => undefined);
  if (!st?.isDirectory()) return [];
  if (await exists(taskPaths(root).config)) return [root];
  if (depth >= MAX_DEPTH) return [];
  const names = (await readdir(root)).filter((n) => !n.startsWith(".") && n !== "node_modules" && n !== "skills").sort();
  const found = await Promise.all(names.map((n) => findTaskDirs(join(root, n), depth + 1)));
  return found.flat();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function readToml(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return parseToml(text);
  } catch (error) {
    // smol-toml knows where the syntax broke: that position is the field to point at.
    const at = error as { line?: number; column?: number };
    throw new InputError(`invalid TOML: ${errorMessage(error).split("\n")[0]}`, {
      file,
      field: at.line ? `line ${at.line}, column ${at.column}` : undefined,
      hint: "fix the syntax (strings quoted, one [table] header per section)",
    });
  }
}

/** Loads (and caches per call) the family a task directory belongs to. */
async function familyFor(taskDir: string, cache: Map<string, Promise<Family>>): Promise<Family> {
  const parent = dirname(taskDir);
  let pending = cache.get(parent);
  if (!pending) {
    pending = (async (): Promise<Family> => {
      const paths = familyPaths(parent);
      const skillsDir = (await exists(paths.skillsDir)) ? paths.skillsDir : undefined;
      if (!(await exists(paths.config))) return { id: basename(parent), dir: parent, skillsDir };
      const config = parseOrThrow(FamilyTomlSchema, await readToml(paths.config), paths.config);
      if (!config.knowledge) return { id: config.id, dir: parent, config, skillsDir };
      const knowledgeDir = join(parent, config.knowledge);
      if (!(await stat(knowledgeDir).then((s) => s.isDirectory(), () => false))) {
        throw new InputError(`knowledge base \`${config.knowledge}\` is not a directory`, { file: paths.config, field: "knowledge", hint: "create the directory beside family.toml, or remove the `knowledge` line" });
      }
      return { id: config.id, dir: parent, config, skillsDir, knowledgeDir };
    })();
    cache.set(parent, pending);
  }
  return pending;
}

/** Loads one task directory. @throws InputError naming the file and field at fault */
export async function loadTask(dir: string, family?: Family): Promise<Task> {
  const paths = taskPaths(resolve(dir));
  for (const required of [paths.instruction, paths.config, paths.dockerfile, paths.testScript]) {
    if (!(await exists(required))) {
      throw new InputError("required file is missing", {
        file: required,
        hint: "a Harbor task needs instruction.md, task.toml, environment/Dockerfile and tests/test.sh",
      });
    }
  }
  const config = parseOrThrow(TaskTomlSchema, await readToml(paths.config), paths.config);
  const fam = family ?? (await familyFor(paths.dir, new Map()));
  const id = basename(paths.dir);
  const split = config.metadata.split ?? splitFromFamily(fam, id);
  const role = config.metadata.role ?? (split === "acquisition" ? "acquisition" : undefined);
  return {
    id,
    dir: paths.dir,
    family: fam,
    config,
    instruction: await readFile(paths.instruction, "utf8"),
    digest: await digestTree(paths.dir),
    split,
    role,
  };
}

function splitFromFamily(family: Family, id: string): Task["split"] {
  if (family.config?.splits.acquisition.includes(id)) return "acquisition";
  if (family.config?.splits.evaluation.includes(id)) return "evaluation";
  return undefined;
}

/**
 * Loads every task under the given paths (a task dir, a family dir or a whole suite).
 * A bad task is reported in `problems` and skipped; it never stops the others.
 */
export async function loadTasks(paths: string[]): Promise<LoadResult> {
  const cache = new Map<string, Promise<Family>>();
  const tasks: Task[] = [];
  const problems: LoadProblem[] = [];
  const seen = new Map<string, string>();
  for (const root of paths) {
    const abs = resolve(root);
    if (!(await exists(abs))) {
      problems.push({ path: abs, error: new InputError("no such directory", { file: abs, hint: "pass a task, family or suite directory" }) });
      continue;
    }
    for (const dir of await findTaskDirs(abs)) {
      try {
        const task = await loadTask(dir, await familyFor(dir, cache));
        const clash = seen.get(task.id);
        if (clash && clash !== task.dir) {
          throw new InputError(`task id \`${task.id}\` is also used by ${clash}`, { file: task.dir, hint: "task directory names must be unique across the suite" });
        }
        if (!clash) tasks.push(task);
        seen.set(task.id, task.dir);
      } catch (error) {
        problems.push({ path: dir, error: error instanceof SkillDeltaError ? error : new InputError(errorMessage(error), { file: dir }) });
      }
    }
  }
  const families = [...new Map(tasks.map((t) => [t.family.dir, t.family])).values()];
  problems.push(...(await checkFamilySplits(families, tasks)));
  return { tasks, families, problems };
}

/** A family's split lists must name tasks that exist (typos would silently drop tasks). */
async function checkFamilySplits(families: Family[], tasks: Task[]): Promise<LoadProblem[]> {
  const problems: LoadProblem[] = [];
  for (const family of families) {
    if (!family.config) continue;
    const ids = new Set(tasks.filter((t) => t.family === family).map((t) => t.id));
    for (const split of ["acquisition", "evaluation"] as const) {
      for (const id of family.config.splits[split]) {
        if (!ids.has(id)) {
          const file = familyPaths(family.dir).config;
          problems.push({ path: file, error: new InputError(`split lists task \`${id}\` that does not exist`, { file, field: `splits.${split}`, hint: "remove the id or add the task directory" }) });
        }
      }
    }
  }
  return problems;
}
