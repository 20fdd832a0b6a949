// The openai agent end to end: real Docker containers, the real openai SDK over real HTTP to
// the scripted mock model, trials through the lead's runTrial (verifier included).
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { AgentConfigSchema, createAgent } from "../src/agent/registry.ts";
import { loadMockScript, parseMockScript, startMockModel, type MockModelServer } from "../src/agent/mock-model/index.ts";
import { readTrajectory } from "../src/agent/trajectory.ts";
import { digestJson } from "../src/core/digest.ts";
import { containerPaths } from "../src/core/paths.ts";
import { runTrial, trialKey } from "../src/run/index.ts";
import type { TrialRecord } from "../src/run/schema.ts";
import { DockerProvider } from "../src/sandbox/docker.ts";
import { gcLeftovers } from "../src/sandbox/gc.ts";
import { ensureImages } from "../src/sandbox/images.ts";
import { loadLibrary, type SkillLibrary } from "../src/skills/index.ts";
import { loadTasks, type Task } from "../src/task/index.ts";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const RUN = `test-agent-openai-${process.pid}-${randomBytes(3).toString("hex")}`;
const KEY = `sk-canary-${randomBytes(12).toString("hex")}`;
const provider = new DockerProvider();
const servers: MockModelServer[] = [];
let runDir: string;
let task: Task;
let image: string;
let library: SkillLibrary;

beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), "sd-agent-openai-"));
  const loaded = await loadTasks([join(fixtures, "agent-tasks")]);
  task = loaded.tasks.find((t) => t.id === "agent-stamp")!;
  const images = await ensureImages([task], { environmentsDirs: inject("environmentsDirs") });
  const built = images.tasks["agent-stamp"]!;
  if (!built.ok) throw built.error;
  image = built.image;
  library = (await loadLibrary(task.family.skillsDir!)).library;
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await gcLeftovers({ runId: RUN, all: true });
  await rm(runDir, { recursive: true, force: true });
});

async function serve(script: Parameters<typeof startMockModel>[0]): Promise<MockModelServer> {
  const server = await startMockModel(script);
  servers.push(server);
  return server;
}

async function trial(server: MockModelServer, condition: "curated" | "no-skill", agentOptions: Record<string, unknown> = {}, timeoutMultiplier = 1) {
  const config = AgentConfigSchema.parse({ kind: "openai", id: `mock-${condition}`, model: "scripted-model", ...agentOptions });
  const agent = createAgent(config, {
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY },
    prices: { "scripted-model": { input: 2, output: 8, cached_input: 0.5 } },
  });
  const planned = { key: trialKey(task.id, condition, agent.id, 0), task: task.id, condition, agent: agent.id, index: 0, seed: 7 };
  const started = Date.now();
  const record: TrialRecord = await runTrial({ runId: RUN, runDir, planned, attempt: 1, task, image, agent, agentDigest: digestJson(agent.config), library: condition === "curated" ? library : undefined, provider, timeoutMultiplier });
  const dir = join(runDir, record.artifacts_dir);
  return { record, dir, seconds: (Date.now() - started) / 1000, trajectory: (await readTrajectory(dir)).trajectory };
}

describe("openai agent in real Docker", () => {
  test("curated: loads the skill and follows it → passed; 429 retried, malformed JSON survives, 5 MB output capped, tokens and skill loads recorded", async () => {
    const server = await serve({ ...(await loadMockScript(join(fixtures, "agent-scripts", "stamp.json"))), require_api_key: KEY });
    const { record, trajectory, dir } = await trial(server, "curated");
    expect(record.error).toBeUndefined();
    expect(record.outcome).toBe("passed");
    expect(record.reward).toBe(1);
    expect(record.skills_loaded).toEqual(["stamp-code"]);

    // progressive disclosure: the prompt lists name + description, the body came via load_skill
    const first = server.requests.find((r) => r.status === 200)!;
    expect(first.tools).toEqual(["bash", "list_skills", "load_skill", "read_skill_file"]);
    const system = first.messages[0]!.content;
    expect(system).toContain("- stamp-code: How Fixture Corp stamps a finished job");
    expect(system).not.toContain("PAPAYA-42");

    // 429 then success: one step, two attempts
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(1);
    const agentSteps = trajectory.steps.filter((s) => s.source === "agent");
    expect(agentSteps[0]!.extra).toMatchObject({ attempts: 2 });

    // malformed tool-call JSON → error observation, episode continued
    const malformed = agentSteps[1]!;
    expect(malformed.tool_calls![0]!.arguments).toEqual({ _raw: '{"command": "echo unterminated' });
    expect(malformed.observation!.results[0]!.content).toMatch(/^error: the arguments are not valid JSON/);

    // 5 MB of output: capped with a visible marker, stderr still there
    const big = agentSteps[3]!.observation!.results[0]!.content!;
    expect(big.length).toBeLessThan(64 * 1024);
    expect(big).toMatch(/output truncated: \d+ more bytes of stdout not shown/);
    expect(big).toContain("tail-marker");

    // ends on the reply without a tool call
    expect(trajectory.extra.stop_reason).toBe("final_answer");
    expect(agentSteps.at(-1)!.message).toBe("Stamped the job.");
    expect(trajectory.extra.scripted_model).toBe(true);

    // skill events and tokens
    expect(trajectory.extra.skill_events.filter((e) => e.type === "skill_listed").map((e) => e.via)).toEqual(["prompt"]);
    expect(trajectory.extra.skill_events.find((e) => e.type === "skill_loaded")).toMatchObject({ skill: "stamp-code", via: "tool", step_id: agentSteps[0]!.step_id });
    for (const s of agentSteps) expect(s.metrics!.prompt_tokens).toBeGreaterThan(0);
    const sum = agentSteps.reduce((a, s) => a + s.metrics!.prompt_tokens!, 0);
    expect(trajectory.final_metrics!.total_prompt_tokens).toBe(sum);
    expect(record.tokens!.prompt).toBe(sum);
    expect(record.tokens!.cached).toBeGreaterThan(0);
    expect(record.cost_usd).toBeGreaterThan(0);
    const t = record.tokens!;
    expect(record.cost_usd).toBeCloseTo(((t.prompt - t.cached) * 2 + t.cached * 0.5 + t.completion * 8) / 1e6, 10);
    expect(await readFile(join(dir, "agent.log"), "utf8")).toMatch(/retrying in/);
  });

  test("no-skill: the skill tools are not offered, nothing hints at skills, the same script fails", async () => {
    const server = await serve(await loadMockScript(join(fixtures, "agent-scripts", "stamp.json")));
    const { record, trajectory } = await trial(server, "no-skill");
    for (const r of server.requests) {
      expect(r.tools).toEqual(["bash"]);
      expect(r.messages[0]!.content.toLowerCase()).not.toContain("skill");
    }
    expect(trajectory.extra.skills_offered).toEqual([]);
    expect(trajectory.extra.skill_events).toEqual([]);
    expect(record.outcome).toBe("failed");
    expect(record.reward).toBe(0);
    expect(record.skills_loaded).toEqual([]);
  });

  test("the turn limit ends the episode and the verifier still runs", async () => {
    const server = await serve(parseMockScript({ version: 1, after_last: { tool_calls: [{ name: "bash", arguments: { command: "echo again" } }] } }));
    const { record, trajectory } = await trial(server, "no-skill", { max_turns: 3 });
    expect(trajectory.extra.stop_reason).toBe("max_turns");
    expect(trajectory.steps.filter((s) => s.source === "agent")).toHaveLength(3);
    expect(server.requests).toHaveLength(3);
    expect(record.outcome).toBe("failed");
    expect(record.reward).toBe(0);
  });

  test("the agent timeout stops a long command promptly and the verifier still runs", async () => {
    const server = await serve(parseMockScript({ version: 1, turns: [[{ reply: { tool_calls: [{ name: "bash", arguments: { command: "echo PAPAYA-42 > /app/answer.txt; sleep 100" } }] } }]] }));
    // 60 s task timeout × 0.1 = 6 s
    const { record, trajectory, seconds } = await trial(server, "no-skill", { command_timeout_sec: 300 }, 0.1);
    expect(record.outcome).toBe("agent_timeout");
    expect(trajectory.extra.stop_reason).toBe("timeout");
    expect(record.timings_ms.agent).toBeLessThan(6000 + 5000);
    expect(seconds).toBeLessThan(40);
    // the verifier ran on what the agent left (the answer was written before the sleep)
    expect(record.reward).toBe(1);
  });

  test("an endpoint that keeps failing becomes agent_error after the retry budget, and the verifier still runs", async () => {
    const server = await serve(parseMockScript({ version: 1, turns: [[{ reply: { content: "x", fail_first: [500, 502, 503, 500] } }]] }));
    const { record, trajectory } = await trial(server, "no-skill", { retry: { max_retries: 2, budget_sec: 5, initial_backoff_ms: 50, max_backoff_ms: 200 } });
    expect(record.outcome).toBe("agent_error");
    expect(record.error).toMatch(/after 3 attempts/);
    expect(trajectory.extra.stop_reason).toBe("api_error");
    expect(record.reward).toBe(0);
  });
});

describe("context overflow", () => {
  test("an endpoint's context_length_exceeded is answered by eliding old observations, and the episode goes on", async () => {
    const print = { tool_calls: [{ name: "bash", arguments: { command: "head -c 4000 /dev/zero | tr '\\0' y" } }] };
    const server = await serve(parseMockScript({ version: 1, context_window_tokens: 3500, turns: [[{ reply: print }], [{ reply: print }], [{ reply: print }], [{ reply: print }]], after_last: { content: "done" } }));
    const { trajectory, dir } = await trial(server, "no-skill");
    expect(server.requests.some((r) => r.answeredBy === "context_length_exceeded")).toBe(true);
    expect(trajectory.extra.stop_reason).toBe("final_answer");
    expect(trajectory.steps.filter((s) => s.source === "agent")).toHaveLength(5);
    // the trajectory keeps every observation whole; only what was sent was shortened
    for (const s of trajectory.steps.filter((s) => s.tool_calls?.length)) expect(s.observation!.results[0]!.content).toContain("y".repeat(4000));
    const last = server.requests.at(-1)!;
    expect(last.messages.some((m) => m.content.startsWith("[observation elided"))).toBe(true);
    expect(await readFile(join(dir, "agent.log"), "utf8")).toMatch(/context overflow; retrying with a budget of \d+ tokens/);
  });
});

describe("the API key never enters the container", () => {
  test("after an episode, neither the filesystem nor any process environment nor the container config holds the key", async () => {
    const server = await serve({ ...(await loadMockScript(join(fixtures, "agent-scripts", "stamp.json"))), require_api_key: KEY });
    const sandbox = await provider.create({
      image,
      name: "sd-test-agent-key",
      limits: { cpus: 1, memoryMb: 256, pids: 128, storageMb: 0, network: false },
      labels: { "skilldelta.run": RUN },
      mounts: [{ source: library.dir, target: containerPaths.skills, readOnly: true }],
    });
    try {
      const agent = createAgent(AgentConfigSchema.parse({ kind: "openai", id: "key-check", model: "scripted-model" }), { env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY } });
      const result = await agent.run({ task, instruction: task.instruction, sandbox, library, skillsMountPath: containerPaths.skills, timeoutSec: 60, signal: new AbortController().signal, seed: 1, trialDir: runDir, log: () => {} });
      expect(result.error).toBeUndefined();
      // the key WAS used, on the host: the mock refuses requests without it
      expect(server.requests.filter((r) => r.status === 200).length).toBeGreaterThan(3);

      // positive control: the same scan finds a planted canary, so a miss means absence
      const CONTROL = `sk-control-${randomBytes(8).toString("hex")}`;
      await sandbox.writeFile("/var/tmp/planted", `x ${CONTROL} y`);
      const scan = (secret: string) =>
        sandbox.exec(
          `K=$(echo ${Buffer.from(secret).toString("base64")} | base64 -d)
           grep -rlsF --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev -- "$K" / ; echo "fs-done"
           for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f" 2>/dev/null; done | grep -cF -- "$K"; echo "env-done"`,
          { timeoutSec: 120 },
        );
      const control = await scan(CONTROL);
      expect(control.stdout).toContain("/var/tmp/planted");
      const found = await scan(KEY);
      expect(found.stdout).toMatch(/^fs-done\n0\nenv-done\n$/);
      const { dockerClient } = await import("../src/sandbox/docker-client.ts");
      const info = await dockerClient().getContainer(sandbox.id).inspect();
      expect(JSON.stringify(info)).not.toContain(KEY);
      expect(JSON.stringify(info)).not.toContain(server.url);
    } finally {
      await sandbox.destroy();
    }
  });
});
