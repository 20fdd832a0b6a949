import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dockerContext } from "../src/cli/docker-context.ts";
import { dockerClient } from "../src/sandbox/index.ts";
import { executeRun, readFinalState, runConfigFromFlags, selectTasks, type RunResult } from "../src/run/index.ts";

// Each tamper task's "oracle" is an attack on the verifier: it writes the wrong answer, then
// replaces python3 or bash, plants sitecustomize/.pth hooks, or writes the reward file early
// and keeps rewriting it. Every attack must fail, with the verifier in the agent's container
// (toolchain changes are caught and escalate to a fresh container) and in a separate one.
const FIXTURE = join(import.meta.dirname, "fixtures/reliability/tamper");
const TASKS = ["tamper-python", "tamper-sitecustomize", "tamper-reward", "tamper-bash", "honest-edit"];

async function runMode(results: string, separate: boolean): Promise<RunResult> {
  const dir = join(results, separate ? "tasks-separate" : "tasks-shared");
  await cp(FIXTURE, dir, { recursive: true });
  for (const t of TASKS) {
    const f = join(dir, t, "task.toml");
    await writeFile(f, (await readFile(f, "utf8")).replace("separate_verifier = false", `separate_verifier = ${separate}`));
  }
  const config = runConfigFromFlags({
    id: separate ? "tamper-separate" : "tamper-shared",
    results_dir: results,
    tasks: [dir],
    environments: inject("environmentsDirs"),
    conditions: ["no-skill"],
    agents: [{ kind: "oracle", id: "oracle" }],
    trials: 1,
    concurrency: 2,
    max_infra_retries: 0,
  });
  const { tasks } = await selectTasks(config);
  const ctx = await dockerContext({ environments: config.environments, quiet: true });
  return executeRun(config, tasks, { ...ctx, quiet: true });
}

describe("verifier isolation against hostile agents", () => {
  let results: string;
  beforeAll(async () => { results = await mkdtemp(join(tmpdir(), "sd-tamper-")); });
  afterAll(async () => { await rm(results, { recursive: true, force: true }); });

  for (const separate of [false, true]) {
    it(`every attack fails with the verifier ${separate ? "in a separate container" : "in the agent's container"}`, async () => {
      const r = await runMode(results, separate);
      const get = (t: string) => r.records.find((x) => x.task === t)!;
      for (const t of ["tamper-python", "tamper-sitecustomize", "tamper-reward", "tamper-bash"]) {
        expect({ task: t, outcome: get(t).outcome, reward: get(t).reward }).toEqual({ task: t, outcome: "failed", reward: 0 });
      }
      // The attacks really happened: the toolchain changes were seen and withheld from the verifier.
      const state = async (t: string) => (await readFinalState(join(r.dir, get(t).artifacts_dir)))!;
      expect((await state("tamper-python")).withheld.some((p) => p.startsWith("/usr/bin/python3"))).toBe(true);
      expect((await state("tamper-sitecustomize")).withheld.filter((p) => /sitecustomize\.py$|\.pth$/.test(p)).length).toBeGreaterThanOrEqual(3);
      expect((await state("tamper-bash")).withheld.some((p) => /bin\/bash$/.test(p))).toBe(true);
      if (!separate) {
        // caught in the shared mode: the record says why the verdict came from a fresh container
        expect(get("tamper-python").checks.find((c) => c.name === "skilldelta:toolchain_untouched")?.passed).toBe(false);
        expect(get("tamper-reward").checks.some((c) => c.name.startsWith("skilldelta:"))).toBe(false);
      }
      // An honest agent's files, nested and empty directories, and deletions reach the verifier.
      expect(get("honest-edit").outcome).toBe("passed");
      const honest = await state("honest-edit");
      expect(honest.files).toEqual(expect.arrayContaining(["/root/answer.txt", "/srv/out/nested/data.txt", "/srv/empty"]));
      expect(honest.deleted).toContain("/root/.profile");
      expect(honest.withheld).toEqual([]);
      const left = await dockerClient().listContainers({ all: true, filters: { label: [`skilldelta.run=${r.run.id}`] } });
      expect(left).toHaveLength(0);
    });
  }
});
