import { lstat, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { containerPaths, taskPaths, trialFiles } from "../core/paths.ts";
import type { FsChange, Sandbox } from "../sandbox/types.ts";
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
 * Empties `/tests` and `/logs/verifier` and recreates the latter: whatever the agent planted
 * there must not reach the verifier. One bash command, so it can share the exec that kills
 * the agent's leftover processes (`Sandbox.killAll(then)`).
 */
export const VERIFIER_RESET = `rm -rf ${containerPaths.verifierLogs} ${containerPaths.tests} && mkdir -p ${containerPaths.verifierLogs}`;

/**
 * True when `VERIFIER_RESET` would change nothing, so its exec can be skipped: judged from the
 * sandbox's `changes` taken once nothing of the agent runs any more (`Sandbox.quiescent`), and
 * the runtime's stat. Nothing is listed at or under /tests and /tests does not exist; nothing
 * is listed below /logs/verifier, which is listed itself (so /logs is a real directory, since
 * the runtime never lists below a link) and is a directory, not a link or file in its place.
 * @throws SandboxError when the sandbox cannot answer a stat
 */
export async function verifierPathsPristine(sandbox: Sandbox, changes: readonly FsChange[]): Promise<boolean> {
  const tests = containerPaths.tests;
  const logs = containerPaths.verifierLogs;
  if (changes.some((c) => c.path === tests || c.path.startsWith(`${tests}/`) || c.path.startsWith(`${logs}/`))) return false;
  if (!changes.some((c) => c.path === logs && c.kind !== "deleted")) return false;
  const [testsStat, logsStat] = await Promise.all([sandbox.stat(tests), sandbox.stat(logs)]);
  return testsStat === undefined && logsStat?.kind === "directory";
}

/**
 * Tests are copied in only now, `/logs/verifier` is emptied, `tests/test.sh` runs with the
 * verifier timeout and `[verifier.env]`, and the reward is read from reward.json or reward.txt.
 * Output goes to `dir` (verifier.log and verifier/).
 * @throws SandboxError when the sandbox fails (not when the verifier does: that is the verdict)
 */
export async function verify(sandbox: Sandbox, task: Task, dir: string, multiplier: number): Promise<Verdict> {
  await sandbox.exec(VERIFIER_RESET, { timeoutSec: 60 });
  await uploadTests(sandbox, task);
  return await runVerifier(sandbox, task, dir, multiplier);
}

/** Copies the task's tests/ to `/tests`. @throws SandboxError */
export async function uploadTests(sandbox: Sandbox, task: Task): Promise<void> {
  await sandbox.upload(taskPaths(task.dir).testsDir, containerPaths.tests);
}

/**
 * The second half of `verify`, for a sandbox already reset (`VERIFIER_RESET`) and holding the
 * tests: runs `tests/test.sh`, keeps its output and files, and reads the reward. reward.json is
 * read from the sandbox while /logs/verifier is copied out; reward.txt is taken from that copy
 * when it arrived whole as a regular file (else read from the sandbox, links followed).
 * @throws SandboxError when the sandbox fails (not when the verifier does: that is the verdict)
 */
export async function runVerifier(sandbox: Sandbox, task: Task, dir: string, multiplier: number): Promise<Verdict> {
  const timeoutSec = task.config.verifier.timeout_sec * multiplier;
  const res = await sandbox.exec(`bash ${containerPaths.testScript}`, {
    timeoutSec,
    env: task.config.verifier.env,
    outputCapBytes: VERIFIER_CAPS.verifierOutput,
  });
  await writeFile(join(dir, trialFiles.verifierLog), `$ bash ${containerPaths.testScript}  (exit ${res.exitCode}${res.timedOut ? ", timed out" : ""})\n${res.stdout}\n--- stderr ---\n${res.stderr}\n`);
  const local = join(dir, "verifier");
  // a copy left by an earlier verifier run into the same directory must not pass for this one's
  await rm(local, { recursive: true, force: true });
  const copying = sandbox.download(containerPaths.verifierLogs, local, VERIFIER_CAPS.verifierFiles).catch(() => false);
  if (res.timedOut) {
    await copying;
    return { reward: null, checks: [], error: `verifier exceeded its ${timeoutSec}s timeout` };
  }
  const [copied, json] = await Promise.allSettled([copying, sandbox.readFile(containerPaths.rewardJson, VERIFIER_CAPS.rewardFile)]);
  if (json.status === "rejected") throw json.reason;
  const whole = copied.status === "fulfilled" && copied.value === true;
  return await rewardVerdict(json.value, async () => (whole && (await localFile(join(local, basename(containerPaths.rewardTxt))))) || (await sandbox.readFile(containerPaths.rewardTxt, VERIFIER_CAPS.rewardFile)));
}

/** A regular file's first `rewardFile` bytes, or undefined when it is absent or not a regular file. */
async function localFile(path: string): Promise<Buffer | undefined> {
  const st = await lstat(path).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  return (await readFile(path)).subarray(0, VERIFIER_CAPS.rewardFile);
}

/** reward.json wins over reward.txt; anything unparsable is a verifier error, never a silent 0. */
export async function readReward(sandbox: Sandbox): Promise<Verdict> {
  const json = await sandbox.readFile(containerPaths.rewardJson, VERIFIER_CAPS.rewardFile);
  return await rewardVerdict(json, () => sandbox.readFile(containerPaths.rewardTxt, VERIFIER_CAPS.rewardFile));
}

/** The verdict from reward.json's bytes (when present) or else reward.txt's, fetched only if needed. */
async function rewardVerdict(json: Buffer | undefined, readTxt: () => Promise<Buffer | undefined>): Promise<Verdict> {
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
  const txt = await readTxt();
  if (!txt) return { reward: null, checks: [], error: "the verifier wrote neither reward.json nor reward.txt" };
  const value = Number(txt.toString("utf8").trim());
  if (!txt.toString("utf8").trim() || !Number.isFinite(value)) return { reward: null, checks: [], error: `reward.txt is not a number: ${JSON.stringify(txt.toString("utf8").slice(0, 40))}` };
  return { reward: value, checks: [] };
}
