// Nested skill libraries (issue 11, SkillX levels), host side: loadLibrary's parent/id/depth,
// validation of qualified names, level-by-level disclosure through the skill tools and the
// system prompt, and that a flat library behaves exactly as before. No container needed.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { skillsSection, systemPrompt, toolDefinitions } from "../src/agent/openai/index.ts";
import { listSkills, loadSkill, readSkillFile, skillEventsFromCommand } from "../src/agent/openai/skill-tools.ts";
import { loadLibrary, resolveSkill, subSkills, topLevelSkills, type SkillLibrary } from "../src/skills/index.ts";

const NESTED = fileURLToPath(new URL("./fixtures/skills-nested/", import.meta.url));
let root: string;
let library: SkillLibrary;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sd-skills-nested-"));
  const loaded = await loadLibrary(NESTED);
  expect(loaded.problems).toEqual([]);
  library = loaded.library;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("loading a nested library", () => {
  test("every SKILL.md is a skill; parent, qualified id and depth follow folder nesting", () => {
    const view = library.skills.map((s) => ({ id: s.id, name: s.name, parent: s.parent, depth: s.depth, path: s.path })).sort((a, b) => a.id.localeCompare(b.id));
    expect(view).toEqual([
      { id: "billing", name: "billing", parent: undefined, depth: 1, path: "billing" },
      { id: "billing/notes", name: "notes", parent: "billing", depth: 2, path: "billing/notes" },
      { id: "ops", name: "ops", parent: undefined, depth: 1, path: "ops" },
      { id: "ops/notes", name: "notes", parent: "ops", depth: 2, path: "ops/skills/notes" },
      { id: "ops/stamping", name: "stamping", parent: "ops", depth: 2, path: "ops/skills/stamping" },
      { id: "ops/stamping/codes", name: "codes", parent: "ops/stamping", depth: 3, path: "ops/skills/stamping/skills/codes" },
    ]);
    expect(topLevelSkills(library).map((s) => s.id).sort()).toEqual(["billing", "ops"]);
    expect(subSkills(library, "ops").map((s) => s.id).sort()).toEqual(["ops/notes", "ops/stamping"]);
  });

  test("skills resolve by qualified name, folder path or a unique bare name; an ambiguous bare name lists the candidates", () => {
    const id = (r: ReturnType<typeof resolveSkill>) => (r && "skill" in r ? r.skill.id : r);
    expect(id(resolveSkill(library, "ops/stamping/codes"))).toBe("ops/stamping/codes");
    expect(id(resolveSkill(library, "ops/skills/stamping"))).toBe("ops/stamping");
    expect(id(resolveSkill(library, "codes"))).toBe("ops/stamping/codes");
    const amb = resolveSkill(library, "notes");
    expect(amb && "ambiguous" in amb && amb.ambiguous.map((s) => s.id).sort()).toEqual(["billing/notes", "ops/notes"]);
    expect(resolveSkill(library, "nope")).toBeUndefined();
  });

  test("the same name under different parents is valid; the same qualified name twice is not; flat duplicates stay problems", async () => {
    const dup = join(root, "dup");
    await cp(NESTED, dup, { recursive: true });
    await mkdir(join(dup, "ops", "more", "notes"), { recursive: true });
    await writeFile(join(dup, "ops", "more", "notes", "SKILL.md"), "---\nname: notes\ndescription: Same qualified name again.\n---\nx\n");
    const { problems } = await loadLibrary(dup);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^qualified skill name `ops\/notes` is also used by ops\/(more|skills)\/notes$/)]);

    const flat = join(root, "flat");
    for (const d of ["a", "b"]) {
      await mkdir(join(flat, d), { recursive: true });
      await writeFile(join(flat, d, "SKILL.md"), "---\nname: same\ndescription: d\n---\n");
    }
    const f = await loadLibrary(flat);
    expect(f.problems.map((p) => p.message)).toEqual(["skill name `same` is also used by a"]);
    expect(f.library.skills.every((s) => s.id === s.name && s.depth === 1 && s.parent === undefined)).toBe(true);
  });
});

describe("level-by-level disclosure", () => {
  const base = { commandTimeoutSec: 120, outputCapBytes: 16384, skillsMountPath: "/skills" };

  test("the system prompt lists top-level skills only and says how sub-skills are reached", () => {
    const prompt = systemPrompt({ ...base, skills: topLevelSkills(library), nested: true });
    expect(prompt).toContain("- ops: Fixture Corp's operations handbook");
    expect(prompt).toContain("- billing: How Fixture Corp bills customers.");
    expect(prompt).not.toMatch(/stamping|codes|notes/);
    expect(prompt).toContain("qualified name (e.g. `parent/sub`)");
    expect(prompt.endsWith(skillsSection({ ...base, skills: topLevelSkills(library), nested: true })!)).toBe(true);
    // flat prompt: no nested sentence
    expect(systemPrompt({ ...base, skills: topLevelSkills(library) })).not.toContain("sub-skills");
    const list = toolDefinitions(library).find((t) => t.function.name === "list_skills")!;
    expect(Object.keys((list.function.parameters as { properties: object }).properties)).toEqual(["parent"]);
  });

  test("load_skill shows the body and the DIRECT sub-skills only, not their files; each level is a skill_loaded event with its path", async () => {
    const ops = await loadSkill(library, { name: "ops" });
    expect(ops.content).toContain("Finished jobs are stamped.");
    expect(ops.content).toContain("- ops/stamping: How a finished job is stamped (functional level).");
    expect(ops.content).toContain("- ops/notes: Notes of the operations team.");
    expect(ops.content).not.toMatch(/codes|PAPAYA|references\/format\.md|files in this skill/);
    expect(ops.events).toEqual([
      { type: "skill_loaded", skill: "ops", via: "tool" },
      { type: "skill_listed", skill: "ops/notes", via: "tool" },
      { type: "skill_listed", skill: "ops/stamping", via: "tool" },
    ]);
    const stamping = await loadSkill(library, { name: "ops/stamping" });
    expect(stamping.content).toContain("- ops/stamping/codes: The current stamp codes (atomic level).");
    expect(stamping.content).toContain("[files in this skill, readable with read_skill_file: references/format.md]");
    expect(stamping.content).not.toContain("PAPAYA");
    const codes = await loadSkill(library, { name: "ops/stamping/codes" });
    expect(codes.content).toContain("The magic word: PAPAYA-42");
    expect(codes.events).toEqual([{ type: "skill_loaded", skill: "ops/stamping/codes", via: "tool" }]);
    expect((await loadSkill(library, { name: "notes" })).content).toBe("error: several skills are named \"notes\": billing/notes, ops/notes. Use the qualified name (parent/sub).");
    expect((await loadSkill(library, { name: "stamp" })).content).toMatch(/^error: there is no skill named "stamp". Available skills: billing, ops \(sub-skills are listed/);
  });

  test("list_skills lists one level; read_skill_file and bash reads are attributed to the owning sub-skill", async () => {
    expect(listSkills(library).content).toBe("- billing: How Fixture Corp bills customers.\n- ops: Fixture Corp's operations handbook (strategic level), how finished jobs are handled.");
    const sub = listSkills(library, { parent: "ops/stamping" });
    expect(sub.content).toBe("- ops/stamping/codes: The current stamp codes (atomic level).");
    expect(sub.events).toEqual([{ type: "skill_listed", skill: "ops/stamping/codes", via: "tool" }]);
    expect(listSkills(library, { parent: "billing/notes" }).content).toBe("(billing/notes has no sub-skills)");
    const read = await readSkillFile(library, { skill: "ops/stamping", path: "references/format.md" });
    expect(read.events).toEqual([{ type: "skill_file_read", skill: "ops/stamping", path: "references/format.md", via: "tool" }]);
    expect(skillEventsFromCommand(library, "/skills", "cat /skills/ops/skills/stamping/skills/codes/SKILL.md")).toEqual([{ type: "skill_loaded", skill: "ops/stamping/codes", via: "bash" }]);
  });
});
