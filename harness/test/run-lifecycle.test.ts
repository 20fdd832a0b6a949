import { mkdtemp, readFile, rm, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dockerContext } from "../src/cli/docker-context.ts";
import { LockChangedError } from "../src/core/errors.ts";
import { dockerClient } from "../src/sandbox/index.ts";
import { executeRun, runConfigFromFlags, selectTasks, type RunResult, type TrialRecord } from "../src/run/index.ts";

const FIXTURES = join(import.meta.dirname, "fixtures/tasks");

async function containersOf(runId: string): Promise<number> {
  return (await dockerClient().listContainers({ all: true, filters: { label: [`skilldelta.run=${runId}`] } })).length;
}

async function run(id: string, resultsDir: string, overrides: Parameters<typeof runConfigFromFlags>[0]): Promise<RunResult> {
  const config = runConfigFromFlags({ id, results_dir: resultsDir, environments: inject("environmentsDirs"), concurrency: 2, ...overrides });
  const { tasks } = await selectTasks(config);
  const ctx = await dockerContext({ environments: config.environments, quiet: true });
  return executeRun(config, tasks, { ...ctx, quiet: true });
}

const byKey = (rs: TrialRecord[], task: string, condition: string, agent: string) => rs.filter((r) => r.task === task && r.condition === condition && r.agent === agent);

describe("trial lifecycle with real containers", () => {
  let results: string;
  beforeAll(async () => { results = await mkdtemp(join(tmpdir(), "sd-run-")); });
  afterAll(async () => { await rm(results, { recursive: true, force: true }); });

  it("oracle passes and nop fails; each condition sees exactly its own library; nothing of tests/ or solution/ is visible to the agent", async () => {
    const r = await run("conditions", results, {
      tasks: [join(FIXTURES, "tiny"), join(FIXTURES, "probe")],
      conditions: ["no-skill", "curated"],
      agents: [{ kind: "oracle", id: "oracle" }, { kind: "nop", id: "nop" }],
      trials: 1,
    });
    expect(r.run.status).toBe("finished");
    expect(r.records).toHaveLength(3 * 2 * 2);
    for (const t of ["tiny-echo", "tiny-leak"]) {
      for (const c of ["no-skill", "curated"]) {
        expect(byKey(r.records, t, c, "oracle")[0]!.outcome).toBe("passed");
        expect(byKey(r.records, t, c, "nop")[0]!.outcome).toBe("failed");
      }
    }
    // The probe task's answer lives only in the curated skill: mounted there, absent in no-skill.
    expect(byKey(r.records, "tiny-skill", "curated", "oracle")[0]!.outcome).toBe("passed");
    expect(byKey(r.records, "tiny-skill", "no-skill", "oracle")[0]!.outcome).toBe("failed");
    expect(byKey(r.records, "tiny-skill", "curated", "oracle")[0]!.library_digest).toMatch(/^[0-9a-f]{64}$/);
    expect(byKey(r.records, "tiny-skill", "no-skill", "oracle")[0]!.library_digest).toBeNull();
    // The leak probe searched the whole filesystem during the agent phase and found nothing.
    const leak = byKey(r.records, "tiny-leak", "curated", "oracle")[0]!;
    expect(await readFile(join(r.dir, leak.artifacts_dir, "verifier/found.txt"), "utf8")).toBe("");
    // reward.json checks are kept in the record
    expect(byKey(r.records, "tiny-echo", "curated", "oracle")[0]!.checks).toEqual([{ name: "out_txt_is_hello", passed: true }]);
    // matched trials share image and seed across conditions
    const [a, b] = [byKey(r.records, "tiny-echo", "no-skill", "oracle")[0]!, byKey(r.records, "tiny-echo", "curated", "oracle")[0]!];
    expect(a.image).toBe(b.image);
    expect(a.seed).toBe(b.seed);
    expect(await containersOf("conditions")).toBe(0);
    const journal = (await readFile(join(r.dir, "trials.jsonl"), "utf8")).trim().split("\n");
    expect(journal).toHaveLength(12);
  });

  it("classifies faults: OOM → agent_error, timeout → agent_timeout (verifier still runs), garbage reward → verifier_error retried, fork bomb contained", async () => {
    const r = await run("faults", results, {
      tasks: [join(FIXTURES, "faults")],
      conditions: ["no-skill"],
      agents: [{ kind: "oracle", id: "oracle" }],
      trials: 1,
      max_infra_retries: 1,
    });
    const get = (t: string) => r.records.find((x) => x.task === t)!;
    expect(get("fault-oom").outcome).toBe("agent_error");
    expect(get("fault-oom").error).toMatch(/OOM/);
    expect(get("fault-timeout").outcome).toBe("agent_timeout");
    expect(get("fault-timeout").reward).toBe(1); // the verifier ran after the timeout
    expect(get("fault-timeout").timings_ms.agent).toBeLessThan(15_000);
    expect(get("fault-garbage").outcome).toBe("verifier_error");
    expect(get("fault-garbage").attempt).toBe(2); // retried once, then given up
    expect(get("fault-garbage").error).toMatch(/reward\.txt is not a number/);
    expect(["passed", "agent_error"]).toContain(get("fault-fork").outcome);
    expect(get("fault-fork").outcome).not.toBe("infra_error");
    expect(await containersOf("faults")).toBe(0);
  });

  it("resumes without rerunning anything, and refuses when an input changed", async () => {
    const tasksDir = join(results, "copy");
    await cp(join(FIXTURES, "tiny"), tasksDir, { recursive: true });
    const opts = { tasks: [tasksDir], conditions: ["no-skill"], agents: [{ kind: "nop" as const, id: "nop" }], trials: 2 };
    const first = await run("resume", results, opts);
    expect(first.ranNow).toBe(4);
    const again = await run("resume", results, opts);
    expect(again.ranNow).toBe(0);
    expect(again.resumed).toBe(4);
    await writeFile(join(tasksDir, "tiny-echo/instruction.md"), "Write `bye` instead.\n");
    const refused = run("resume", results, opts);
    await expect(refused).rejects.toBeInstanceOf(LockChangedError);
    await expect(refused).rejects.toThrow(/tasks\.tiny-echo\.digest/);
  });
});
