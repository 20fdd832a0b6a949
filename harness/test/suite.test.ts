// The SkillDelta task suite (tasks/): its structure is checked on every test run, and one
// evaluation task of every family goes through the real suite check (build, oracle, nop,
// rebuild) — the full check of every task is `npm start` / `skilldelta tasks check tasks/`.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runSuiteCheck } from "../src/cli/commands/check.ts";
import { loadLibrary } from "../src/skills/index.ts";
import { lintTask, loadTasks, type LoadResult } from "../src/task/index.ts";

const SUITE = join(import.meta.dirname, "../../tasks");
let suite: LoadResult;

beforeAll(async () => {
  suite = await loadTasks([SUITE]);
});

describe("task suite structure", () => {
  it("loads without a problem", () => {
    expect(suite.problems.map((p) => p.error.format())).toEqual([]);
  });

  it("has at least 8 families of at least 8 tasks, each with 4+ acquisition and 4+ evaluation tasks covering transfer, trap and composition", () => {
    const families = [...new Set(suite.tasks.map((t) => t.family.id))];
    expect(families.length).toBeGreaterThanOrEqual(8);
    expect(suite.tasks.length).toBeGreaterThanOrEqual(64);
    for (const f of families) {
      const ts = suite.tasks.filter((t) => t.family.id === f);
      const family = ts[0]!.family;
      expect(family.config, `${f} has a family.toml`).toBeDefined();
      expect(ts.length, f).toBeGreaterThanOrEqual(8);
      expect(ts.filter((t) => t.split === "acquisition").length, `${f} acquisition`).toBeGreaterThanOrEqual(4);
      const evaluation = ts.filter((t) => t.split === "evaluation");
      expect(evaluation.length, `${f} evaluation`).toBeGreaterThanOrEqual(4);
      const roles = new Set(evaluation.map((t) => t.role));
      for (const role of ["transfer", "trap", "composition"]) expect(roles, `${f} has a ${role} task`).toContain(role);
      expect(ts.every((t) => existsSync(join(t.dir, "solution/solve.sh"))), `${f} oracles`).toBe(true);
    }
  });

  it("ships valid curated skills per family, and composition tasks name skills that exist", async () => {
    for (const family of suite.families) {
      expect(family.skillsDir, `${family.id} has skills/`).toBeDefined();
      const { library, problems } = await loadLibrary(family.skillsDir!);
      expect(problems, family.id).toEqual([]);
      expect(library.skills.length, family.id).toBeGreaterThan(0);
    }
    const skillsOf = new Map(suite.families.map((f) => [f.id, f.skillsDir]));
    for (const t of suite.tasks.filter((t) => t.role === "composition")) {
      expect(t.config.metadata.extra_skills?.length, `${t.id} declares extra_skills`).toBeGreaterThan(0);
      for (const ref of t.config.metadata.extra_skills ?? []) {
        const [fam, skill] = ref.split("/");
        expect(existsSync(join(skillsOf.get(fam!) ?? "/nonexistent", skill!, "SKILL.md")), `${t.id}: ${ref}`).toBe(true);
      }
    }
  });

  it("lints clean: pinned FROM, no downloads at build or verify time, no internet, oracles present, tests never read the solution", async () => {
    const warnings = (await Promise.all(suite.tasks.map(lintTask))).flat();
    expect(warnings.map((w) => `${w.file}:${w.line ?? ""} ${w.rule}`)).toEqual([]);
  });

  it("has the suite table in tasks/README.md naming every family", async () => {
    const { readFile } = await import("node:fs/promises");
    const readme = await readFile(join(SUITE, "README.md"), "utf8");
    for (const f of suite.families) expect(readme).toContain(f.id);
  });
});

describe("suite check on one task per family (real containers)", () => {
  it("builds, and the oracle passes and nop fails under no-skill and curated", { timeout: 900_000 }, async () => {
    const report = await runSuiteCheck({ dirs: [SUITE], trials: 1, concurrency: 2, conditions: ["no-skill", "curated"], onePerFamily: true, results: join(import.meta.dirname, ".output/checks"), quiet: true, json: true });
    expect(report.tasks.length).toBe(suite.families.length);
    expect(report.tasks.filter((t) => !t.ok).map((t) => `${t.task}: ${t.notes.join("; ")}`)).toEqual([]);
  });
});
