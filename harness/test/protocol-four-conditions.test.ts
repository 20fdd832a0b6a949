// The whole protocol in real Docker against the scripted model over real HTTP: acquire on two
// fixture families (k=2), learn (raw-trace + the `experience` learner), freeze, evaluate
// no-skill / raw-trace / curated / self-evolved matched trials (k=2), analyse. The scripted
// solver copies whatever stamp its library gives it and names the skill it came from, so each
// trial's verifier output shows exactly which library that condition received.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadMockScript, startMockModel, type MockModelServer } from "../src/agent/index.ts";
import { dockerContext } from "../src/cli/docker-context.ts";
import { digestTree } from "../src/core/digest.ts";
import { runProtocol, type ProtocolResult } from "../src/protocol/index.ts";
import { readRunJson, runConfigFromFlags, type RunConfigInput, type TrialRecord } from "../src/run/index.ts";

const FIX = join(import.meta.dirname, "fixtures/learning");
let server: MockModelServer;
let results: string;

beforeAll(async () => {
  server = await startMockModel(await loadMockScript(join(FIX, "model-script.json")));
  process.env.SD_LEARN_URL = server.url;
  process.env.SD_LEARN_KEY = "sk-scripted";
  results = await mkdtemp(join(tmpdir(), "sd-protocol-"));
});
afterAll(async () => {
  await server.close();
  await rm(results, { recursive: true, force: true });
});

const model = { model: "scripted-learning", base_url_env: "SD_LEARN_URL", api_key_env: "SD_LEARN_KEY" };
export function protocolConfig(id: string, resultsDir: string, extra: Partial<RunConfigInput> = {}) {
  return runConfigFromFlags({
    id,
    results_dir: resultsDir,
    tasks: [FIX],
    environments: inject("environmentsDirs"),
    conditions: ["no-skill", "raw-trace", "curated", "self-evolved"],
    trials: 2,
    concurrency: 2,
    seed: 7,
    agents: [{ kind: "openai", id: "scripted", model: "scripted-learning", base_url_env: "SD_LEARN_URL", api_key_env: "SD_LEARN_KEY", max_turns: 4 }],
    learning: { feedback: "binary", acquisition_trials: 2, methods: { "self-evolved": { kind: "experience", model } }, raw_trace: { top_k: 2 } },
    ...extra,
  });
}

async function protocol(id: string): Promise<ProtocolResult> {
  const config = protocolConfig(id, results);
  const ctx = await dockerContext({ environments: config.environments, quiet: true });
  return runProtocol(config, { ...ctx, quiet: true, env: process.env, baseDir: FIX });
}

const seen = async (dir: string, r: TrialRecord) => ({
  answer: (await readFile(join(dir, r.artifacts_dir, "verifier/answer.txt"), "utf8").catch(() => "")).trim(),
  source: (await readFile(join(dir, r.artifacts_dir, "verifier/source.txt"), "utf8").catch(() => "")).trim(),
});

describe("protocol: four matched conditions", () => {
  let first: ProtocolResult;

  it("acquire → freeze → evaluate → analyse; each condition received exactly its own library", { timeout: 300_000 }, async () => {
    first = await protocol("four");
    expect(first.state.analyse).toBeDefined();
    // Acquisition: 2 families × 1 task × k=2, all solved from /app/notes.txt.
    expect(first.acquisition!.records).toHaveLength(4);
    expect(first.acquisition!.records.every((r) => r.outcome === "passed" && r.condition === "no-skill")).toBe(true);
    const ev = first.evaluation!;
    expect(ev.records).toHaveLength(2 * 4 * 2);
    expect(ev.records.every((r) => r.split === "evaluation")).toBe(true);
    for (const r of ev.records) {
      const { answer, source } = await seen(ev.dir, r);
      const fam = r.family;
      const stamp = fam === "alpha" ? "ALPHA-7" : "BETA-3";
      if (r.condition === "no-skill") {
        expect([r.outcome, source, r.library_digest]).toEqual(["failed", "none", null]);
      } else {
        expect(r.outcome, `${r.key}: ${source}`).toBe("passed");
        expect(answer).toBe(stamp);
        expect(r.skills_loaded).toEqual([source]);
        if (r.condition === "curated") expect(source).toBe(`curated-${fam}`);
        // The self-evolved library holds what the scripted learner wrote for this family.
        if (r.condition === "self-evolved") expect(source).toBe(`learned-${fam}`);
        // Raw-trace entries come from this run's acquisition trajectories of the same family.
        if (r.condition === "raw-trace") expect(source).toMatch(new RegExp(`^trace-${fam}-a1-[01]$`));
      }
    }
    // Matched: same seed and image across conditions for each (task, index).
    for (const t of ["alpha-e1", "beta-e1"]) for (const i of [0, 1]) {
      const cell = ev.records.filter((r) => r.task === t && r.index === i);
      expect(new Set(cell.map((r) => r.seed)).size).toBe(1);
      expect(new Set(cell.map((r) => r.image)).size).toBe(1);
      expect(cell.map((r) => r.condition).sort()).toEqual(["curated", "no-skill", "raw-trace", "self-evolved"]);
    }
    // Frozen libraries are in results/<run>/libraries/<condition>/<digest>/; the learned skill says what the learner saw.
    const learned = await readFile(join(ev.dir, "learned/self-evolved/alpha/learned-alpha/SKILL.md"), "utf8");
    expect(learned).toContain("stamp: ALPHA-7");
    expect((await readdir(join(ev.dir, "libraries"))).sort()).toEqual(["curated", "raw-trace", "self-evolved"]);
    const rt = await readdir(join(ev.dir, "learned/raw-trace/_tasks/alpha-e1"));
    expect(rt).toEqual(["trace-alpha-a1-0", "trace-alpha-a1-1"]);
    // The learning context held acquisition material only.
    const ctx = await readFile(join(ev.dir, "learning/self-evolved/alpha/context.json"), "utf8");
    expect(ctx).toContain("ALPHA ledger job");
    for (const s of ["EVALSENTINEL", "TESTSENTINEL", "SOLUTIONSENTINEL", "curated-alpha", "BETA"]) expect(ctx).not.toContain(s);
    // Dry run marked, learning cost charged to the learned condition.
    const run = (await readRunJson(join(ev.dir, "run.json")))!;
    expect(run.source).toBe("mock-model");
    // Acquisition attempts are charged to every condition built from them; the learner's calls on top.
    const lc = run.learning_cost!;
    expect(lc["raw-trace"]!.tokens).toBeGreaterThan(0);
    expect(lc["self-evolved"]!.tokens).toBeGreaterThan(lc["raw-trace"]!.tokens);
    expect(Object.keys(lc).sort()).toEqual(["raw-trace", "self-evolved"]);
    const summary = JSON.parse(await readFile(join(ev.dir, "summary.json"), "utf8")) as Record<string, unknown>;
    expect(JSON.stringify(summary)).toContain("self-evolved");
  });

  it("determinism: the same config again gives identical libraries and schedule", { timeout: 300_000 }, async () => {
    const second = await protocol("four-again");
    for (const c of ["raw-trace", "self-evolved"]) {
      expect(second.state.freeze!.libraries[c]).toBe(first.state.freeze!.libraries[c]);
      expect(await digestTree(join(second.dir, "learned", c))).toBe(await digestTree(join(first.dir, "learned", c)));
    }
    expect(second.evaluation!.run.plan.digest).toBe(first.evaluation!.run.plan.digest);
    expect(second.evaluation!.run.lock.libraries).toEqual(first.evaluation!.run.lock.libraries);
    expect(second.acquisition!.run.plan.digest).toBe(first.acquisition!.run.plan.digest);
  });
});
