import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dockerContext } from "../src/cli/docker-context.ts";
import { dockerClient } from "../src/sandbox/index.ts";
import { executeRun, runConfigFromFlags, selectTasks } from "../src/run/index.ts";

// 300 trials of a trivial task at concurrency 8: zero infra errors, nothing left behind.
// About 5–6 minutes on this 2-core machine, so it runs only with SKILLDELTA_LOAD=1
// (`SKILLDELTA_LOAD=1 npx vitest run harness/test/reliability-load.test.ts`).
const TRIVIAL = join(import.meta.dirname, "fixtures/reliability/trivial");
const TRIALS = Number(process.env.SKILLDELTA_LOAD_TRIALS ?? 300);

describe.skipIf(!process.env.SKILLDELTA_LOAD)("load", () => {
  let results: string;
  beforeAll(async () => { results = await mkdtemp(join(tmpdir(), "sd-load-")); });
  afterAll(async () => { await rm(results, { recursive: true, force: true }); });

  it(`${TRIALS} trivial trials at concurrency 8: zero infra errors, zero leftover containers, networks or volumes`, async () => {
    const docker = dockerClient();
    const networksBefore = (await docker.listNetworks()).length;
    const volumesBefore = ((await docker.listVolumes()).Volumes ?? []).length;
    const config = runConfigFromFlags({ id: "load", results_dir: results, tasks: [TRIVIAL], environments: inject("environmentsDirs"), conditions: ["no-skill"], agents: [{ kind: "nop", id: "nop" }], trials: TRIALS, concurrency: 8, max_infra_retries: 0 });
    const { tasks } = await selectTasks(config);
    const t0 = performance.now();
    const r = await executeRun(config, tasks, { ...(await dockerContext({ environments: config.environments, quiet: true })), quiet: true });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`[load] ${r.records.length} trials in ${seconds.toFixed(0)} s (${((r.records.length / seconds) * 60).toFixed(1)} trials/min)`);
    expect(r.records).toHaveLength(TRIALS);
    expect(r.records.filter((x) => x.outcome === "infra_error")).toEqual([]);
    expect(r.records.every((x) => x.outcome === "failed")).toBe(true);
    expect(await docker.listContainers({ all: true, filters: { label: ["skilldelta.run=load"] } })).toHaveLength(0);
    // other engineers' tests may create networks/volumes meanwhile; ours create none
    expect((await docker.listNetworks()).length).toBeLessThanOrEqual(networksBefore);
    expect(((await docker.listVolumes()).Volumes ?? []).length).toBeLessThanOrEqual(volumesBefore);
  }, 1_800_000);
});
