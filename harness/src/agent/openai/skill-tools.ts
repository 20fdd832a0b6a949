import { lstat, open, readdir, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { isNested, resolveSkill, subSkills, topLevelSkills, type Skill, type SkillLibrary } from "../../skills/library.ts";
import type { SkillEvent } from "../trajectory.ts";

/**
 * The skill tools, run on the HOST against the condition's library directory (the same
 * library is mounted read-only in the sandbox for bash). Every path a model names is checked:
 * no absolute paths, no `..`, and no symlink that resolves outside the skill.
 *
 * Nested libraries are disclosed level by level: `list_skills` without `parent` and the system
 * prompt show top-level skills; `load_skill` of a skill shows its body plus its DIRECT
 * sub-skills (qualified name + description); `list_skills {parent}` lists one level. Skills are
 * addressed, and recorded in events, by qualified name (`parent/sub`), which in a flat
 * library is just the name.
 */

/** Bytes of one skill file returned to the model; the rest is replaced by a marker. */
export const SKILL_FILE_CAP_BYTES = 256 * 1024;

export type SkillEventDraft = Pick<SkillEvent, "type" | "skill" | "path" | "via">;

export interface SkillToolResult {
  content: string;
  events: SkillEventDraft[];
}

function findSkill(library: SkillLibrary, ref: unknown): { skill: Skill } | { error: SkillToolResult } {
  const found = resolveSkill(library, ref);
  if (found && "skill" in found) return found;
  if (found) {
    const ids = found.ambiguous.map((s) => s.id).join(", ");
    return { error: { content: `error: several skills are named ${JSON.stringify(ref)}: ${ids}. Use the qualified name (parent/sub).`, events: [] } };
  }
  const known = topLevelSkills(library).map((s) => s.id).join(", ") || "(none)";
  const nested = isNested(library) ? " (sub-skills are listed when their parent is loaded, and addressed as parent/sub)" : "";
  return { error: { content: `error: there is no skill named ${JSON.stringify(ref)}. Available skills: ${known}${nested}`, events: [] } };
}

/** `- <qualified name>: <description>` lines, the one listing format of prompt and tools. */
export function skillListing(skills: readonly Skill[]): string {
  return skills.map((s) => `- ${s.id}: ${s.description}`).join("\n");
}

async function readCapped(file: string, cap: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(size, cap));
    await handle.read(buf, 0, buf.length, 0);
    const text = buf.toString("utf8");
    return size > cap ? `${text}\n[... file truncated: ${size - cap} more bytes not shown ...]` : text;
  } finally {
    await handle.close();
  }
}

/**
 * Files of a skill folder, relative, sorted (at most 200 listed). Folders in `skip` (the
 * sub-skills) are left out: they are disclosed as skills, one level at a time.
 */
async function skillFiles(dir: string, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= 200) return;
      const abs = join(d, entry.name);
      if (entry.isDirectory() && skip.has(abs)) continue;
      if (entry.isDirectory()) await walk(abs);
      else out.push(relative(dir, abs).split(sep).join("/"));
    }
  };
  await walk(dir);
  return out;
}

/**
 * `list_skills`: qualified names and descriptions of the top-level skills (the same listing as
 * the system prompt), or of the direct sub-skills of `parent`.
 */
export function listSkills(library: SkillLibrary, args: { parent?: unknown } = {}): SkillToolResult {
  let skills = topLevelSkills(library);
  if (args.parent !== undefined && args.parent !== null && args.parent !== "") {
    const found = findSkill(library, args.parent);
    if ("error" in found) return found.error;
    skills = subSkills(library, found.skill.id);
    if (!skills.length) return { content: `(${found.skill.id} has no sub-skills)`, events: [] };
  }
  const content = skills.length ? skillListing(skills) : "(the library is empty)";
  return { content, events: skills.map((s) => ({ type: "skill_listed", skill: s.id, via: "tool" })) };
}

/** `load_skill`: the full SKILL.md, its direct sub-skills (name + description) and its other files. */
export async function loadSkill(library: SkillLibrary, args: { name?: unknown }): Promise<SkillToolResult> {
  const found = findSkill(library, args.name);
  if ("error" in found) return found.error;
  const skill = found.skill;
  const body = await readCapped(join(skill.dir, "SKILL.md"), SKILL_FILE_CAP_BYTES);
  const children = subSkills(library, skill.id);
  const others = (await skillFiles(skill.dir, new Set(children.map((c) => c.dir)))).filter((f) => f !== "SKILL.md");
  const subs = children.length ? `\n\n[sub-skills of ${skill.id}, load one with load_skill and its qualified name:\n${skillListing(children)}]` : "";
  const listing = others.length ? `\n\n[files in this skill, readable with read_skill_file: ${others.join(", ")}]` : "";
  return {
    content: body + subs + listing,
    events: [{ type: "skill_loaded", skill: skill.id, via: "tool" }, ...children.map((c): SkillEventDraft => ({ type: "skill_listed", skill: c.id, via: "tool" }))],
  };
}

/**
 * Checks a model-supplied relative path against a skill folder.
 * @returns the absolute real path, or an error message for the model
 */
export async function resolveSkillPath(skillDir: string, path: string): Promise<{ file: string } | { error: string }> {
  if (path.includes("\0")) return { error: "the path contains a NUL byte" };
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path)) return { error: "the path must be relative to the skill folder, not absolute" };
  if (path.split(/[\\/]/).includes("..")) return { error: "the path must not contain `..`" };
  const root = await realpath(skillDir);
  const candidate = join(skillDir, path);
  const real = await realpath(candidate).catch(() => undefined);
  if (!real) return { error: `no such file in the skill: ${path}` };
  if (real !== root && !real.startsWith(root + sep)) return { error: "the path leaves the skill folder (symlink); refused" };
  const st = await lstat(real);
  if (!st.isFile()) return { error: `${path} is not a file${st.isDirectory() ? " (it is a folder; load_skill lists the files)" : ""}` };
  return { file: real };
}

/** `read_skill_file`: one file inside a skill, path-checked and size-capped. */
export async function readSkillFile(library: SkillLibrary, args: { skill?: unknown; path?: unknown }): Promise<SkillToolResult> {
  const found = findSkill(library, args.skill);
  if ("error" in found) return found.error;
  const skill = found.skill;
  if (typeof args.path !== "string" || !args.path) return { content: "error: `path` must be a non-empty string, relative to the skill folder", events: [] };
  const resolved = await resolveSkillPath(skill.dir, args.path);
  if ("error" in resolved) return { content: `error: ${resolved.error}`, events: [] };
  const rel = relative(await realpath(skill.dir), resolved.file).split(sep).join("/");
  return {
    content: await readCapped(resolved.file, SKILL_FILE_CAP_BYTES),
    events: [{ type: rel === "SKILL.md" ? "skill_loaded" : "skill_file_read", skill: skill.id, ...(rel === "SKILL.md" ? {} : { path: rel }), via: "tool" }],
  };
}

/**
 * Skill use through the shell: a bash command that names a file under the library mount
 * (e.g. `cat /skills/ledger/SKILL.md`, `bash /skills/ledger/scripts/fix.sh`) is recorded as
 * a skill load or file read, so agents that prefer the shell are measured too.
 */
export function skillEventsFromCommand(library: SkillLibrary, mountPath: string, command: string): SkillEventDraft[] {
  const mount = mountPath.replace(/\/+$/, "");
  const escaped = mount.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`${escaped}/([^\\s'"\`;|&<>()]+)`, "g");
  const events: SkillEventDraft[] = [];
  for (const m of command.matchAll(re)) {
    const rel = m[1]!.replace(/\/+$/, "");
    // The longest skill path that prefixes the reference owns it (skills may be nested).
    const owner = [...library.skills]
      .sort((a, b) => b.path.length - a.path.length)
      .find((s) => s.path === "." || rel === s.path || rel.startsWith(`${s.path}/`));
    if (!owner) continue;
    const inner = owner.path === "." ? rel : rel.slice(owner.path.length + 1);
    if (!inner) continue;
    const event: SkillEventDraft = inner === "SKILL.md" ? { type: "skill_loaded", skill: owner.id, via: "bash" } : { type: "skill_file_read", skill: owner.id, path: inner, via: "bash" };
    if (!events.some((e) => e.type === event.type && e.skill === event.skill && e.path === event.path)) events.push(event);
  }
  return events;
}
