// Host-only pieces of learning: raw-trace compaction and retrieval, feedback levels, the
// skill-reply parser, built-in learners over real HTTP against the scripted model, and the
// published-library importer on SkillLearnBench's layout.
import { cp, mkdtemp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMockScript, startMockModel, type MockModelServer, type Trajectory } from "../src/agent/index.ts";
import { digestTree } from "../src/core/digest.ts";
import { createLearner, episodeAt, LEARNING_CONTEXT_VERSION, LIBRARY_RULES, MethodConfigSchema, parseSkills, type LearningContext } from "../src/learner/index.ts";
import { Command } from "commander";
import { registerProtocolCommands } from "../src/cli/commands/protocol.ts";
import { importLibrary } from "../src/protocol/index.ts";
import { compactTrajectory, retrieveTopK, writeRawTraceEntries, type TraceEpisode } from "../src/skills/index.ts";
import { SHARED_FIXTURES } from "./shared-fixtures.ts";

const SLB = join(SHARED_FIXTURES, "harbor/skilllearnbench/skills");
let tmp: string;
let server: MockModelServer;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "sd-learn-unit-"));
  server = await startMockModel(
    parseMockScript({
      version: 1,
      turns: [
        [
          { when: { user_includes: "Critique" }, reply: { content: "The agent guessed; it should read the notes." } },
          { when: { any_message_matches: "family: (\\w+)[\\s\\S]*?critique[\\s\\S]*?read the notes" }, reply: { content: '```json\n{"skills": [{"name": "Critiqued {{m1}}", "description": "after critique", "body": "read the notes"}]}\n```' } },
          { when: { any_message_matches: "family: (\\w+)" }, reply: { content: '{"skills": [{"name": "one-shot-{{m1}}", "description": "from instructions", "body": "body"}, {"name": "bad"}]}' } },
        ],
      ],
    }),
  );
});
afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

function traj(n: number, obs = "stamp: ALPHA-7"): Trajectory {
  const steps: Trajectory["steps"] = [{ step_id: 1, source: "user", message: "do it" }];
  for (let i = 0; i < n; i++) {
    steps.push({ step_id: i + 2, source: "agent", message: "", tool_calls: [{ tool_call_id: `c${i}`, function_name: "bash", arguments: { command: `step-${i}` } }], observation: { results: [{ source_call_id: `c${i}`, content: i === 5 ? "exit code: 2\nboom" : `exit code: 0\n${obs}${"x".repeat(2000)}` }] } });
  }
  return { schema_version: "ATIF-v1.4", session_id: "s", agent: { name: "a", version: "1" }, steps, extra: { skilldelta_version: 1, skills_offered: [], skill_events: [{ type: "skill_loaded", step_id: 3, timestamp: "t", skill: "curated-x", via: "tool" }], stop_reason: "final_answer", scripted_model: true, started_at: "t0", finished_at: "t1" } };
}
const ep = (family: string, task: string, index: number, instruction: string, n = 12): TraceEpisode => ({ family, task, index, instruction, trajectory: traj(n), outcome: "passed", reward: 1 });

describe("raw-trace", () => {
  it("compacts: first and last steps, every error, skill events, verdict; observations truncated; token cap", () => {
    const text = compactTrajectory(ep("f", "t", 0, "Do the thing"), { observationChars: 100, headSteps: 2, tailSteps: 2, maxTokens: 400 });
    expect(text).toContain("step-0");
    expect(text).toContain("step-1");
    expect(text).toContain("step-5"); // the error step survives from the middle
    expect(text).toContain("step-11");
    expect(text).not.toContain("step-3");
    expect(text).toContain("skill_loaded curated-x (via tool)");
    expect(text).toContain("verdict: passed (reward 1)");
    expect(text).toMatch(/more characters\]/);
    expect(text.length).toBeLessThanOrEqual(400 * 4 + 200);
    expect(compactTrajectory({ ...ep("f", "t", 0, "x"), outcome: undefined })).toContain("not disclosed");
  });

  it("same inputs in any order → byte-identical entries; retrieval is lexical, same-family, deterministic", async () => {
    const eps = [ep("a", "a-parse", 0, "Parse the FLX ledger header"), ep("a", "a-sum", 0, "Sum the invoice totals per quarter"), ep("a", "a-sum", 1, "Sum the invoice totals per quarter"), ep("b", "b-x", 0, "Parse something else")];
    const one = await writeRawTraceEntries(eps, join(tmp, "rt1"));
    await writeRawTraceEntries([...eps].reverse(), join(tmp, "rt2"));
    expect(await digestTree(join(tmp, "rt1"))).toBe(await digestTree(join(tmp, "rt2")));
    const a = one.get("a")!;
    expect(retrieveTopK(a, "invoice totals for Q3", 2).map((e) => e.name)).toEqual(["trace-a-sum-0", "trace-a-sum-1"]);
    expect(retrieveTopK(a, "parse the ledger header", 1).map((e) => e.name)).toEqual(["trace-a-parse-0"]);
    expect(retrieveTopK(a, "zzz nothing matches", 5).map((e) => e.name)).toEqual(["trace-a-parse-0", "trace-a-sum-0", "trace-a-sum-1"]);
    const md = await readFile(join(tmp, "rt1/a/trace-a-sum-0/SKILL.md"), "utf8");
    expect(md).toMatch(/^---\nname: trace-a-sum-0\ndescription: "Raw trace of an earlier attempt \(passed\)/);
  });
});

describe("learning context", () => {
  const src = { task: "t", index: 0, trace: "tr", passed: false, reward: 0.5, checks: [{ name: "totals", passed: false, message: "off by 2" }], verifierOutput: "FAILED totals" };
  it("feedback levels: none → trajectory only; binary → + pass/fail; rich → + reward, checks, verifier output", () => {
    expect(episodeAt("none", src)).toEqual({ task: "t", index: 0, trace: "tr" });
    expect(episodeAt("binary", src)).toEqual({ task: "t", index: 0, trace: "tr", passed: false });
    expect(episodeAt("rich", src)).toEqual({ task: "t", index: 0, trace: "tr", passed: false, reward: 0.5, checks: [{ name: "totals", passed: false, message: "off by 2" }], verifier_output: "FAILED totals" });
  });
  it("skill replies: JSON or fenced JSON; invalid entries reported, names normalised", () => {
    expect(parseSkills('{"skills": [{"name": "A B", "description": "d", "body": "b"}, {"name": 3}]}')).toEqual({ skills: [{ name: "a-b", description: "d", body: "b" }], problems: ["skills[1] lacks a string name, description or body"] });
    expect(parseSkills("no json").problems).toEqual(["the reply holds no JSON object"]);
  });
});

describe("built-in learners over HTTP", () => {
  const ctx: LearningContext = { v: LEARNING_CONTEXT_VERSION, condition: "self-evolved", method: "x", family: { id: "alpha" }, feedback: "binary", tasks: [{ id: "a1", instruction: "stamp it" }], episodes: [{ task: "a1", index: 0, trace: "tr", passed: false }], round: 1, library_rules: LIBRARY_RULES };
  const model = () => ({ model: "m", base_url_env: "U", api_key_env: "K" });
  const rt = (name: string) => ({ outDir: join(tmp, name), workDir: join(tmp, `${name}-w`), env: { U: server.url, K: "k" }, log: () => {} });

  it("one-shot writes the model's skills, drops the invalid one, and counts tokens", async () => {
    const cost = await createLearner(MethodConfigSchema.parse({ kind: "one-shot", model: model() }), { guard: { mode: "none", hide: [] }, baseDir: tmp }).learn(ctx, rt("one"));
    expect(await readdir(join(tmp, "one"))).toEqual(["one-shot-alpha"]);
    expect(cost.calls).toBe(1);
    expect(cost.prompt_tokens).toBeGreaterThan(0);
    expect(cost.scripted_model).toBe(true);
  });

  it("self-feedback critiques first (verdicts withheld), then revises with the critique", async () => {
    const cost = await createLearner(MethodConfigSchema.parse({ kind: "self-feedback", rounds: 1, model: model() }), { guard: { mode: "none", hide: [] }, baseDir: tmp }).learn(ctx, rt("self"));
    expect(await readdir(join(tmp, "self"))).toEqual(["critiqued-alpha"]);
    expect(cost.calls).toBe(2);
    const revise = server.requests.filter((r) => r.messages.some((m) => m.content.includes("Your critique"))).at(-1)!;
    expect(revise.messages[1]!.content).not.toMatch(/verdict: (passed|failed)/);
  });
});

describe("library import", () => {
  it("SkillLearnBench layout: one library per method with family folders; invalid skills are reported, not dropped silently", async () => {
    const src = join(tmp, "slb");
    await cp(SLB, src, { recursive: true });
    await mkdir(join(src, "one_shot/fix-security-bug/broken"), { recursive: true });
    await writeFile(join(src, "one_shot/fix-security-bug/broken/SKILL.md"), "no frontmatter here\n");
    await mkdir(join(src, "one_shot/fix-security-bug/fine"), { recursive: true });
    await writeFile(join(src, "one_shot/fix-security-bug/fine/SKILL.md"), "---\nname: fine\ndescription: ok\n---\nbody\n");
    const report = await importLibrary(src, join(tmp, "imported"), "skilllearnbench");
    expect(Object.keys(report.imported).sort()).toEqual(["human_authored", "one_shot"]);
    expect(report.imported.one_shot).toEqual({ "fix-security-bug": ["fine"] });
    expect(Object.keys(report.imported.human_authored!).length).toBeGreaterThan(0);
    expect(report.rejected.map((r) => r.file)).toEqual([join(src, "one_shot/fix-security-bug/broken/SKILL.md")]);
    expect(report.bindings).toEqual({ curated: join(tmp, "imported/human_authored"), "self-evolved:one_shot": join(tmp, "imported/one_shot") });
    expect(await readdir(join(tmp, "imported/one_shot/fix-security-bug"))).toEqual(["fine"]);
  });

  it("`skilldelta library import --layout flat` through the CLI command", async () => {
    const src = join(tmp, "flat");
    await mkdir(join(src, "good"), { recursive: true });
    await writeFile(join(src, "good/SKILL.md"), "---\nname: good\ndescription: fine\n---\nbody\n");
    const program = new Command().exitOverride();
    registerProtocolCommands(program);
    const logs: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => void logs.push(a.join(" "));
    try {
      await program.parseAsync(["node", "skilldelta", "library", "import", src, "--out", join(tmp, "flat-out"), "--layout", "flat"]);
    } finally {
      console.log = orig;
    }
    expect(logs.join("\n")).toMatch(/\[libraries\]\n"self-evolved" = ".*flat-out"/);
    expect(await readdir(join(tmp, "flat-out"))).toEqual(["good"]);
  });
});
