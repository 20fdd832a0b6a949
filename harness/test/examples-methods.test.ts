// The four worked method plug-ins of examples/methods/ (SkillX, EffiSkill, SkillForge, SKILL0
// styles), each run end to end from its shipped run-mock.toml in real Docker against the scripted
// model over real HTTP, on the `gamma` fixture (2 acquisition tasks, 1 evaluation task, a family
// knowledge base). Each test checks the structure the method promises (three levels; operators
// citing corpus files; one frozen library per round) and that conditions are matched.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMockScript, startMockModel, type MockModelServer } from "../src/agent/index.ts";
import { analyseRun } from "../src/analysis/index.ts";
import { dockerContext } from "../src/cli/docker-context.ts";
import { digestTree, sha256 } from "../src/core/digest.ts";
import { protocolPaths, runProtocol, type ProtocolResult } from "../src/protocol/index.ts";
import { executeRun, loadRunConfig, readRunJson, type TrialRecord } from "../src/run/index.ts";
import { loadLibrary } from "../src/skills/index.ts";
import { loadTasks } from "../src/task/index.ts";

const REPO = join(import.meta.dirname, "../..");
const METHODS = join(REPO, "examples/methods");
const FIX = join(import.meta.dirname, "fixtures/methods");
let server: MockModelServer;
let results: string;

beforeAll(async () => {
  server = await startMockModel(await loadMockScript(join(FIX, "model-script.json")));
  process.env.MOCK_URL = server.url;
  process.env.MOCK_KEY = "sk-scripted";
  results = await mkdtemp(join(tmpdir(), "sd-examples-methods-"));
});
afterAll(async () => {
  await server.close();
  await rm(results, { recursive: true, force: true });
});

/** Loads examples/methods/<method>/run-mock.toml as shipped, with results in the temp dir. */
async function config(method: string) {
  return loadRunConfig(join(METHODS, method, "run-mock.toml"), { results_dir: results });
}

async function protocol(method: string): Promise<ProtocolResult> {
  const cfg = await config(method);
  const ctx = await dockerContext({ environments: cfg.environments, quiet: true });
  return runProtocol(cfg, { ...ctx, quiet: true, env: process.env, baseDir: join(METHODS, method) });
}

const source = async (dir: string, r: TrialRecord) => (await readFile(join(dir, r.artifacts_dir, "verifier/source.txt"), "utf8").catch(() => "")).trim();

/** Every (task, index, agent) cell holds exactly `conditions`, all with one seed and one image. */
function expectMatched(records: TrialRecord[], conditions: string[]) {
  const cells = new Map<string, TrialRecord[]>();
  for (const r of records) cells.set(`${r.task}#${r.index}@${r.agent}`, [...(cells.get(`${r.task}#${r.index}@${r.agent}`) ?? []), r]);
  expect(cells.size).toBeGreaterThan(0);
  for (const [key, cell] of cells) {
    expect(cell.map((r) => r.condition).sort(), key).toEqual([...conditions].sort());
    expect(new Set(cell.map((r) => r.seed)).size, key).toBe(1);
    expect(new Set(cell.map((r) => r.image)).size, key).toBe(1);
  }
}

const calls = (system: string) => server.requests.filter((r) => r.messages[0]?.content.includes(system)).length;

describe("examples/methods", () => {
  it("skillx: a three-level library, refined in round 2 from the attempts with round 1's, exploration charged; built with one agent, evaluated with two", { timeout: 240_000 }, async () => {
    const res = await protocol("skillx");
    expect(res.state.analyse).toBeDefined();
    const p = protocolPaths(res.dir);
    const final = await loadLibrary(join(p.learned("self-evolved:skillx"), "gamma"));
    expect(final.problems).toEqual([]);
    const ids = final.library.skills.map((s) => `${s.depth} ${s.id}`).sort();
    expect(ids).toEqual(["1 plan-gamma", "2 plan-gamma/stamp-job", "3 plan-gamma/stamp-job/answer-file", "3 plan-gamma/stamp-job/stamp-code"]);
    // Round 1 (extraction) is frozen separately and lacks what refinement added.
    const r1 = await loadLibrary(join(p.learned("self-evolved:skillx@r1"), "gamma"));
    expect(r1.library.skills.map((s) => s.id).sort()).toEqual(["plan-gamma", "plan-gamma/stamp-job", "plan-gamma/stamp-job/stamp-code"]);
    expect(res.state.learned["self-evolved:skillx@r1|gamma"]?.explore).toHaveLength(1);
    // Round 2's context: the attempts made with round 1's library, plus the exploration episode.
    const ctx2 = JSON.parse(await readFile(join(p.learning("self-evolved:skillx", "gamma"), "context.json"), "utf8"));
    expect(ctx2.round).toBe(2);
    expect(ctx2.episodes.map((e: { task: string }) => e.task).sort()).toEqual(["gamma-a1", "gamma-a2"]);
    expect(ctx2.exploration_episodes).toHaveLength(1);
    expect(calls("SkillX's skill extractor")).toBe(1);
    expect(calls("SkillX's skill refiner")).toBe(1);

    const ev = res.evaluation!;
    expect(ev.records).toHaveLength(1 * 3 * 2 * 1);
    expectMatched(ev.records, ["no-skill", "curated", "self-evolved:skillx"]);
    for (const r of ev.records.filter((x) => x.condition === "self-evolved:skillx")) {
      // The solver reached the atomic level through the plan and the functional skill.
      expect([r.outcome, await source(ev.dir, r)]).toEqual(["passed", "stamp-code"]);
      expect(r.skills_loaded).toEqual(["plan-gamma", "plan-gamma/stamp-job", "plan-gamma/stamp-job/stamp-code"]);
    }
    const run = (await readRunJson(join(ev.dir, "run.json")))!;
    expect(run.source).toBe("mock-model");
    expect(run.library_meta?.["self-evolved:skillx"]?.built_with).toBe("strong");
    // The exploration attempt ran as its own journaled run and is charged to the condition.
    expect((await readdir(p.roundsResults)).filter((d) => /skillx.*-r2-x0$/.test(d))).toHaveLength(1);
    expect(run.learning_cost!["self-evolved:skillx"]!.tokens).toBeGreaterThan(0);
    // Cross-agent transfer: the strong-built library evaluated with the weak agent, against weak with no skills.
    const summary = JSON.parse(await readFile(join(ev.dir, "summary.json"), "utf8"));
    const transfer = summary.transfer?.find((t: { condition: string; evaluated_with: string }) => t.condition === "self-evolved:skillx" && t.evaluated_with === "weak");
    expect(transfer?.built_with, JSON.stringify(summary.transfer)).toBe("strong");
    expect(transfer?.vs_no_skill?.pairs).toBe(1);
  });

  it("effiskill: operator skills cite the corpus files they were mined from (path + sha256), meta skills cite operators; corpus digested", { timeout: 240_000 }, async () => {
    const res = await protocol("effiskill");
    expect(res.state.analyse).toBeDefined();
    const corpusDir = join(METHODS, "effiskill/corpus");
    const lib = await loadLibrary(join(protocolPaths(res.dir).learned("self-evolved:effiskill"), "gamma"));
    expect(lib.problems).toEqual([]);
    const ops = lib.library.skills.filter((s) => s.name.startsWith("op-"));
    const metas = lib.library.skills.filter((s) => s.name.startsWith("meta-"));
    const pairs = ["01-band-lookup", "02-first-seen-dedupe", "03-hoist-invariants", "04-batched-output", "05-subprocess-per-item"];
    expect(ops.map((s) => s.name).sort()).toEqual(pairs.map((x) => `op-${x}`));
    for (const op of ops) {
      const text = await readFile(join(op.dir, "SKILL.md"), "utf8");
      const pair = op.name.slice(3);
      for (const role of ["slow", "fast"]) {
        const digest = sha256(await readFile(join(corpusDir, pair, `${role}.py`)));
        expect(text, op.name).toContain(`corpus/${pair}/${role}.py (sha256 ${digest.slice(0, 16)}`);
      }
      expect(await readFile(join(op.dir, "references/example.md"), "utf8")).toContain(`${pair}/fast.py`);
    }
    expect(metas.map((s) => s.name)).toEqual(["meta-speedup-procedure"]);
    const meta = await readFile(join(metas[0]!.dir, "SKILL.md"), "utf8");
    expect(meta).toMatch(/## Operators\n- op-01-band-lookup[^\n]*\n- op-05-subprocess-per-item/);
    // One miner call per pair plus one meta call; no runtime feedback was read (context at `none`).
    expect(calls("EffiSkill's operator miner")).toBe(5);
    expect(calls("EffiSkill's meta-skill miner")).toBe(1);
    const ctx = JSON.parse(await readFile(join(protocolPaths(res.dir).learning("self-evolved:effiskill", "gamma"), "context.json"), "utf8"));
    expect(ctx.feedback).toBe("none");
    expect(ctx.corpus.files.map((f: { path: string }) => f.path)).toContain("01-band-lookup/slow.py");
    expect(Object.values(res.state.inputs ?? {})).toContain(await digestTree(corpusDir));
    expectMatched(res.evaluation!.records, ["no-skill", "curated", "self-evolved:effiskill"]);
  });

  it("skillforge: knowledge base + tickets → round 1; analyzer → diagnostician → optimizer on the round's failures → round 2; both rounds frozen and evaluated", { timeout: 240_000 }, async () => {
    const res = await protocol("skillforge");
    expect(res.state.analyse).toBeDefined();
    const p = protocolPaths(res.dir);
    const r1 = res.state.learned["self-evolved:skillforge@r1|gamma"];
    const r2 = res.state.learned["self-evolved:skillforge|gamma"];
    expect(r1 && r2 && r1.digest !== r2.digest).toBe(true);
    expect(res.state.freeze!.libraries["self-evolved:skillforge@r1"]).toBeDefined();
    const text = (c: string) => readFile(join(p.learned(c), "gamma/forge-gamma-stamp/SKILL.md"), "utf8");
    expect(await text("self-evolved:skillforge@r1")).toContain("stamp: GAMMA-1"); // from the outdated table
    expect(await text("self-evolved:skillforge")).toContain("stamp: GAMMA-5"); // fixed from the batch of failures
    // Round 1 read the knowledge base; round 2 got both failures at once and made three calls.
    const ctx1 = JSON.parse(await readFile(join(p.learning("self-evolved:skillforge@r1", "gamma"), "context.json"), "utf8"));
    expect(ctx1.knowledge_base.files.map((f: { path: string }) => f.path).sort()).toEqual(["ops-bulletin.md", "stamp-table.md"]);
    const ctx2 = JSON.parse(await readFile(join(p.learning("self-evolved:skillforge", "gamma"), "context.json"), "utf8"));
    expect(ctx2.episodes.map((e: { passed: boolean }) => e.passed)).toEqual([false, false]);
    for (const role of ["skill creator", "failure analyzer", "skill diagnostician", "skill optimizer"]) expect(calls(`SkillForge's ${role}`), role).toBe(1);

    const ev = res.evaluation!;
    const conditions = ["no-skill", "curated", "self-evolved:skillforge@r1", "self-evolved:skillforge"];
    expectMatched(ev.records, conditions);
    const outcome = (c: string) => ev.records.filter((r) => r.condition === c).map((r) => r.outcome);
    expect(outcome("self-evolved:skillforge@r1")).toEqual(["failed"]);
    expect(outcome("self-evolved:skillforge")).toEqual(["passed"]);
    // The site's score-by-round series comes from the names alone.
    const summary = JSON.parse(await readFile(join(ev.dir, "summary.json"), "utf8"));
    const series = summary.rounds?.find((s: { base: string; pooled: boolean }) => s.base === "self-evolved:skillforge" && !s.pooled);
    expect(series?.points.map((x: { round: number; condition: string }) => `${x.round} ${x.condition}`)).toEqual(["1 self-evolved:skillforge@r1", "2 self-evolved:skillforge"]);
  });

  it("skill0: fine-tuned B without skills vs base A with and without curated skills on matched cells; skill tokens per row; curriculum export reads acquisition tasks only", { timeout: 240_000 }, async () => {
    const cfg = await config("skill0");
    const ctx = await dockerContext({ environments: cfg.environments, quiet: true });
    const { tasks } = await loadTasks(cfg.tasks);
    const run = await executeRun(cfg, tasks.filter((t) => t.split === "evaluation"), { ...ctx, quiet: true });
    expect(run.run.status).toBe("finished");
    expect(run.records).toHaveLength(1 * 2 * 2 * 2);
    expectMatched(run.records, ["no-skill", "curated"]);
    const { summary } = await analyseRun(run.dir, { seed: cfg.seed });
    const contrast = summary.contrasts.find((c) => c.agent_a === "ft-b" && c.agent_b === "base-a");
    expect(contrast?.pairs).toBe(2);
    const row = (agent: string, condition: string) => summary.methods.find((m) => m.agent === agent && m.condition === condition && !m.pooled)!;
    expect(row("base-a", "curated").skill_tokens!.per_trial).toBeGreaterThan(0);
    expect(row("base-a", "curated").skill_tokens!.per_step).toBeGreaterThan(0);
    expect(row("ft-b", "no-skill").skill_tokens?.per_trial ?? 0).toBe(0);

    const out = join(results, "curriculum.jsonl");
    await promisify(execFile)(process.execPath, [join(METHODS, "skill0/export-curriculum.mjs"), join(FIX, "gamma"), out]);
    const lines = (await readFile(out, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { task: string; stage: number; export_only: boolean; messages: { content: string }[] });
    expect(lines.map((l) => `${l.task}/${l.stage}`)).toEqual(["gamma-a1/0", "gamma-a1/1", "gamma-a1/2", "gamma-a2/0", "gamma-a2/1", "gamma-a2/2"]);
    expect(lines.every((l) => l.export_only)).toBe(true);
    expect(lines[0]!.messages[0]!.content).toContain("stamp: GAMMA-5");
    expect(lines[2]!.messages[0]!.content).not.toContain("curated-gamma");
    expect(JSON.stringify(lines)).not.toContain("archive job"); // gamma-e1's instruction
    expect(JSON.parse(await readFile(`${out}.meta.json`, "utf8")).export_only).toBe(true);
    expect(dirname(out)).toBe(results);
  });
});
