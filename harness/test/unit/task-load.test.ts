import { cp, mkdir, mkdtemp, rm, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digestTree } from "../../src/core/digest.ts";
import { lintTask, loadTasks, rewriteDockerfile } from "../../src/task/index.ts";
import { SHARED_FIXTURES } from "../shared-fixtures.ts";

const HARBOR = join(SHARED_FIXTURES, "harbor/skilllearnbench/tasks");

async function writeTask(root: string, id: string, toml: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = join(root, id);
  const files: Record<string, string> = {
    "instruction.md": "Do the thing.\n",
    "task.toml": toml,
    "environment/Dockerfile": "FROM skilldelta-env/testenv\n",
    "tests/test.sh": "echo 1 > /logs/verifier/reward.txt\n",
    "solution/solve.sh": "true\n",
    ...extra,
  };
  for (const [rel, body] of Object.entries(files)) {
    await mkdir(join(dir, rel, ".."), { recursive: true });
    await writeFile(join(dir, rel), body);
  }
  return dir;
}

describe("task loading", () => {
  let root: string;
  beforeEach(async () => { root = await mkdtemp(join(tmpdir(), "sd-tasks-")); });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it("loads the real SkillLearnBench Harbor tasks unchanged", async () => {
    const r = await loadTasks([HARBOR]);
    expect(r.problems.map((p) => p.error.format())).toEqual([]);
    expect(r.tasks.map((t) => t.id).sort()).toEqual(["fix-security-bug-1", "offer-letter-generator-2", "weighted-gdp-calculation-1"]);
    const druid = r.tasks.find((t) => t.id === "fix-security-bug-1")!;
    expect(druid.config.verifier.env.DRUID_PORT).toBe("8090");
    expect(druid.config.solution.env.WORKSPACE).toBe("/root");
    expect(druid.config.environment.allow_internet).toBe(true);
    expect(druid.config.environment.memory_mb).toBe(24576);
    expect(druid.family.id).toBe("fix-security-bug");
  });

  it("reports a bad task in one line naming file, field, expectation and fix, and still loads the others", async () => {
    await writeTask(root, "good", 'version = "1.0"\n[agent]\ntimeout_sec = 60\n');
    await writeTask(root, "bad", '[agent]\ntimeout_sec = "soon"\n');
    await writeTask(root, "broken", "[agent\n");
    const r = await loadTasks([root]);
    expect(r.tasks.map((t) => t.id)).toEqual(["good"]);
    const lines = r.problems.map((p) => p.error.format());
    expect(lines).toHaveLength(2);
    const bad = lines.find((l) => l.includes("bad/task.toml"))!;
    expect(bad).toMatch(/agent\.timeout_sec: expected number — set it to a number/);
    expect(lines.find((l) => l.includes("broken/task.toml"))).toMatch(/invalid TOML/);
  });

  it("names a missing required file", async () => {
    const dir = await writeTask(root, "notests", "");
    await rm(join(dir, "tests"), { recursive: true });
    const r = await loadTasks([root]);
    expect(r.problems[0]!.error.format()).toMatch(/notests\/tests\/test\.sh: required file is missing/);
  });

  it("rejects unknown keys in family.toml and split entries that name no task", async () => {
    const fam = join(root, "fam");
    await writeTask(fam, "fam-a1", "");
    await writeFile(join(fam, "family.toml"), 'id = "fam"\ntitle = "T"\ndomain = "d"\nwhere_the_knowledge_lives = "w"\nwhy_a_skill_helps = "y"\ncolour = "red"\n[splits]\nacquisition = ["fam-a1"]\n');
    let r = await loadTasks([fam]);
    expect(r.problems[0]!.error.format()).toMatch(/family\.toml: .*unknown key `colour`/);
    await writeFile(join(fam, "family.toml"), 'id = "fam"\ntitle = "T"\ndomain = "d"\nwhere_the_knowledge_lives = "w"\nwhy_a_skill_helps = "y"\n[splits]\nacquisition = ["fam-a1", "fam-a9"]\n');
    r = await loadTasks([fam]);
    expect(r.tasks[0]!.split).toBe("acquisition");
    expect(r.tasks[0]!.role).toBe("acquisition");
    expect(r.problems.map((p) => p.error.format()).join()).toMatch(/splits\.acquisition: split lists task `fam-a9` that does not exist/);
  });

  it("digests a task the same wherever it lives, and differently when a byte or the exec bit changes", async () => {
    const a = await writeTask(root, "same", 'version = "1.0"\n');
    const copy = join(root, "elsewhere", "same");
    await cp(a, copy, { recursive: true });
    const d = await digestTree(a);
    expect(await digestTree(copy)).toBe(d);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    await chmod(join(copy, "solution/solve.sh"), 0o755);
    const dx = await digestTree(copy);
    expect(dx).not.toBe(d);
    await writeFile(join(a, "instruction.md"), "Do the thing!\n");
    expect(await digestTree(a)).not.toBe(d);
  });
});

describe("lint and Dockerfile rewrite", () => {
  it("flags the reproducibility problems of real foreign tasks with file:line", async () => {
    const r = await loadTasks([HARBOR]);
    const warnings = (await Promise.all(r.tasks.map(lintTask))).flat();
    const rules = new Set(warnings.map((w) => w.rule));
    for (const rule of ["unpinned-from", "download-at-build", "download-at-verify", "internet-allowed", "heredoc-needs-buildkit", "skill-copy"]) expect(rules).toContain(rule);
    const from = warnings.find((w) => w.rule === "unpinned-from")!;
    expect(from.line).toBe(1);
    expect(from.file).toMatch(/environment\/Dockerfile$/);
  });

  it("neutralises skill COPY lines and pins local FROM references", () => {
    const text = "FROM skilldelta-env/ledger\nCOPY data /data\nCOPY skills /root/.claude/skills\nCOPY skills /root/.codex/skills\nRUN true\n";
    const r = rewriteDockerfile(text, (ref) => (ref === "skilldelta-env/ledger" ? "skilldelta-env/ledger:abc123" : undefined));
    expect(r.neutralisedLines).toEqual([3, 4]);
    expect(r.from).toEqual(["skilldelta-env/ledger:abc123"]);
    expect(r.text.split("\n")[0]).toBe("FROM skilldelta-env/ledger:abc123");
    expect(r.text.split("\n")[1]).toBe("COPY data /data");
    expect(r.text.split("\n")[2]).toMatch(/^# \[skilldelta/);
  });
});
