// The SkillDelta task suite (tasks/): its structure is checked on every test run, and one
// evaluation task of every family goes through the real suite check (build, oracle, nop,
// rebuild) — the full check of every task is `npm start` / `skilldelta tasks check tasks/`.
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
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

describe("every family's trap task through the real harness (real containers)", () => {
  const OUT = join(import.meta.dirname, ".output");

  it("builds; the oracle passes and nop fails under no-skill and curated", { timeout: 900_000 }, async () => {
    const traps = suite.tasks.filter((t) => t.role === "trap").map((t) => t.id);
    expect(traps.length).toBeGreaterThanOrEqual(suite.families.length);
    const report = await runSuiteCheck({ dirs: [SUITE], include: traps, trials: 1, concurrency: 2, conditions: ["no-skill", "curated"], results: join(OUT, "checks"), quiet: true, json: true });
    expect(report.tasks.map((t) => t.family).sort()).toEqual(suite.families.map((f) => f.id).sort());
    expect(report.tasks.filter((t) => !t.ok).map((t) => `${t.task}: ${t.notes.join("; ")}`)).toEqual([]);
  });

  it("fails every scripted shortcut (tasks/<family>/traps/<task>*.sh run as the solution)", { timeout: 900_000 }, async () => {
    // Each shortcut becomes the oracle of a copy of its task: the verifier must reject it.
    const root = await mkdtemp(join(tmpdir(), "sd-traps-"));
    const expected: string[] = [];
    try {
      for (const family of suite.families) {
        const scripts = (await readdir(join(family.dir, "traps")).catch(() => [] as string[])).filter((f) => f.endsWith(".sh")).sort();
        for (const script of scripts) {
          const taskId = script.replace(/\.sh$/, "").split(".")[0]!;
          const task = suite.tasks.find((t) => t.id === taskId);
          expect(task, `${family.id}/traps/${script} names an existing task`).toBeDefined();
          const famCopy = join(root, `${family.id}--${script.replace(/\.sh$/, "").replace(/\./g, "-")}`);
          const copyId = `${taskId}--${script.replace(/\.sh$/, "").replace(/\./g, "-")}`;
          await cp(task!.dir, join(famCopy, copyId), { recursive: true });
          await cp(join(family.dir, "traps", script), join(famCopy, copyId, "solution/solve.sh"));
          if (family.skillsDir) await cp(family.skillsDir, join(famCopy, "skills"), { recursive: true });
          expected.push(copyId);
        }
      }
      expect(expected.length).toBeGreaterThanOrEqual(suite.families.length);
      const report = await runSuiteCheck({ dirs: [root], trials: 1, concurrency: 2, conditions: ["no-skill"], results: join(OUT, "trap-checks"), quiet: true, json: true });
      const oracle = (id: string) => report.tasks.find((t) => t.task === id)?.oracle;
      // "oracle passed 0/1" here means the shortcut was rejected
      expect(expected.map((id) => `${id}: ${oracle(id)}`)).toEqual(expected.map((id) => `${id}: 0/1`));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
