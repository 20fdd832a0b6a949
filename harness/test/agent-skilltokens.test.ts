// Skill-attributable context tokens and nested-library disclosure, end to end: real Docker
// containers, the openai agent over real HTTP to the scripted mock model, trials through
// runTrial. The token counts are checked against an INDEPENDENT count of what the mock server
// actually received (its recorded requests), with the documented estimator ceil(chars / 4).
// Scripted replies: these numbers test the harness, they are not model results.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { AgentConfigSchema, createAgent } from "../src/agent/registry.ts";
import { parseMockScript, startMockModel, type MockModelServer } from "../src/agent/mock-model/index.ts";
import type { RecordedRequest } from "../src/agent/mock-model/server.ts";
import { readTrajectory } from "../src/agent/trajectory.ts";
import { digestJson } from "../src/core/digest.ts";
import { runTrial, trialKey } from "../src/run/index.ts";
import { DockerProvider } from "../src/sandbox/docker.ts";
import { gcLeftovers } from "../src/sandbox/gc.ts";
import { ensureImages } from "../src/sandbox/images.ts";
import { loadLibrary, type SkillLibrary } from "../src/skills/index.ts";
import { loadTasks, type Task } from "../src/task/index.ts";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const RUN = `test-skilltokens-${process.pid}-${randomBytes(3).toString("hex")}`;
const provider = new DockerProvider();
const servers: MockModelServer[] = [];
let runDir: string;
let task: Task;
let image: string;
let flat: SkillLibrary;
let nested: SkillLibrary;

/** The estimator, restated here on purpose: the test must not borrow the code it checks. */
const est = (text: string) => Math.ceil(text.length / 4);

beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), "sd-skilltokens-"));
  task = (await loadTasks([join(fixtures, "agent-tasks")])).tasks.find((t) => t.id === "agent-stamp")!;
  const built = (await ensureImages([task], { environmentsDirs: inject("environmentsDirs") })).tasks["agent-stamp"]!;
  if (!built.ok) throw built.error;
  image = built.image;
  flat = (await loadLibrary(task.family.skillsDir!)).library;
  nested = (await loadLibrary(join(fixtures, "skills-nested"))).library;
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await gcLeftovers({ runId: RUN, all: true });
  await rm(runDir, { recursive: true, force: true });
});

async function trial(script: unknown, condition: string, library: SkillLibrary | undefined) {
  const server = await startMockModel(parseMockScript(script));
  servers.push(server);
  const agent = createAgent(AgentConfigSchema.parse({ kind: "openai", id: `mock-${condition}`, model: "scripted-model" }), { env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test" } });
  const planned = { key: trialKey(task.id, condition, agent.id, 0), task: task.id, condition, agent: agent.id, index: 0, seed: 7 };
  const record = await runTrial({ runId: RUN, runDir, planned, attempt: 1, task, image, agent, agentDigest: digestJson(agent.config), library, provider, timeoutMultiplier: 1 });
  const { trajectory } = await readTrajectory(join(runDir, record.artifacts_dir));
  return { record, trajectory, requests: server.requests.filter((r) => r.status === 200) };
}

const call = (name: string, args: Record<string, unknown>) => ({ reply: { tool_calls: [{ name, arguments: args }] } });
const bash = (command: string) => call("bash", { command });

/** load_skill, read_skill_file, list_skills, then use the magic word; without skill tools, guess. */
const flatScript = {
  version: 1,
  turns: [
    [{ when: { tools_include: "load_skill" }, ...call("load_skill", { name: "stamp-code" }) }, bash("ls /app")],
    [{ when: { tools_include: "read_skill_file" }, ...call("read_skill_file", { skill: "stamp-code", path: "scripts/code.sh" }) }, bash("true")],
    [{ when: { tools_include: "list_skills" }, ...call("list_skills", {}) }, bash("true")],
    [{ when: { any_message_matches: "magic word: ([A-Z0-9-]+)" }, ...bash("echo {{m1}} > /app/answer.txt") }, bash("echo GUESS > /app/answer.txt")],
  ],
  after_last: { content: "Done." },
};

/** Independent count for one request: which tool messages are skill text is known from the script. */
function countRequest(r: RecordedRequest, share: (toolIndex: number) => "listing" | "loaded" | undefined) {
  const system = r.messages[0]!.content;
  const at = system.indexOf("## Skills");
  const out = { listing: at < 0 ? 0 : est(system.slice(at)), loaded: 0, tool_defs: 0, total: 0 };
  const skillDefs = r.toolDefinitions.filter((d) => (d as { function: { name: string } }).function.name !== "bash");
  out.tool_defs = skillDefs.length ? est(JSON.stringify(skillDefs)) : 0;
  r.messages.filter((m) => m.role === "tool").forEach((m, i) => {
    const s = share(i);
    if (s) out[s] += est(m.content);
  });
  out.total = out.listing + out.loaded + out.tool_defs;
  return out;
}

describe("skill-attributable context tokens", () => {
  test("curated: per step and per trial, listing + loaded + tool definitions equal an independent count of what was sent; no-skill is zero", async () => {
    const share = (i: number) => (i === 0 || i === 1 ? "loaded" : i === 2 ? "listing" : undefined);
    const { record, trajectory, requests } = await trial(flatScript, "curated", flat);
    expect(record.outcome).toBe("passed");
    expect(record.scripted_model).toBe(true);
    const agentSteps = trajectory.steps.filter((s) => s.source === "agent");
    expect(agentSteps).toHaveLength(requests.length);
    expect(requests).toHaveLength(5);
    const perStep = requests.map((r) => countRequest(r, share));
    agentSteps.forEach((s, i) => expect(s.extra!.skill_tokens).toEqual(perStep[i]));
    // the last request carried everything: the prompt's listing, both loads, the list_skills output
    const last = requests.at(-1)!;
    const tools = last.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(tools[0]).toContain("PAPAYA-42");
    expect(tools[2]).toBe("- stamp-code: How Fixture Corp stamps a finished job (the stamp code and where it goes).");
    const system = last.messages[0]!.content;
    const expected = {
      listing: est(system.slice(system.indexOf("## Skills"))) + est(tools[2]!),
      loaded: est(tools[0]!) + est(tools[1]!),
      tool_defs: perStep[0]!.tool_defs,
      step_max: Math.max(...perStep.map((p) => p.total)),
      step_sum: perStep.reduce((a, p) => a + p.total, 0),
      steps: 5,
    };
    const totals = { ...expected, total: expected.listing + expected.loaded + expected.tool_defs };
    expect(totals.listing).toBeGreaterThan(0);
    expect(totals.loaded).toBeGreaterThan(0);
    expect(trajectory.extra.skill_tokens).toEqual(totals);
    expect(record.skill_tokens).toEqual(totals);

    const none = await trial(flatScript, "no-skill", undefined);
    expect(none.record.outcome).toBe("failed");
    expect(none.record.skill_tokens).toEqual({ listing: 0, loaded: 0, tool_defs: 0, total: 0, step_max: 0, step_sum: 0, steps: none.requests.length });
    for (const s of none.trajectory.steps.filter((s) => s.source === "agent")) expect(s.extra!.skill_tokens).toEqual({ listing: 0, loaded: 0, tool_defs: 0, total: 0 });
  });

  test("nested library: the scripted model walks down three levels; every level is a skill_loaded event with its qualified path", async () => {
    const script = {
      version: 1,
      turns: [
        [{ when: { system_includes: "- ops: " }, ...call("load_skill", { name: "ops" }) }],
        [{ when: { last_tool_result_includes: "- ops/stamping: " }, ...call("load_skill", { name: "ops/stamping" }) }],
        [{ when: { last_tool_result_includes: "- ops/stamping/codes: " }, ...call("load_skill", { name: "ops/stamping/codes" }) }],
        [{ when: { last_tool_result_matches: "magic word: ([A-Z0-9-]+)" }, ...bash("echo {{m1}} > /app/answer.txt") }],
      ],
      after_last: { content: "Stamped." },
    };
    const { record, trajectory, requests } = await trial(script, "curated-nested", nested);
    expect(record.outcome).toBe("passed");
    // the prompt lists the top level only; deeper levels appear one load at a time
    const system = requests[0]!.messages[0]!.content;
    expect(system).toContain("- ops: ");
    expect(system).toContain("- billing: ");
    expect(system).not.toMatch(/stamping|codes|PAPAYA/);
    expect(requests[1]!.messages.at(-1)!.content).not.toContain("ops/stamping/codes");
    const loads = trajectory.extra.skill_events.filter((e) => e.type === "skill_loaded");
    expect(loads.map((e) => e.skill)).toEqual(["ops", "ops/stamping", "ops/stamping/codes"]);
    expect(loads.map((e) => e.step_id)).toEqual([...loads.map((e) => e.step_id)].sort((a, b) => a - b));
    expect(new Set(loads.map((e) => e.step_id)).size).toBe(3);
    expect(trajectory.extra.skill_events.filter((e) => e.type === "skill_listed").map((e) => `${e.skill}@${e.via}`)).toEqual([
      "billing@prompt",
      "ops@prompt",
      "ops/notes@tool",
      "ops/stamping@tool",
      "ops/stamping/codes@tool",
    ]);
    expect(record.skills_loaded).toEqual(["ops", "ops/stamping", "ops/stamping/codes"]);
    expect(trajectory.extra.skills_offered).toEqual(expect.arrayContaining(["ops", "ops/stamping/codes", "billing/notes"]));
    // three load observations, all counted as loaded
    const loadedObs = requests.at(-1)!.messages.filter((m) => m.role === "tool").slice(0, 3);
    expect(record.skill_tokens!.loaded).toBe(loadedObs.reduce((a, m) => a + est(m.content), 0));
  });
});

