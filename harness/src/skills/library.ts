import { lstat, readFile, realpath } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import { digestTree, listTree } from "../core/digest.ts";
import { InputError, errorMessage } from "../core/errors.ts";

/**
 * One skill: a folder with a SKILL.md whose frontmatter names and describes it. A skill whose
 * folder lies inside another skill's folder is that skill's sub-skill (nested libraries,
 * SkillX-style levels); in a flat library every skill is top-level and `id === name`.
 */
export interface Skill {
  name: string;
  description: string;
  /** absolute path of the skill folder */
  dir: string;
  /** path of the skill folder relative to the library root */
  path: string;
  /**
   * qualified name: the names from the top-level ancestor down to this skill, joined by `/`
   * (`plans/deploy/rollback`). Unique in a valid library; equal to `name` for top-level skills.
   */
  id: string;
  /** `id` of the nearest enclosing skill; absent for top-level skills */
  parent?: string;
  /** 1 for top-level skills, 2 for their sub-skills, … */
  depth: number;
}

/** A skill library as the agent sees it: a directory of skills, frozen by digest. */
export interface SkillLibrary {
  dir: string;
  digest: string;
  skills: Skill[];
}

export interface LibraryProblem {
  file: string;
  message: string;
}

/** Caps from DESIGN section 2 (freeze): a library is advice, not a data dump. */
export const LIBRARY_LIMITS = {
  skillMdBytes: 64 * 1024,
  fileBytes: 1024 * 1024,
  totalBytes: 16 * 1024 * 1024,
  files: 2000,
} as const;

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/**
 * Reads SKILL.md frontmatter (`name`, `description`).
 * @throws InputError naming the file and the missing field
 */
export function parseSkillMd(text: string, file: string): { name: string; description: string; body: string } {
  const m = FRONTMATTER.exec(text);
  if (!m) throw new InputError("SKILL.md has no YAML frontmatter", { file, hint: "start the file with ---, `name:` and `description:` lines, then ---" });
  let meta: unknown;
  try {
    meta = parseYaml(m[1]!);
  } catch (error) {
    throw new InputError(`invalid YAML frontmatter: ${errorMessage(error).split("\n")[0]}`, { file, hint: "quote values that contain a colon" });
  }
  const record = (meta && typeof meta === "object" ? meta : {}) as Record<string, unknown>;
  for (const field of ["name", "description"] as const) {
    if (typeof record[field] !== "string" || !(record[field] as string).trim()) {
      throw new InputError(`missing \`${field}\` in frontmatter`, { file, field, hint: `add a one-line \`${field}:\` to the frontmatter` });
    }
  }
  return { name: String(record.name).trim(), description: String(record.description).trim().replace(/\s+/g, " "), body: text.slice(m[0].length) };
}

/**
 * Loads and validates a library directory: every `SKILL.md` (at any depth) is a skill;
 * symlinks that leave the library, oversize files and broken frontmatter are problems.
 * A library with problems still loads its valid skills; callers decide whether to refuse.
 */
export async function loadLibrary(dir: string): Promise<{ library: SkillLibrary; problems: LibraryProblem[] }> {
  const root = resolve(dir);
  const problems: LibraryProblem[] = [];
  const skills: Skill[] = [];
  const entries = await listTree(root);
  let total = 0;
  if (entries.length > LIBRARY_LIMITS.files) problems.push({ file: root, message: `${entries.length} files, more than the cap of ${LIBRARY_LIMITS.files}` });
  const realRoot = await realpath(root);
  for (const entry of entries) {
    const abs = join(root, ...entry.path.split("/"));
    if (entry.kind === "symlink") {
      const target = await realpath(abs).catch(() => undefined);
      if (!target || !(target === realRoot || target.startsWith(realRoot + sep))) {
        problems.push({ file: abs, message: "symlink points outside the library; libraries must be self-contained" });
      }
      continue;
    }
    total += entry.size;
    if (entry.size > LIBRARY_LIMITS.fileBytes) problems.push({ file: abs, message: `file is ${entry.size} bytes, more than the cap of ${LIBRARY_LIMITS.fileBytes}` });
    if (entry.executable && !/(^|\/)scripts\//.test(entry.path)) {
      problems.push({ file: abs, message: "executable file outside a skill's scripts/ folder" });
    }
    if (!entry.path.endsWith("SKILL.md") || !/(^|\/)SKILL\.md$/.test(entry.path)) continue;
    if (entry.size > LIBRARY_LIMITS.skillMdBytes) {
      problems.push({ file: abs, message: `SKILL.md is ${entry.size} bytes, more than the cap of ${LIBRARY_LIMITS.skillMdBytes}` });
      continue;
    }
    try {
      const meta = parseSkillMd(await readFile(abs, "utf8"), abs);
      const skillDir = join(abs, "..");
      const path = relative(root, skillDir).split(sep).join("/") || ".";
      skills.push({ name: meta.name, description: meta.description, dir: skillDir, path, id: meta.name, depth: 1 });
    } catch (error) {
      problems.push({ file: abs, message: errorMessage(error) });
    }
  }
  if (total > LIBRARY_LIMITS.totalBytes) problems.push({ file: root, message: `library is ${total} bytes, more than the cap of ${LIBRARY_LIMITS.totalBytes}` });
  nestSkills(skills);
  // Names may repeat under different parents; the qualified id may not (tools address skills by it).
  const ids = new Map<string, string>();
  for (const s of skills) {
    const other = ids.get(s.id);
    const what = s.parent ? `qualified skill name \`${s.id}\`` : `skill name \`${s.name}\``;
    if (other) problems.push({ file: join(s.dir, "SKILL.md"), message: `${what} is also used by ${other}` });
    ids.set(s.id, s.path);
  }
  return { library: { dir: root, digest: await digestTree(root), skills }, problems };
}

/**
 * Sets `parent`, `id` and `depth` from folder nesting: a skill's parent is the skill whose
 * folder is the nearest proper ancestor of its own. Mutates the freshly built array only.
 */
function nestSkills(skills: Skill[]): void {
  const byPath = new Map(skills.map((s) => [s.path, s]));
  const parentOf = (s: Skill): Skill | undefined => {
    if (s.path === ".") return undefined;
    const parts = s.path.split("/");
    for (let i = parts.length - 1; i >= 0; i--) {
      const owner = byPath.get(i === 0 ? "." : parts.slice(0, i).join("/"));
      if (owner) return owner;
    }
    return undefined;
  };
  const chain = (s: Skill): Skill[] => {
    const out = [s];
    for (let p = parentOf(s); p; p = parentOf(p)) out.unshift(p);
    return out;
  };
  for (const s of skills) {
    const c = chain(s);
    s.id = c.map((x) => x.name).join("/");
    s.depth = c.length;
    if (c.length > 1) s.parent = c[c.length - 2]!.id;
    else delete s.parent;
  }
}

/** Skills a reader sees first: those inside no other skill (all of them in a flat library). */
export function topLevelSkills(library: SkillLibrary): Skill[] {
  return library.skills.filter((s) => s.parent === undefined);
}

/** The direct sub-skills of the skill with qualified name `parentId`. */
export function subSkills(library: SkillLibrary, parentId: string): Skill[] {
  return library.skills.filter((s) => s.parent === parentId);
}

/** True when some skill contains another (the library has more than one level). */
export function isNested(library: SkillLibrary): boolean {
  return library.skills.some((s) => s.parent !== undefined);
}

/**
 * Finds a skill by what a model or user typed: its qualified name (`parent/sub`), its folder
 * path relative to the library, or a bare name when exactly one skill has it.
 * @returns the skill, or the candidates when a bare name is ambiguous
 */
export function resolveSkill(library: SkillLibrary, ref: unknown): { skill: Skill } | { ambiguous: Skill[] } | undefined {
  if (typeof ref !== "string" || !ref.trim()) return undefined;
  const key = ref.trim().replace(/^\/+|\/+$/g, "");
  const exact = library.skills.find((s) => s.id === key) ?? library.skills.find((s) => s.path === key);
  if (exact) return { skill: exact };
  const byName = library.skills.filter((s) => s.name === key);
  if (byName.length === 1) return { skill: byName[0]! };
  return byName.length ? { ambiguous: byName } : undefined;
}

/** True when `dir` exists and is a directory (a library may legitimately be empty). */
export async function isDirectory(dir: string): Promise<boolean> {
  return lstat(dir).then((s) => s.isDirectory(), () => false);
}
