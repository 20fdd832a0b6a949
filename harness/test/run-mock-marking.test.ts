// A run whose agent talked to the scripted mock model is a dry run: run.json must say so, so
// the site never shows it as a model result.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { loadMockScript, startMockModel, type MockModelServer } from "../src/agent/mock-model/index.ts";
import { dockerContext } from "../src/cli/docker-context.ts";
import { executeRun, readRunJson, runConfigFromFlags, selectTasks } from "../src/run/index.ts";

const fixtures = join(import.meta.dirname, "fixtures");
let server: MockModelServer;
let results: string;

beforeAll(async () => {
  server = await startMockModel(await loadMockScript(join(fixtures, "agent-scripts/stamp.json")));
  results = await mkdtemp(join(tmpdir(), "sd-mock-mark-"));
});
afterAll(async () => {
  await server.close();
  await rm(results, { recursive: true, force: true });
});

it("marks run.json source mock-model once a trial used the scripted model", async () => {
  process.env.SD_TEST_MOCK_URL = server.url;
  process.env.SD_TEST_MOCK_KEY = "dry-run";
  const config = runConfigFromFlags({
    id: "mock-marking",
    results_dir: results,
    tasks: [join(fixtures, "agent-tasks")],
    environments: inject("environmentsDirs"),
    conditions: ["curated"],
    trials: 1,
    agents: [{ kind: "openai", id: "scripted", model: "scripted-stamp", max_turns: 10, base_url_env: "SD_TEST_MOCK_URL", api_key_env: "SD_TEST_MOCK_KEY" }],
  });
  const { tasks } = await selectTasks(config);
  const r = await executeRun(config, tasks, { ...(await dockerContext({ environments: config.environments, quiet: true })), quiet: true });
  expect(r.records.every((x) => x.scripted_model === true)).toBe(true);
  expect((await readRunJson(join(r.dir, "run.json")))!.source).toBe("mock-model");
});
