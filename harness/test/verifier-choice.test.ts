// The multiple-choice verifier helper (harness/verifiers/choice.sh) with its chance baseline:
// through runTrial in real Docker (oracle passes, nop fails, both records carry chance 0.2),
// and the helper's answer parsing inside the testenv image (Debian + python3-minimal, no jq).
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { AgentConfigSchema, createAgent } from "../src/agent/registry.ts";
import { digestJson } from "../src/core/digest.ts";
import { runTrial, trialKey, TrialRecordSchema } from "../src/run/index.ts";
import { DockerProvider } from "../src/sandbox/docker.ts";
import { gcLeftovers } from "../src/sandbox/gc.ts";
import { ensureImages } from "../src/sandbox/images.ts";
import { loadTasks, type Task } from "../src/task/index.ts";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const helper = fileURLToPath(new URL("../verifiers/choice.sh", import.meta.url));
const RUN = `test-choice-${process.pid}-${randomBytes(3).toString("hex")}`;
const provider = new DockerProvider();
let runDir: string;
let task: Task;
let image: string;

beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), "sd-choice-"));
  task = (await loadTasks([join(fixtures, "choice")])).tasks.find((t) => t.id === "choice-q1")!;
  const built = (await ensureImages([task], { environmentsDirs: inject("environmentsDirs") })).tasks["choice-q1"]!;
  if (!built.ok) throw built.error;
  image = built.image;
});
afterAll(async () => {
  await gcLeftovers({ runId: RUN, all: true });
  await rm(runDir, { recursive: true, force: true });
});

async function trial(kind: "oracle" | "nop") {
  const agent = createAgent(AgentConfigSchema.parse({ kind, id: kind }), { env: {} });
  const planned = { key: trialKey(task.id, "no-skill", agent.id, 0), task: task.id, condition: "no-skill", agent: agent.id, index: 0, seed: 1 };
  return runTrial({ runId: RUN, runDir, planned, attempt: 1, task, image, agent, agentDigest: digestJson(agent.config), provider, timeoutMultiplier: 1 });
}

describe("multiple-choice verifier", () => {
  test("the fixture's copy of the helper is the canonical one", async () => {
    expect(await readFile(join(task.dir, "tests", "choice.sh"), "utf8")).toBe(await readFile(helper, "utf8"));
  });

  test("through runTrial: oracle passes, nop fails, and both records carry the chance baseline 0.2", async () => {
    const [pass, fail] = [await trial("oracle"), await trial("nop")];
    expect(pass).toMatchObject({ outcome: "passed", reward: 1, chance: 0.2 });
    expect(pass.checks.map((c) => [c.name, c.passed])).toEqual([["answer_present", true], ["answer_is_one_choice", true], ["answer_correct", true]]);
    expect(fail).toMatchObject({ outcome: "failed", reward: 0, chance: 0.2 });
    expect(fail.checks.find((c) => c.name === "answer_present")!.passed).toBe(false);
    // the journal schema round-trips the field
    expect(TrialRecordSchema.parse(JSON.parse(JSON.stringify(pass))).chance).toBe(0.2);
  });

  test("answer parsing inside the image: letters in the usual wrappings count, hedges and letters not offered do not", async () => {
    const sandbox = await provider.create({ image, name: `sd-${RUN}-parse`, limits: { cpus: 1, memoryMb: 256, pids: 128, storageMb: 0, network: false }, labels: { "skilldelta.run": RUN }, mounts: [] });
    try {
      await sandbox.upload(join(task.dir, "tests"), "/tests");
      const cases: [string, number, boolean][] = [
        ["C", 1, true],
        [" (c) \n", 1, true],
        ["Answer: C.", 1, true],
        ["The answer is (C).", 1, true],
        ["B", 0, true],
        ["C or D", 0, false],
        ["F", 0, false],
        ["CD", 0, false],
        ["   \n", 0, false],
      ];
      for (const [answer, reward, one] of cases) {
        await sandbox.writeFile("/root/answer.txt", answer);
        const r = await sandbox.exec("bash /tests/choice.sh /root/answer.txt C ABCDE /tmp/reward.json && cat /tmp/reward.json", { timeoutSec: 30 });
        expect(r.exitCode, r.stderr).toBe(0);
        const parsed = JSON.parse(r.stdout) as { reward: number; chance: number; checks: { name: string; passed: boolean }[] };
        expect({ answer, reward: parsed.reward, one: parsed.checks[1]!.passed, chance: parsed.chance }).toEqual({ answer, reward, one, chance: 0.2 });
      }
      // other choice counts: chance is 1/n; a key outside the choices is the task author's error
      expect(JSON.parse((await sandbox.exec("bash /tests/choice.sh /root/answer.txt A ABCD /tmp/r.json && cat /tmp/r.json", { timeoutSec: 30 })).stdout).chance).toBe(0.25);
      expect((await sandbox.exec("bash /tests/choice.sh /root/answer.txt Z ABCDE /tmp/r.json", { timeoutSec: 30 })).exitCode).toBe(2);
    } finally {
      await sandbox.destroy();
    }
  });
});
