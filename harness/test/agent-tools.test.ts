// Host-side pieces of the openai agent that need no container: skill tools and their path
// checks, the system prompt per condition, argument parsing, the truncation policy, pricing,
// the trajectory printer and the two CLI commands (run as a real child process).
import { spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { costUsd, systemPrompt, toolDefinitions, parseArguments, truncateMessages } from "../src/agent/openai/index.ts";
import { loadSkill, readSkillFile, skillEventsFromCommand, listSkills } from "../src/agent/openai/skill-tools.ts";
import { formatTrajectory, TRAJECTORY_SCHEMA_VERSION, writeTrajectory, type Trajectory } from "../src/agent/trajectory.ts";
import { loadLibrary, type SkillLibrary } from "../src/skills/index.ts";

let root: string;
let library: SkillLibrary;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sd-agent-tools-"));
  const lib = join(root, "lib");
  await mkdir(join(lib, "alpha", "references"), { recursive: true });
  await mkdir(join(lib, "group", "beta"), { recursive: true });
  await writeFile(join(lib, "alpha", "SKILL.md"), "---\nname: alpha\ndescription: Alpha procedure.\n---\nStep one: read references/guide.md\n");
  await writeFile(join(lib, "alpha", "references", "guide.md"), "the guide\n");
  await writeFile(join(lib, "group", "beta", "SKILL.md"), "---\nname: beta\ndescription: Beta procedure.\n---\nbody of beta\n");
  await writeFile(join(root, "outside-secret.txt"), "host secret\n");
  await symlink(join(root, "outside-secret.txt"), join(lib, "alpha", "escape.md"));
  await symlink("guide.md", join(lib, "alpha", "references", "inside-link.md"));
  library = (await loadLibrary(lib)).library;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("skill tools (host side)", () => {
  test("load_skill returns the full SKILL.md and lists the other files", async () => {
    const r = await loadSkill(library, { name: "alpha" });
    expect(r.content).toContain("Step one: read references/guide.md");
    expect(r.content).toContain("references/guide.md");
    expect(r.events).toEqual([{ type: "skill_loaded", skill: "alpha", via: "tool" }]);
    expect((await loadSkill(library, { name: "nope" })).content).toMatch(/^error: there is no skill named "nope". Available skills: alpha, beta/);
  });

  test("read_skill_file reads inside the skill and refuses .., absolute paths and symlink escapes", async () => {
    expect((await readSkillFile(library, { skill: "alpha", path: "references/guide.md" })).content).toBe("the guide\n");
    expect((await readSkillFile(library, { skill: "alpha", path: "references/inside-link.md" })).content).toBe("the guide\n");
    const ok = await readSkillFile(library, { skill: "alpha", path: "references/guide.md" });
    expect(ok.events).toEqual([{ type: "skill_file_read", skill: "alpha", path: "references/guide.md", via: "tool" }]);
    for (const [path, why] of [
      ["../group/beta/SKILL.md", /must not contain `\.\.`/],
      ["references/../../outside-secret.txt", /must not contain `\.\.`/],
      [join(root, "outside-secret.txt"), /not absolute/],
      ["escape.md", /leaves the skill folder/],
      ["references", /is not a file/],
      ["missing.md", /no such file/],
    ] as const) {
      const r = await readSkillFile(library, { skill: "alpha", path });
      expect(r.content).toMatch(why);
      expect(r.content).not.toContain("host secret");
      expect(r.events).toEqual([]);
    }
  });

  test("list_skills and bash commands that touch the mount are recorded as skill events", () => {
    expect(listSkills(library).content).toBe("- alpha: Alpha procedure.\n- beta: Beta procedure.");
    expect(skillEventsFromCommand(library, "/skills", "cat /skills/group/beta/SKILL.md && bash /skills/alpha/references/guide.md; ls /skills/")).toEqual([
      { type: "skill_loaded", skill: "beta", via: "bash" },
      { type: "skill_file_read", skill: "alpha", path: "references/guide.md", via: "bash" },
    ]);
    expect(skillEventsFromCommand(library, "/skills", "cat /skillset/alpha/SKILL.md")).toEqual([]);
  });
});

describe("progressive disclosure", () => {
  const base = { commandTimeoutSec: 120, outputCapBytes: 16384 };
  test("the system prompt lists names and descriptions only; no-skill has no trace of skills", () => {
    const withSkills = systemPrompt({ ...base, skills: library.skills, skillsMountPath: "/skills" });
    expect(withSkills).toContain("- alpha: Alpha procedure.");
    expect(withSkills).toContain("- beta: Beta procedure.");
    expect(withSkills).not.toContain("Step one");
    expect(withSkills).not.toContain("body of beta");
    const none = systemPrompt(base);
    expect(none.toLowerCase()).not.toContain("skill");
    expect(withSkills.startsWith(none)).toBe(true);
    expect(toolDefinitions(undefined).map((t) => t.function.name)).toEqual(["bash"]);
    expect(JSON.stringify(toolDefinitions(undefined)).toLowerCase()).not.toContain("skill");
    expect(toolDefinitions(library).map((t) => t.function.name)).toEqual(["bash", "list_skills", "load_skill", "read_skill_file"]);
  });
});

describe("arguments, truncation, pricing", () => {
  test("malformed or non-object arguments are reported, not thrown", () => {
    expect(parseArguments('{"command": "ls')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parseArguments("[1]")).toMatchObject({ ok: false, error: "the arguments must be a JSON object" });
    expect(parseArguments("")).toEqual({ ok: true, args: {} });
  });

  test("truncation elides the oldest observations first, keeps system/instruction/recent ones, never mutates", () => {
    const big = "z".repeat(8000);
    const messages = [
      { role: "system" as const, content: "sys" },
      { role: "user" as const, content: "task" },
      ...[0, 1, 2, 3].flatMap((i) => [
        { role: "assistant" as const, content: null, tool_calls: [{ id: `c${i}`, type: "function" as const, function: { name: "bash", arguments: "{}" } }] },
        { role: "tool" as const, tool_call_id: `c${i}`, content: `${i}:${big}` },
      ]),
    ];
    const before = JSON.stringify(messages);
    const { messages: out, elided } = truncateMessages(messages, 5000, 2);
    expect(JSON.stringify(messages)).toBe(before);
    expect(elided).toBe(2);
    const tools = out.filter((m) => m.role === "tool").map((m) => String(m.content));
    expect(tools[0]).toMatch(/^\[observation elided to fit the context window: 8002 characters\]$/);
    expect(tools[1]).toMatch(/^\[observation elided/);
    expect(tools[2]).toBe(`2:${big}`);
    expect(tools[3]).toBe(`3:${big}`);
    expect(out.length).toBe(messages.length);
    expect(truncateMessages(messages, 10_000_000, 2).elided).toBe(0);
  });

  test("cost bills cached prompt tokens at the cached rate", () => {
    expect(costUsd({ prompt: 1_000_000, completion: 500_000, cached: 400_000 }, { input: 2, output: 8, cached_input: 0.5 })).toBeCloseTo(1.2 + 0.2 + 4, 10);
    expect(costUsd({ prompt: 1_000_000, completion: 0, cached: 400_000 }, { input: 2, output: 8 })).toBeCloseTo(2, 10);
  });
});

describe("trajectory printer and CLI", () => {
  const trajectory: Trajectory = {
    schema_version: TRAJECTORY_SCHEMA_VERSION,
    session_id: "s-1",
    agent: { name: "skilldelta-openai", version: "0", model_name: "m" },
    steps: [
      { step_id: 1, source: "system", message: "sys" },
      { step_id: 2, source: "user", message: "do the task" },
      {
        step_id: 3,
        source: "agent",
        message: "loading",
        tool_calls: [{ tool_call_id: "c1", function_name: "bash", arguments: { command: "cat /skills/alpha/SKILL.md" } }],
        observation: { results: [{ source_call_id: "c1", content: "exit code: 0\n" + "q".repeat(5000) }] },
        metrics: { prompt_tokens: 120, completion_tokens: 30, cached_tokens: 100, cost_usd: 0.0012 },
      },
    ],
    final_metrics: { total_prompt_tokens: 120, total_completion_tokens: 30, total_cached_tokens: 100, total_cost_usd: 0.0012, total_steps: 3 },
    extra: { skilldelta_version: 1, skills_offered: ["alpha"], skill_events: [{ type: "skill_loaded", step_id: 3, timestamp: "t", skill: "alpha", via: "bash" }], stop_reason: "final_answer", scripted_model: true, started_at: "a", finished_at: "b" },
  };

  test("formatTrajectory shows steps, commands, clipped observations, skill events, tokens and the scripted marker", () => {
    const text = formatTrajectory(trajectory, { maxChars: 100 });
    expect(text).toContain("NOTE: replies came from the scripted mock model");
    expect(text).toContain("→ bash: $ cat /skills/alpha/SKILL.md");
    expect(text).toContain("★ skill_loaded alpha (via bash)");
    expect(text).toContain("[tokens in 120 out 30 cached 100 $0.0012]");
    expect(text).toMatch(/\[\d+ more chars\]/);
    expect(text).toContain("skills offered: alpha   used: alpha");
  });

  const cli = (args: string[]) =>
    `import { Command } from "commander"; import { registerAgentCommands } from ${JSON.stringify(fileURLToPath(new URL("../src/cli/commands/agents.ts", import.meta.url)))};
     const p = new Command("skilldelta").exitOverride(); registerAgentCommands(p);
     try { await p.parseAsync(${JSON.stringify(args)}, { from: "user" }); } catch (e) { console.error(e.format ? e.format() : e.message); process.exitCode = 2; }`;

  test("`skilldelta trajectory <trial-dir>` prints it; --json round-trips; a missing trajectory is a clear error", async () => {
    const dir = join(root, "trial");
    await mkdir(dir, { recursive: true });
    await writeTrajectory(dir, trajectory);
    const run = (args: string[]) => spawnSync(process.execPath, ["--input-type=module", "-e", cli(args)], { encoding: "utf8" });
    const text = run(["trajectory", dir]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("★ skill_loaded alpha (via bash)");
    const json = run(["trajectory", dir, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ session_id: "s-1", extra: { stop_reason: "final_answer" } });
    const missing = run(["trajectory", root]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("the trial has no trajectory.json");
  });

  test("`skilldelta mock-model --script` serves over HTTP until SIGTERM", async () => {
    const script = join(root, "script.json");
    await writeFile(script, JSON.stringify({ version: 1, model: "cli-mock", after_last: { content: "hello from the script" } }));
    const child = spawn(process.execPath, ["--input-type=module", "-e", cli(["mock-model", "--script", script, "--port", "0", "--quiet"])], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("\n")) resolve(out.trim());
        });
        child.once("exit", (code) => reject(new Error(`mock-model exited with ${code}`)));
      });
      const res = await fetch(`${url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "x", messages: [{ role: "user", content: "hi" }] }) });
      const body = (await res.json()) as { model: string; choices: { message: { content: string } }[] };
      expect(body.model).toBe("cli-mock");
      expect(body.choices[0]!.message.content).toBe("hello from the script");
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (c) => resolve(c))));
    expect(code).toBe(0);
  });
});
