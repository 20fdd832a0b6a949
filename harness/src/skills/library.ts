import { lstat, readFile, realpath } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import { digestTree, listTree } from "../core/digest.ts";
import { InputError, errorMessage } from "../core/errors.ts";

/** One skill: a folder with a SKILL.md whose frontmatter names and describes it. */
export interface Skill {
  name: string;
  description: string;
  /** absolute path of the skill folder */
  dir: string;
  /** path of the skill folder relative to the library root */
  path: string;
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
      skills.push({ name: meta.name, description: meta.description, dir: skillDir, path: relative(root, skillDir).split(sep).join("/") || "." });
    } catch (error) {
      problems.push({ file: abs, message: errorMessage(error) });
    }
  }
  if (total > LIBRARY_LIMITS.totalBytes) problems.push({ file: root, message: `library is ${total} bytes, more than the cap of ${LIBRARY_LIMITS.totalBytes}` });
  const names = new Map<string, string>();
  for (const s of skills) {
    const other = names.get(s.name);
    if (other) problems.push({ file: join(s.dir, "SKILL.md"), message: `skill name \`${s.name}\` is also used by ${other}` });
    names.set(s.name, s.path);
  }
  return { library: { dir: root, digest: await digestTree(root), skills }, problems };
}

/** True when `dir` exists and is a directory (a library may legitimately be empty). */
export async function isDirectory(dir: string): Promise<boolean> {
  return lstat(dir).then((s) => s.isDirectory(), () => false);
}
