import { lstat, open, readdir, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import type { Skill, SkillLibrary } from "../../skills/library.ts";
import type { SkillEvent } from "../trajectory.ts";

/**
 * The skill tools, run on the HOST against the condition's library directory (the same
 * library is mounted read-only in the sandbox for bash). Every path a model names is checked:
 * no absolute paths, no `..`, and no symlink that resolves outside the skill.
 */

/** Bytes of one skill file returned to the model; the rest is replaced by a marker. */
export const SKILL_FILE_CAP_BYTES = 256 * 1024;

export type SkillEventDraft = Pick<SkillEvent, "type" | "skill" | "path" | "via">;

export interface SkillToolResult {
  content: string;
  events: SkillEventDraft[];
}

function findSkill(library: SkillLibrary, name: unknown): Skill | undefined {
  return library.skills.find((s) => s.name === name);
}

function unknownSkill(library: SkillLibrary, name: unknown): SkillToolResult {
  const known = library.skills.map((s) => s.name).join(", ") || "(none)";
  return { content: `error: there is no skill named ${JSON.stringify(name)}. Available skills: ${known}`, events: [] };
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

/** Files of a skill folder, relative, sorted (at most 200 listed). */
async function skillFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= 200) return;
      const abs = join(d, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else out.push(relative(dir, abs).split(sep).join("/"));
    }
  };
  await walk(dir);
  return out;
}

/** `list_skills`: names and descriptions (the same listing as the system prompt). */
export function listSkills(library: SkillLibrary): SkillToolResult {
  const content = library.skills.length ? library.skills.map((s) => `- ${s.name}: ${s.description}`).join("\n") : "(the library is empty)";
  return { content, events: library.skills.map((s) => ({ type: "skill_listed", skill: s.name, via: "tool" })) };
}

/** `load_skill`: the full SKILL.md plus the list of the skill's other files. */
export async function loadSkill(library: SkillLibrary, args: { name?: unknown }): Promise<SkillToolResult> {
  const skill = findSkill(library, args.name);
  if (!skill) return unknownSkill(library, args.name);
  const body = await readCapped(join(skill.dir, "SKILL.md"), SKILL_FILE_CAP_BYTES);
  const others = (await skillFiles(skill.dir)).filter((f) => f !== "SKILL.md");
  const listing = others.length ? `\n\n[files in this skill, readable with read_skill_file: ${others.join(", ")}]` : "";
  return { content: body + listing, events: [{ type: "skill_loaded", skill: skill.name, via: "tool" }] };
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
  const skill = findSkill(library, args.skill);
  if (!skill) return unknownSkill(library, args.skill);
  if (typeof args.path !== "string" || !args.path) return { content: "error: `path` must be a non-empty string, relative to the skill folder", events: [] };
  const resolved = await resolveSkillPath(skill.dir, args.path);
  if ("error" in resolved) return { content: `error: ${resolved.error}`, events: [] };
  const rel = relative(await realpath(skill.dir), resolved.file).split(sep).join("/");
  return {
    content: await readCapped(resolved.file, SKILL_FILE_CAP_BYTES),
    events: [{ type: rel === "SKILL.md" ? "skill_loaded" : "skill_file_read", skill: skill.name, ...(rel === "SKILL.md" ? {} : { path: rel }), via: "tool" }],
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
    const event: SkillEventDraft = inner === "SKILL.md" ? { type: "skill_loaded", skill: owner.name, via: "bash" } : { type: "skill_file_read", skill: owner.name, path: inner, via: "bash" };
    if (!events.some((e) => e.type === event.type && e.skill === event.skill && e.path === event.path)) events.push(event);
  }
  return events;
}
