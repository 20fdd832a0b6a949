import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dockerContext } from "../src/cli/docker-context.ts";
import { dockerClient } from "../src/sandbox/index.ts";
import { executeRun, readFinalState, runConfigFromFlags, selectTasks } from "../src/run/index.ts";

// One run over tasks that break in different places: the image does not build, the verifier
// crashes or writes garbage, the agent fills the disk past the storage limit. Each fault is
// recorded with its class and the run goes on to finish the healthy task.
const FAULTS = join(import.meta.dirname, "fixtures/reliability/faults");

describe("faults are classified and the run goes on", () => {
  let results: string;
  beforeAll(async () => { results = await mkdtemp(join(tmpdir(), "sd-rfaults-")); });
  afterAll(async () => { await rm(results, { recursive: true, force: true }); });

  it("build failure → excluded; verifier crash/garbage → verifier_error (retried); disk fill → agent_error; healthy task passes", async () => {
    const config = runConfigFromFlags({ id: "rfaults", results_dir: results, tasks: [FAULTS], environments: inject("environmentsDirs"), conditions: ["no-skill"], agents: [{ kind: "oracle", id: "oracle" }], trials: 1, concurrency: 2, max_infra_retries: 1 });
    const { tasks } = await selectTasks(config);
    const r = await executeRun(config, tasks, { ...(await dockerContext({ environments: config.environments, quiet: true })), quiet: true });
    expect(r.run.status).toBe("finished");
    expect(r.run.excluded_tasks.map((e) => e.task)).toEqual(["fault-build"]);
    expect(r.run.excluded_tasks[0]!.reason).toMatch(/build/i);
    const get = (t: string) => r.records.find((x) => x.task === t)!;
    expect(r.records.map((x) => x.task).sort()).toEqual(["fault-disk", "fault-ok", "fault-verifier-crash", "fault-verifier-garbage"]);
    expect(get("fault-verifier-crash")).toMatchObject({ outcome: "verifier_error", attempt: 2 });
    expect(get("fault-verifier-crash").error).toMatch(/neither reward\.json nor reward\.txt/);
    expect(get("fault-verifier-garbage")).toMatchObject({ outcome: "verifier_error", attempt: 2 });
    expect(get("fault-verifier-garbage").error).toMatch(/reward\.json is not valid JSON/);
    expect(get("fault-disk").outcome).toBe("agent_error");
    expect(get("fault-disk").error).toMatch(/storage limit \(32 MB\)/);
    // the final state of a disk-filling agent stays within its cap
    const fill = (await readFinalState(join(r.dir, get("fault-disk").artifacts_dir)))!;
    expect(fill.bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(get("fault-ok").outcome).toBe("passed");
    expect(await dockerClient().listContainers({ all: true, filters: { label: ["skilldelta.run=rfaults"] } })).toHaveLength(0);
  }, 600_000);
});
