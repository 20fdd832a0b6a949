// Process methods (external command, module) and the leakage guard, on the host with the
// scripted model over real HTTP. The guard test must fail if the guard is removed: the same
// command run with `mode: "none"` is shown to read every forbidden file.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMockScript, startMockModel, type MockModelServer } from "../src/agent/index.ts";
import { createLearner, LEARNING_CONTEXT_VERSION, LIBRARY_RULES, MethodConfigSchema, type GuardSpec, type LearningContext } from "../src/learner/index.ts";
import { guardHide } from "../src/protocol/index.ts";
import { loadTasks, type Family, type Task } from "../src/task/index.ts";

const FIX = join(import.meta.dirname, "fixtures/learning");
const REPO = join(import.meta.dirname, "../..");
let server: MockModelServer;
let tmp: string;
let tasks: Task[];
let families: Family[];
let runDir: string;

const ctx: LearningContext = {
  v: LEARNING_CONTEXT_VERSION,
  condition: "self-evolved:ext",
  method: "command",
  family: { id: "alpha" },
  feedback: "binary",
  tasks: [{ id: "alpha-a1", instruction: "ALPHA ledger job: write the alpha stamp code to /app/answer.txt." }],
  episodes: [{ task: "alpha-a1", index: 0, trace: "- bash: cat /app/notes.txt\n  → stamp: ALPHA-7", passed: true }],
  round: 1,
  model: { model: "scripted", base_url_env: "SD_G_URL", api_key_env: "SD_G_KEY", temperature: 0, max_output_tokens: 256, request_timeout_sec: 30 },
  library_rules: LIBRARY_RULES,
};

beforeAll(async () => {
  server = await startMockModel(
    parseMockScript({
      version: 1,
      turns: [[{ when: { any_message_matches: "family: (\\w+)[\\s\\S]*?stamp: ([A-Z]+-\\d+)" }, reply: { content: '{"name": "ext-{{m1}}", "description": "stamp {{m1}} jobs", "body": "stamp: {{m2}}"}' } }]],
    }),
  );
  tmp = await mkdtemp(join(tmpdir(), "sd-guard-"));
  runDir = join(tmp, "results", "run");
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, "trials.jsonl"), "RESULTSSENTINEL\n");
  const loaded = await loadTasks([FIX]);
  tasks = loaded.tasks;
  families = loaded.families;
});
afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const env = () => ({ PATH: process.env.PATH, SD_G_URL: server.url, SD_G_KEY: "k", SECRET_NOT_PASSED: "nope" });
const rt = (name: string) => ({ outDir: join(tmp, name, "out"), workDir: join(tmp, name, "work"), env: env(), log: () => {} });
const guard = (mode: GuardSpec["mode"]): GuardSpec => ({ mode, hide: guardHide(tasks, families, runDir) });

/** A "learner" that tries every forbidden read, plus a /proc escape, and writes what it got into its skill. */
function snoop(): string[] {
  const t = (id: string) => tasks.find((x) => x.id === id)!.dir;
  const targets = [join(t("alpha-a1"), "tests/test.sh"), join(t("alpha-a1"), "solution/solve.sh"), join(t("alpha-e1"), "instruction.md"), join(t("beta-e1"), "tests/test.sh"), join(FIX, "alpha/skills/alpha-stamp/SKILL.md"), join(runDir, "trials.jsonl")];
  const script = [
    'mkdir -p "$SKILLDELTA_OUTPUT/snoop"',
    'f="$SKILLDELTA_OUTPUT/snoop/SKILL.md"',
    'printf -- "---\\nname: snoop\\ndescription: what the learner could read\\n---\\n" > "$f"',
    `for p in "$@"; do cat "$p" >> "$f" 2>/dev/null; for pid in 1 ${process.pid} ${process.ppid}; do cat "/proc/$pid/root$p" >> "$f" 2>/dev/null; done; done`,
    'env >> "$f"',
    'cat "$SKILLDELTA_CONTEXT" > /dev/null && echo CONTEXT-READ >> "$f"',
  ].join("\n");
  return ["bash", "-c", script, "snoop", ...targets];
}
const SENTINELS = ["TESTSENTINEL", "SOLUTIONSENTINEL", "EVALSENTINEL", "curated-alpha", "RESULTSSENTINEL", "SECRET_NOT_PASSED"];

describe("leakage guard", () => {
  it("a guarded learner cannot read tests/, solution/, evaluation instructions, curated skills or results — not even via /proc", async () => {
    const learner = createLearner(MethodConfigSchema.parse({ kind: "command", command: snoop() }), { guard: guard("namespace"), baseDir: REPO });
    await learner.learn(ctx, rt("guarded"));
    const got = await readFile(join(tmp, "guarded/out/snoop/SKILL.md"), "utf8");
    expect(got).toContain("CONTEXT-READ"); // it did run, and it can read its own context
    for (const s of SENTINELS) expect(got, s).not.toContain(s);
  });

  it("control: without the guard the same learner reads all of it (so the test above detects a removed guard)", async () => {
    const learner = createLearner(MethodConfigSchema.parse({ kind: "command", command: snoop() }), { guard: guard("none"), baseDir: REPO });
    await learner.learn(ctx, rt("open"));
    const got = await readFile(join(tmp, "open/out/snoop/SKILL.md"), "utf8");
    for (const s of SENTINELS.filter((x) => x !== "SECRET_NOT_PASSED")) expect(got, s).toContain(s);
    expect(got).not.toContain("SECRET_NOT_PASSED"); // the env is scrubbed either way
  });
});

describe("process methods", () => {
  it("the worked example in examples/methods/ writes a skill from the context through the model, under the guard, and reports usage", async () => {
    const learner = createLearner(MethodConfigSchema.parse({ kind: "command", command: [process.execPath, "examples/methods/summarise-episodes.mjs"], model: ctx.model }), { guard: guard("namespace"), baseDir: REPO });
    const cost = await learner.learn(ctx, rt("example"));
    expect(await readFile(join(tmp, "example/out/ext-alpha/SKILL.md"), "utf8")).toMatch(/name: ext-alpha[\s\S]*stamp: ALPHA-7/);
    expect(cost.prompt_tokens).toBeGreaterThan(0);
    expect(cost.scripted_model).toBe(true);
    expect(await readFile(join(tmp, "example/work/method.log"), "utf8")).toContain("wrote skill ext-alpha");
  });

  it("a failing command fails the phase with its stderr tail", async () => {
    const learner = createLearner(MethodConfigSchema.parse({ kind: "command", command: ["bash", "-c", "echo broken method >&2; exit 3"] }), { guard: guard("namespace"), baseDir: REPO });
    await expect(learner.learn(ctx, rt("fail"))).rejects.toThrow(/exited with 3: broken method/);
  });

  it("a module exporting a Learner runs in a guarded child process", async () => {
    const mod = join(tmp, "method.mjs");
    await writeFile(
      mod,
      `import { mkdir, writeFile, readFile } from "node:fs/promises";
export default (opts) => ({ kind: "mine", config: opts, async learn(ctx, rt) {
  let peek = "";
  try { peek = await readFile(${JSON.stringify(join(tasks.find((t) => t.id === "alpha-a1")!.dir, "tests/test.sh"))}, "utf8"); } catch {}
  await mkdir(rt.outDir + "/mod-skill", { recursive: true });
  await writeFile(rt.outDir + "/mod-skill/SKILL.md", "---\\nname: mod-skill\\ndescription: from a module\\n---\\n" + opts.word + " " + ctx.family.id + peek);
  return { prompt_tokens: 1, completion_tokens: 2, usd: 0, seconds: 0, calls: 1, scripted_model: false };
} });`,
    );
    const learner = createLearner(MethodConfigSchema.parse({ kind: "module", module: mod, options: { word: "hello" } }), { guard: guard("namespace"), baseDir: REPO });
    const cost = await learner.learn(ctx, rt("module"));
    const text = await readFile(join(tmp, "module/out/mod-skill/SKILL.md"), "utf8");
    expect(text).toContain("hello alpha");
    expect(text).not.toContain("TESTSENTINEL");
    expect(cost.completion_tokens).toBe(2);
  });
});
