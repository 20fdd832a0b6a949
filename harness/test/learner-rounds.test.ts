// Harness-driven rounds of an external method (issue 11) in real Docker with the scripted
// solver over real HTTP: 3 rounds with batch feedback and evaluate_rounds, each round's library
// frozen, hashed and evaluated as its own condition (X@r1, X@r2, X); corpus and family
// knowledge base readable under the namespace guard while tests/ and solution/ stay hidden;
// one exploration attempt; SIGKILL while round 2 runs, then resume without redoing round 1;
// a changed corpus or round library refuses to resume; exploration beyond the budget or on an
// evaluation task refused.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadMockScript, startMockModel, type MockModelServer } from "../src/agent/index.ts";
import { dockerContext } from "../src/cli/docker-context.ts";
import { LEARNING_CONTEXT_VERSION, LIBRARY_RULES, MethodConfigSchema, type LearningContext } from "../src/learner/index.ts";
import { guardHide, runProtocol, type ProtocolState } from "../src/protocol/index.ts";
import { acquisitionAgentsOf, evaluatedConditions } from "../src/protocol/conditions.ts";
import { learnRounds } from "../src/protocol/rounds.ts";
import { readJournal, readRunJson, runConfigFromFlags, type RunConfigInput } from "../src/run/index.ts";
import { loadTasks } from "../src/task/index.ts";

const FIX = join(import.meta.dirname, "fixtures/rounds");
const GAMMA = join(FIX, "gamma");
const HIDDEN = [join(GAMMA, "gamma-a1/tests/test.sh"), join(GAMMA, "gamma-a1/solution/solve.sh"), join(GAMMA, "gamma-e1/instruction.md")];
let server: MockModelServer;
let tmp: string;
let results: string;

beforeAll(async () => {
  server = await startMockModel(await loadMockScript(join(import.meta.dirname, "fixtures/learning/model-script.json")));
  process.env.SD_ROUNDS_URL = server.url;
  process.env.SD_ROUNDS_KEY = "sk-scripted";
  tmp = await mkdtemp(join(tmpdir(), "sd-rounds-"));
  results = join(tmp, "results");
});
afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const method = (mode: string) => ({
  kind: "command" as const,
  command: [process.execPath, join(FIX, "rounds-method.mjs"), join(tmp, "calls.log"), join(tmp, "block"), mode, ...HIDDEN],
  rounds: 3,
  evaluate_rounds: true,
  batch_feedback: true,
  corpus: "corpus",
  exploration_attempts: 1,
});

const flags = (): RunConfigInput => ({
  id: "rounds",
  results_dir: results,
  tasks: [GAMMA],
  environments: inject("environmentsDirs"),
  conditions: ["no-skill", "self-evolved"],
  trials: 1,
  concurrency: 2,
  seed: 5,
  agents: [{ kind: "openai", id: "scripted", model: "scripted-learning", base_url_env: "SD_ROUNDS_URL", api_key_env: "SD_ROUNDS_KEY", max_turns: 4 }],
  learning: { feedback: "binary", acquisition_trials: 1, methods: { "self-evolved": method("one") } },
});

async function protocol() {
  const config = runConfigFromFlags(flags());
  const ctx = await dockerContext({ environments: config.environments, quiet: true });
  return runProtocol(config, { ...ctx, quiet: true, env: process.env, baseDir: FIX });
}

const run = (...p: string[]) => join(results, "rounds", ...p);
const calls = async () => (await readFile(join(tmp, "calls.log"), "utf8")).trim().split("\n");

describe("harness-driven rounds", () => {
  it("3 rounds, SIGKILL in round 2, resume: X@r1, X@r2, X evaluated and matched; corpus and knowledge readable, tests hidden", { timeout: 240_000 }, async () => {
    await writeFile(join(tmp, "block"), "");
    const child = spawn(process.execPath, [join(FIX, "protocol-child.ts"), JSON.stringify(flags())], { stdio: "ignore", env: process.env });
    let started = false;
    for (let i = 0; i < 1200 && !started; i++) {
      started = (await readFile(join(tmp, "calls.log"), "utf8").catch(() => "")).includes("round 2");
      if (!started) await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(started).toBe(true);
    // Round 1 was recorded before the kill; round 2 was not.
    const killed = JSON.parse(await readFile(run("protocol.json"), "utf8")) as ProtocolState;
    expect(Object.keys(killed.learned)).toEqual(["self-evolved@r1|gamma"]);
    await rm(join(tmp, "block"));

    const done = await protocol();
    expect(done.state.analyse).toBeDefined();
    // Round 1's method ran once; round 2 twice (killed, then resumed); round 3 once.
    expect(await calls()).toEqual(["round 1", "round 2", "round 2", "round 3"]);
    // The attempts with round 1's library were journaled before the kill and not run again.
    expect((await readJournal(run("acquire-rounds/self-evolved-gamma-r2/trials.jsonl"))).lines).toBe(1);

    // Every round's library recorded, hashed and distinct; X@r1 and X@r2 frozen and evaluated too.
    const l = done.state.learned;
    const digests = ["self-evolved@r1|gamma", "self-evolved@r2|gamma", "self-evolved|gamma"].map((k) => l[k]!.digest);
    expect(new Set(digests).size).toBe(3);
    expect(Object.keys(done.state.freeze!.libraries).sort()).toEqual(["self-evolved", "self-evolved@r1", "self-evolved@r2"]);
    const ev = done.evaluation!;
    expect(ev.records.map((r) => r.condition).sort()).toEqual(["no-skill", "self-evolved", "self-evolved@r1", "self-evolved@r2"]);
    expect(new Set(ev.records.map((r) => r.seed)).size).toBe(1);
    expect(new Set(ev.records.map((r) => r.image)).size).toBe(1);
    const outcome = Object.fromEntries(ev.records.map((r) => [r.condition, r.outcome]));
    expect(outcome).toEqual({ "no-skill": "failed", "self-evolved@r1": "failed", "self-evolved@r2": "failed", "self-evolved": "passed" });
    const lock = ev.run.lock.libraries;
    expect(new Set([lock["self-evolved@r1|gamma-e1"], lock["self-evolved@r2|gamma-e1"], lock["self-evolved|gamma-e1"]]).size).toBe(3);

    // Round 2's context: round 1's failure (batch feedback), a copy of round 1's library, the exploration episode.
    const ctx2 = JSON.parse(await readFile(run("learning/self-evolved_r2/gamma/context.json"), "utf8")) as LearningContext;
    expect([ctx2.v, ctx2.round, ctx2.rounds]).toEqual([LEARNING_CONTEXT_VERSION, 2, 3]);
    expect(ctx2.episodes.map((e) => [e.task, e.passed])).toEqual([["gamma-a1", false]]);
    expect(ctx2.previous_library).toBeDefined();
    expect(ctx2.exploration_episodes!.map((e) => e.task)).toEqual(["gamma-a1"]);
    const r2 = await readFile(run("learned/self-evolved_r2/gamma/learned-gamma/SKILL.md"), "utf8");
    expect(r2).toContain("failures seen: gamma-a1#0");
    expect(r2).toContain("previous library stamp: WRONG-1");
    expect(r2).toContain("exploration episodes: gamma-a1#0:false");

    // Corpus and knowledge base were read under the guard; tests, solution and evaluation instructions were not.
    const last = await readFile(run("learned/self-evolved/gamma/learned-gamma/SKILL.md"), "utf8");
    expect(last).toContain("stamp: GAMMA-5");
    expect(last).toContain("KNOWLEDGESENTINEL");
    expect(last).toContain("CORPUSSENTINEL");
    expect(last).toContain("hidden reads: (unreadable) | (unreadable) | (unreadable)");
    for (const s of ["TESTSENTINEL", "SOLUTIONSENTINEL", "EVALSENTINEL"]) expect(last).not.toContain(s);
    expect(ctx2.corpus!.files.map((f) => f.path)).toEqual(["pair-01.txt"]);
    expect(ctx2.knowledge_base!.files.map((f) => f.path)).toEqual(["handbook.md"]);
    expect(done.state.inputs).toEqual({ "corpus:self-evolved": expect.any(String), "knowledge:gamma": expect.any(String) });

    // run.json: who built each library, and learning cost growing with the rounds it took.
    const rj = (await readRunJson(run("run.json")))!;
    expect(rj.library_meta).toEqual({
      "self-evolved": { built_with: "scripted", method: expect.stringMatching(/^command:[0-9a-f]{12}$/), round: 3 },
      "self-evolved@r1": { built_with: "scripted", method: expect.stringMatching(/^command:[0-9a-f]{12}$/), round: 1, of: "self-evolved" },
      "self-evolved@r2": { built_with: "scripted", method: expect.stringMatching(/^command:[0-9a-f]{12}$/), round: 2, of: "self-evolved" },
    });
    const lc = rj.learning_cost!;
    expect(lc["self-evolved@r1"]!.tokens).toBeGreaterThan(0);
    expect(lc["self-evolved@r2"]!.tokens).toBeGreaterThan(lc["self-evolved@r1"]!.tokens);
    expect(lc["self-evolved"]!.tokens).toBeGreaterThan(lc["self-evolved@r2"]!.tokens);
  });

  it("a changed corpus, or a changed round library, refuses to resume", { timeout: 60_000 }, async () => {
    const corpusFile = join(FIX, "corpus/pair-01.txt");
    const original = await readFile(corpusFile, "utf8");
    await writeFile(corpusFile, `${original}edited\n`);
    try {
      await expect(protocol()).rejects.toThrow(/inputs\.corpus:self-evolved/);
    } finally {
      await writeFile(corpusFile, original);
    }
    await writeFile(run("learned/self-evolved_r1/gamma/learned-gamma/SKILL.md"), "---\nname: learned-gamma\ndescription: tampered\n---\nstamp: GAMMA-5\n");
    await expect(protocol()).rejects.toThrow(/learned\.self-evolved@r1\|gamma/);
  });
});

describe("exploration budget", () => {
  const base = async (): Promise<LearningContext> => ({
    v: LEARNING_CONTEXT_VERSION,
    condition: "self-evolved",
    method: "command",
    family: { id: "gamma" },
    feedback: "binary",
    tasks: [{ id: "gamma-a1", instruction: "GAMMA ledger job" }],
    episodes: [],
    round: 1,
    library_rules: LIBRARY_RULES,
  });
  const attempt = async () => {
    throw new Error("no attempt may run for a refused request");
  };
  const learn = async (mode: string, extra: Record<string, unknown> = {}, ctx?: LearningContext) => {
    const { tasks, families } = await loadTasks([GAMMA]);
    const runDir = join(tmp, `explore-${mode}`);
    return learnRounds("self-evolved", "gamma", MethodConfigSchema.parse({ ...method(mode), ...extra }), ctx ?? (await base()), {}, {
      runDir,
      guard: { mode: "namespace", hide: guardHide(tasks, families, runDir) },
      baseDir: FIX,
      env: process.env,
      log: () => {},
      acquisitionTasks: ["gamma-a1"],
      evaluationTasks: ["gamma-e1"],
      attempt,
      commit: async () => {},
    });
  };

  it("more attempts than the budget are refused with a clear error", async () => {
    await expect(learn("over")).rejects.toThrow(/asks for 2 exploration attempt\(s\), beyond the budget of 1/);
  });

  it("an evaluation task is refused: exploration runs on acquisition tasks only", async () => {
    await expect(learn("eval")).rejects.toThrow(/task `gamma-e1` is an evaluation task: exploration runs on acquisition tasks only/);
  });

  it("batch_feedback = false: one revision per episode, each starting from the last", async () => {
    const ctx = { ...(await base()), episodes: [{ task: "gamma-a1", index: 0, trace: "t0", passed: false }, { task: "gamma-a1", index: 1, trace: "t1", passed: false }] };
    await learn("per-episode", { rounds: 1, batch_feedback: false, exploration_attempts: 0 }, ctx);
    const dir = join(tmp, "explore-per-episode/learning/self-evolved/gamma");
    const first = JSON.parse(await readFile(join(dir, "episode-1/context.json"), "utf8")) as LearningContext;
    const second = JSON.parse(await readFile(join(dir, "episode-2/context.json"), "utf8")) as LearningContext;
    expect([first.episodes.map((e) => e.index), first.previous_library]).toEqual([[0], undefined]);
    expect(second.episodes.map((e) => e.index)).toEqual([1]);
    const out = await readFile(join(tmp, "explore-per-episode/learned/self-evolved/gamma/learned-gamma/SKILL.md"), "utf8");
    expect(out).toContain("failures seen: gamma-a1#1");
    expect(out).toContain("previous library stamp: UNKNOWN-0");
  });
});

describe("conditions and agents derived from [learning]", () => {
  const config = (learning: Record<string, unknown>) =>
    runConfigFromFlags({
      tasks: [GAMMA],
      conditions: ["no-skill", "self-evolved", "self-evolved:b"],
      agents: [
        { kind: "nop", id: "base-a" },
        { kind: "nop", id: "strong" },
        { kind: "nop", id: "unused" },
      ],
      learning,
    });

  it("evaluate_rounds adds X@r1..X@r(R-1) right after X; others are untouched", () => {
    const c = config({ methods: { "self-evolved": method("one"), "self-evolved:b": { ...method("one"), evaluate_rounds: false } } });
    expect(evaluatedConditions(c.conditions, c.learning!)).toEqual(["no-skill", "self-evolved", "self-evolved@r1", "self-evolved@r2", "self-evolved:b"]);
  });

  it("acquisition_agents picks the agent per condition (rounds follow their base); the acquisition phase runs each agent once", () => {
    const c = config({ acquisition_agents: { "self-evolved": "strong" } });
    const { agentFor, acquisitionAgents } = acquisitionAgentsOf(c, c.learning!);
    expect([agentFor("self-evolved"), agentFor("self-evolved@r2"), agentFor("self-evolved:b"), agentFor("raw-trace")]).toEqual(["strong", "strong", "base-a", "base-a"]);
    expect(acquisitionAgents.map((a) => a.id)).toEqual(["base-a", "strong"]);
    const bad = config({ acquisition_agents: { "self-evolved": "nobody" } });
    expect(() => acquisitionAgentsOf(bad, bad.learning!)).toThrow(/acquisition agent `nobody` is not among \[\[agents\]\]/);
  });
});
