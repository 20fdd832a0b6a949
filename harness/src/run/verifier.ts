import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { containerPaths, taskPaths, trialFiles } from "../core/paths.ts";
import type { Sandbox } from "../sandbox/types.ts";
import type { Task } from "../task/load.ts";
import { RewardFileSchema, type TrialRecord } from "./schema.ts";

/** Caps on what a verifier leaves on disk (DESIGN: all artefacts size-capped). */
export const VERIFIER_CAPS = { verifierOutput: 256 * 1024, verifierFiles: 4 * 1024 * 1024, rewardFile: 64 * 1024 } as const;

/** What one verifier run concluded: a reward, or an error that makes the attempt a verifier_error. */
export interface Verdict {
  reward: number | null;
  checks: TrialRecord["checks"];
  /** the chance baseline reward.json states (`chance`), e.g. 0.2 for five choices */
  chance?: number;
  error?: string;
}

/**
 * Tests are copied in only now, `/logs/verifier` is emptied, `tests/test.sh` runs with the
 * verifier timeout and `[verifier.env]`, and the reward is read from reward.json or reward.txt.
 * Output goes to `dir` (verifier.log and verifier/).
 * @throws SandboxError when the sandbox fails (not when the verifier does: that is the verdict)
 */
export async function verify(sandbox: Sandbox, task: Task, dir: string, multiplier: number): Promise<Verdict> {
  await sandbox.exec(`rm -rf ${containerPaths.verifierLogs} ${containerPaths.tests} && mkdir -p ${containerPaths.verifierLogs}`, { timeoutSec: 60 });
  await sandbox.upload(taskPaths(task.dir).testsDir, containerPaths.tests);
  const timeoutSec = task.config.verifier.timeout_sec * multiplier;
  const res = await sandbox.exec(`bash ${containerPaths.testScript}`, {
    timeoutSec,
    env: task.config.verifier.env,
    outputCapBytes: VERIFIER_CAPS.verifierOutput,
  });
  await writeFile(join(dir, trialFiles.verifierLog), `$ bash ${containerPaths.testScript}  (exit ${res.exitCode}${res.timedOut ? ", timed out" : ""})\n${res.stdout}\n--- stderr ---\n${res.stderr}\n`);
  await sandbox.download(containerPaths.verifierLogs, join(dir, "verifier"), VERIFIER_CAPS.verifierFiles).catch(() => false);
  if (res.timedOut) return { reward: null, checks: [], error: `verifier exceeded its ${timeoutSec}s timeout` };
  return readReward(sandbox);
}

/** reward.json wins over reward.txt; anything unparsable is a verifier error, never a silent 0. */
export async function readReward(sandbox: Sandbox): Promise<Verdict> {
  const json = await sandbox.readFile(containerPaths.rewardJson, VERIFIER_CAPS.rewardFile);
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.toString("utf8"));
    } catch {
      return { reward: null, checks: [], error: "reward.json is not valid JSON" };
    }
    const r = RewardFileSchema.safeParse(typeof parsed === "number" ? { reward: parsed } : parsed);
    if (!r.success) return { reward: null, checks: [], error: "reward.json has no numeric `reward`" };
    return { reward: r.data.reward, checks: r.data.checks ?? [], ...(r.data.chance !== undefined ? { chance: r.data.chance } : {}) };
  }
  const txt = await sandbox.readFile(containerPaths.rewardTxt, VERIFIER_CAPS.rewardFile);
  if (!txt) return { reward: null, checks: [], error: "the verifier wrote neither reward.json nor reward.txt" };
  const value = Number(txt.toString("utf8").trim());
  if (!txt.toString("utf8").trim() || !Number.isFinite(value)) return { reward: null, checks: [], error: `reward.txt is not a number: ${JSON.stringify(txt.toString("utf8").slice(0, 40))}` };
  return { reward: value, checks: [] };
}
