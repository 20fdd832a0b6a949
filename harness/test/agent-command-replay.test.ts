// The command agent (an external CLI inside the container) and the replay agent, in real Docker
// through runTrial (verifier included).
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { AgentConfigSchema, createAgent } from "../src/agent/registry.ts";
import { readTrajectory, TRAJECTORY_SCHEMA_VERSION, type Trajectory } from "../src/agent/trajectory.ts";
import type { Agent } from "../src/agent/types.ts";
import { digestJson } from "../src/core/digest.ts";
import { containerPaths } from "../src/core/paths.ts";
import { runTrial, trialKey } from "../src/run/index.ts";
import { DockerProvider } from "../src/sandbox/docker.ts";
import { gcLeftovers } from "../src/sandbox/gc.ts";
import { ensureImages } from "../src/sandbox/images.ts";
import { loadLibrary, type SkillLibrary } from "../src/skills/index.ts";
import { loadTasks, type Task } from "../src/task/index.ts";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const RUN = `test-agent-cmd-${process.pid}-${randomBytes(3).toString("hex")}`;
const provider = new DockerProvider();
let runDir: string;
let task: Task;
let image: string;
let library: SkillLibrary;

beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), "sd-agent-cmd-"));
  task = (await loadTasks([join(fixtures, "agent-tasks")])).tasks.find((t) => t.id === "agent-stamp")!;
  const built = (await ensureImages([task], { environmentsDirs: inject("environmentsDirs") })).tasks["agent-stamp"]!;
  if (!built.ok) throw built.error;
  image = built.image;
  library = (await loadLibrary(task.family.skillsDir!)).library;
});

afterAll(async () => {
  await gcLeftovers({ runId: RUN, all: true });
  await rm(runDir, { recursive: true, force: true });
});

async function trial(agent: Agent, condition: "curated" | "no-skill") {
  const planned = { key: trialKey(task.id, condition, agent.id, 0), task: task.id, condition, agent: agent.id, index: 0, seed: 3 };
  const record = await runTrial({ runId: RUN, runDir, planned, attempt: 1, task, image, agent, agentDigest: digestJson(agent.config), library: condition === "curated" ? library : undefined, provider, timeoutMultiplier: 1 });
  return { record, dir: join(runDir, record.artifacts_dir) };
}

// A stand-in for a coding-agent CLI: reads the instruction file, looks for skills where such CLIs
// look, and prints a lot (to show the cap).
const FAKE_CLI = [
  "test -s {instruction_file} || exit 9",
  "echo cli-start; ls {skills_dir} 2>&1",
  "if [ -n '{skills_dir}' ]; then grep -ho 'magic word: [A-Z0-9-]*' {skills_dir}/*/SKILL.md | sed 's/magic word: //' > /app/answer.txt; else echo GUESS > /app/answer.txt; fi",
  "head -c 3000000 /dev/zero | tr '\\0' b; echo; echo cli-done >&2",
].join("\n");

describe("command agent", () => {
  const agent = () => createAgent(AgentConfigSchema.parse({ kind: "command", id: "fake-cli", command: FAKE_CLI, output_cap_bytes: 32 * 1024 }), { env: {} });

  test("curated: the CLI finds the skill under ~/.claude/skills and passes; its output is captured and capped", async () => {
    const { record, dir } = await trial(agent(), "curated");
    expect(record.error).toBeUndefined();
    expect(record.outcome).toBe("passed");
    expect(record.agent_exit_code).toBe(0);
    const log = await readFile(join(dir, "agent.log"), "utf8");
    expect(log).toContain("cli-start");
    expect(log).toContain("stamp-code");
    expect(log).toContain("[stderr] cli-done");
    expect(log).toMatch(/\[stdout\] \[\.\.\. \d+ more bytes not kept \.\.\.\]/);
    expect((await stat(join(dir, "agent.log"))).size).toBeLessThan(200 * 1024);
  });

  test("no-skill: no skill folder is offered, the CLI guesses and fails", async () => {
    const { record, dir } = await trial(agent(), "no-skill");
    expect(record.outcome).toBe("failed");
    expect(record.reward).toBe(0);
    expect(await readFile(join(dir, "agent.log"), "utf8")).not.toContain("stamp-code");
  });

  test("skills are copied to every agent skill folder when the trial mounts the library only at /skills; pass_env forwards by name", async () => {
    const sandbox = await provider.create({
      image,
      name: "sd-test-agent-cmd",
      limits: { cpus: 1, memoryMb: 256, pids: 128, storageMb: 0, network: false },
      labels: { "skilldelta.run": RUN },
      mounts: [{ source: library.dir, target: containerPaths.skills, readOnly: true }],
    });
    try {
      const cli = createAgent(
        AgentConfigSchema.parse({ kind: "command", id: "copy-check", command: "for d in .claude/skills .codex/skills .agents/skills; do cat /root/$d/stamp-code/SKILL.md | head -2 | tail -1; done; test -x /root/.codex/skills/stamp-code/scripts/code.sh && echo exec-ok; echo \"tok=$CLI_TOKEN\"", pass_env: ["CLI_TOKEN"] }),
        { env: { CLI_TOKEN: "forwarded-by-name" } },
      );
      const lines: string[] = [];
      const result = await cli.run({ task, instruction: task.instruction, sandbox, library, skillsMountPath: containerPaths.skills, timeoutSec: 60, signal: new AbortController().signal, seed: 1, trialDir: runDir, log: (l) => lines.push(l) });
      expect(result.error).toBeUndefined();
      const out = lines.join("\n");
      expect(out.match(/name: stamp-code/g)).toHaveLength(3);
      expect(out).toContain("exec-ok");
      expect(out).toContain("tok=forwarded-by-name");
    } finally {
      await sandbox.destroy();
    }
  });
});

describe("replay agent", () => {
  test("re-executes a recorded trajectory's bash commands in a fresh sandbox; shell reads of the library count as skill use", async () => {
    const recorded: Trajectory = {
      schema_version: TRAJECTORY_SCHEMA_VERSION,
      session_id: "recorded",
      agent: { name: "skilldelta-openai", version: "0" },
      steps: [
        { step_id: 1, source: "user", message: "stamp it" },
        { step_id: 2, source: "agent", message: "", tool_calls: [{ tool_call_id: "a", function_name: "load_skill", arguments: { name: "stamp-code" } }] },
        { step_id: 3, source: "agent", message: "", tool_calls: [{ tool_call_id: "b", function_name: "bash", arguments: { command: "cat /skills/stamp-code/SKILL.md >/dev/null" } }] },
        { step_id: 4, source: "agent", message: "", tool_calls: [{ tool_call_id: "c", function_name: "bash", arguments: { command: "/skills/stamp-code/scripts/code.sh > /app/answer.txt" } }] },
      ],
      extra: { skilldelta_version: 1, skills_offered: ["stamp-code"], skill_events: [], stop_reason: "final_answer", scripted_model: false, started_at: "2025-01-01T00:00:00Z", finished_at: "2025-01-01T00:00:01Z" },
    };
    const source = join(runDir, "recorded-{task}.json");
    await writeFile(source.replace("{task}", task.id), JSON.stringify(recorded));
    const agent = createAgent(AgentConfigSchema.parse({ kind: "replay", id: "replay", trajectory: source }), { env: {} });
    const { record, dir } = await trial(agent, "curated");
    expect(record.outcome).toBe("passed");
    expect(record.skills_loaded).toEqual(["stamp-code"]);
    const { trajectory } = await readTrajectory(dir);
    expect(trajectory.extra.stop_reason).toBe("replayed");
    expect(trajectory.steps.filter((s) => s.source === "agent")).toHaveLength(2);
    expect(trajectory.extra.skill_events.map((e) => [e.type, e.path ?? null, e.via])).toEqual([
      ["skill_loaded", null, "bash"],
      ["skill_file_read", "scripts/code.sh", "bash"],
    ]);
  });
});
