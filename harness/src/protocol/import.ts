import { cp, lstat, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../core/errors.ts";
import { isDirectory, loadLibrary, skillFolders, type LibraryProblem } from "../skills/index.ts";

/**
 * `skilldelta library import`: published libraries as conditions. Layouts:
 * - `skilllearnbench`: `<dir>/<method>/<task-family>/<skill>/SKILL.md` → one library per method,
 *   `<out>/<method>/<family>/<skill>/`, bound as `"self-evolved:<method>" = "<out>/<method>"`;
 * - `flat`: `<dir>/<skill>/SKILL.md` → `<out>/<skill>/`.
 * Every skill is validated on its own; invalid ones are left out AND listed in the report,
 * never dropped silently.
 */
export interface ImportReport {
  layout: "skilllearnbench" | "flat";
  /** method → families → imported skill names (flat: method "" and family "") */
  imported: Record<string, Record<string, string[]>>;
  rejected: LibraryProblem[];
  /** suggested run.toml [libraries] lines */
  bindings: Record<string, string>;
}

/** @throws InputError when `dir` is missing or holds no skill at all */
export async function importLibrary(dir: string, out: string, layout: ImportReport["layout"]): Promise<ImportReport> {
  if (!(await isDirectory(dir))) throw new InputError("library directory not found", { file: dir, hint: "pass the folder holding the published skills" });
  const report: ImportReport = { layout, imported: {}, rejected: [], bindings: {} };
  const copySkills = async (from: string, to: string): Promise<string[]> => {
    const names: string[] = [];
    for (const skillDir of await skillFolders(from)) {
      if ((await lstat(skillDir)).isSymbolicLink()) {
        report.rejected.push({ file: skillDir, message: "skill folder is a symlink; libraries must be self-contained (copy the skill in instead)" });
        continue;
      }
      const { library, problems } = await loadLibrary(skillDir);
      if (problems.length || library.skills.length !== 1) {
        report.rejected.push(...(problems.length ? problems : [{ file: skillDir, message: `expected exactly one SKILL.md, found ${library.skills.length}` }]));
        continue;
      }
      const name = skillDir.split("/").at(-1)!;
      await cp(skillDir, join(to, name), { recursive: true, verbatimSymlinks: true });
      names.push(name);
    }
    return names;
  };
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  if (layout === "flat") {
    report.imported[""] = { "": await copySkills(dir, out) };
    report.bindings["self-evolved"] = out;
  } else {
    for (const method of await subdirs(dir)) {
      const fams: Record<string, string[]> = {};
      for (const family of await subdirs(join(dir, method))) {
        const names = await copySkills(join(dir, method, family), join(out, method, family));
        if (names.length) fams[family] = names;
      }
      report.imported[method] = fams;
      report.bindings[method === "human_authored" ? "curated" : `self-evolved:${method}`] = join(out, method);
    }
  }
  const total = Object.values(report.imported).flatMap((f) => Object.values(f)).flat().length;
  if (!total && !report.rejected.length) throw new InputError(`no skills found in the ${layout} layout`, { file: dir, hint: layout === "flat" ? "expected <dir>/<skill>/SKILL.md" : "expected <dir>/<method>/<family>/<skill>/SKILL.md" });
  return report;
}

async function subdirs(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name).sort();
}
