import { cp, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { digestTree } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";
import { loadLibrary, type SkillLibrary } from "./library.ts";

/**
 * Copies skill folders into one library under `librariesDir/<condition>/<digest>/` and
 * validates it. Same inputs → same bytes → same digest, so a rerun finds the library frozen
 * already and a changed library is visible as a new digest in the lock.
 * @throws InputError when a skill is invalid (the library would silently lose it otherwise)
 */
export async function freezeLibrary(condition: string, skillDirs: string[], librariesDir: string): Promise<SkillLibrary> {
  const conditionDir = join(librariesDir, condition.replace(/[^\w.-]/g, "_"));
  const staging = join(conditionDir, `.staging-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  const sources = new Map<string, string>();
  try {
    for (const src of [...skillDirs].sort()) {
      const name = basename(src);
      if (await stat(join(staging, name)).catch(() => undefined)) {
        throw new InputError(`two skills are both named \`${name}\``, { file: src, hint: "rename one of the skill folders" });
      }
      await cp(src, join(staging, name), { recursive: true, verbatimSymlinks: true });
      sources.set(join(staging, name), src);
    }
    // Validated before it is moved into place: an invalid library must never sit in
    // libraries/ looking frozen, and the error names the user's file, not the staging copy.
    const { problems } = await loadLibrary(staging);
    if (problems.length) {
      const original = (text: string) => [...sources].reduce((t, [copy, src]) => t.replaceAll(copy, src), text);
      throw new InputError(`library for \`${condition}\` is invalid: ${problems.map((p) => original(p.message.includes(p.file) ? p.message : `${p.file}: ${p.message}`)).join("; ")}`, {
        file: original(problems[0]!.file),
        hint: "fix the skill (frontmatter `name` and `description`, no links out of the library, sizes within the caps)",
      });
    }
    const digest = await digestTree(staging);
    const final = join(conditionDir, digest.slice(0, 16));
    if (await stat(final).catch(() => undefined)) {
      await rm(staging, { recursive: true, force: true });
    } else {
      await rename(staging, final);
    }
    return (await loadLibrary(final)).library;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Skill folders of a directory of skills (each child holding a SKILL.md). A symlinked skill
 * folder is returned too, so that validation rejects it by name instead of it vanishing.
 */
export async function skillFolders(skillsDir: string): Promise<string[]> {
  const names = (await readdir(skillsDir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name).sort();
  const out: string[] = [];
  for (const n of names) if (await stat(join(skillsDir, n, "SKILL.md")).catch(() => undefined)) out.push(join(skillsDir, n));
  return out;
}
