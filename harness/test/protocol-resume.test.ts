// Phases one at a time, an iterative learner whose later rounds attempt the acquisition tasks
// in Docker with its current library, SIGKILL during evaluation and resume, and refusal when a
// frozen library changed.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadMockScript, startMockModel, type MockModelServer } from "../src/agent/index.ts";
import { dockerContext } from "../src/cli/docker-context.ts";
import { runProtocol, type Phase } from "../src/protocol/index.ts";
import { readJournal, runConfigFromFlags, type RunConfigInput } from "../src/run/index.ts";
import { dockerClient } from "../src/sandbox/index.ts";

const FIX = join(import.meta.dirname, "fixtures/learning");
let server: MockModelServer;
let results: string;

beforeAll(async () => {
  server = await startMockModel(await loadMockScript(join(FIX, "model-script.json")));
  process.env.SD_LEARN_URL = server.url;
  process.env.SD_LEARN_KEY = "sk-scripted";
  results = await mkdtemp(join(tmpdir(), "sd-protocol-resume-"));
});
afterAll(async () => {
  await server.close();
  await rm(results, { recursive: true, force: true });
});

const flags = (): RunConfigInput => ({
  id: "resume",
  results_dir: results,
  tasks: [FIX],
  environments: inject("environmentsDirs"),
  conditions: ["no-skill", "self-evolved"],
  trials: 2,
  concurrency: 2,
  seed: 3,
  agents: [{ kind: "openai", id: "scripted", model: "scripted-learning", base_url_env: "SD_LEARN_URL", api_key_env: "SD_LEARN_KEY", max_turns: 4 }],
  learning: { feedback: "rich", acquisition_trials: 1, methods: { "self-evolved": { kind: "verifier-feedback", rounds: 2, model: { model: "scripted-learning", base_url_env: "SD_LEARN_URL", api_key_env: "SD_LEARN_KEY" } } } },
});

async function phase(p?: Phase) {
  const config = runConfigFromFlags(flags());
  const ctx = await dockerContext({ environments: config.environments, quiet: true });
  return runProtocol(config, { ...ctx, quiet: true, env: process.env, baseDir: FIX }, p);
}

describe("protocol phases and resume", () => {
  it("--phase runs one phase; a later phase refuses before an earlier one finished", { timeout: 300_000 }, async () => {
    await expect(phase("evaluate")).rejects.toThrow(/phase `freeze` has not finished/);
    const acq = await phase("acquire");
    expect(acq.acquisition!.records).toHaveLength(2);
    expect(acq.state.freeze).toBeUndefined();
    const frozen = await phase("freeze");
    expect(Object.keys(frozen.state.freeze!.libraries)).toEqual(["self-evolved"]);
    // Round 2 attempted the acquisition tasks with the round-1 library mounted, and passed through it.
    const round2 = await readJournal(join(results, "resume/acquire-rounds/self-evolved-alpha-r2/trials.jsonl"));
    const rec = [...round2.latest.values()][0]!;
    expect([rec.condition, rec.outcome, rec.skills_loaded]).toEqual(["learning", "passed", ["learned-alpha"]]);
    // Rich feedback reached the learner: check names and verdicts, never test source.
    const ctx = await readFile(join(results, "resume/learning/self-evolved/alpha/context.json"), "utf8");
    expect(ctx).toContain('"name": "stamp_matches"');
    expect(ctx).not.toContain("TESTSENTINEL");
    expect(frozen.state.learned["self-evolved|alpha"]!.cost.calls).toBe(2);
  });

  it("SIGKILL during evaluation, then resume: nothing lost, nothing run twice", { timeout: 300_000 }, async () => {
    const child = spawn(process.execPath, [join(FIX, "protocol-child.ts"), JSON.stringify(flags())], { stdio: "ignore", env: process.env });
    const journal = join(results, "resume/trials.jsonl");
    for (let i = 0; i < 600; i++) {
      const text = await readFile(journal, "utf8").catch(() => "");
      if (text.split("\n").filter(Boolean).length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const before = (await readJournal(journal)).lines;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(8);

    const done = await phase();
    expect(done.state.analyse).toBeDefined();
    expect(done.evaluation!.records).toHaveLength(8);
    expect(done.evaluation!.resumed).toBeGreaterThanOrEqual(before);
    const lines = (await readFile(journal, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { key: string });
    expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length);
    expect(done.evaluation!.records.filter((r) => r.condition === "self-evolved").every((r) => r.outcome === "passed")).toBe(true);
    // Containers of the killed process are reaped on resume; under load the daemon may still be
    // finishing a create or remove request the dead process sent, so allow it a moment.
    let left = -1;
    for (let i = 0; i < 30 && left !== 0; i++) {
      left = (await dockerClient().listContainers({ all: true, filters: { label: ["skilldelta.run=resume"] } })).length;
      if (left) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(left).toBe(0);
  });

  it("a frozen library edited afterwards refuses to resume", async () => {
    await writeFile(join(results, "resume/learned/self-evolved/alpha/learned-alpha/SKILL.md"), "---\nname: learned-alpha\ndescription: tampered\n---\nstamp: WRONG-1\n");
    await expect(phase("evaluate")).rejects.toThrow(/changed after the freeze/);
  });
});
