import { appendFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Agent, AgentResult } from "../agent/types.ts";
import { SandboxError, errorMessage } from "../core/errors.ts";
import { containerPaths, labels, taskPaths, trialFiles } from "../core/paths.ts";
import type { Mount, Sandbox, SandboxProvider } from "../sandbox/types.ts";
import type { SkillLibrary } from "../skills/library.ts";
import type { Task } from "../task/load.ts";
import { RewardFileSchema, type Outcome, type TrialRecord } from "./schema.ts";
import type { PlannedTrial } from "./plan.ts";
import { trialId } from "./plan.ts";

export interface TrialInput {
  runId: string;
  runDir: string;
  planned: PlannedTrial;
  attempt: number;
  task: Task;
  image: string;
  agent: Agent;
  agentDigest: string;
  library?: SkillLibrary;
  provider: SandboxProvider;
  timeoutMultiplier: number;
  /** called with the phase a running trial is in, for progress displays */
  onPhase?: (phase: "setup" | "agent" | "verifier" | "teardown") => void;
}

/** Caps on what a trial keeps on disk (DESIGN: all artefacts size-capped). */
const CAPS = { verifierOutput: 256 * 1024, verifierFiles: 4 * 1024 * 1024, rewardFile: 64 * 1024 } as const;
/** After the agent deadline, how long a well-behaved agent gets to notice the abort. */
const ABORT_GRACE_MS = 10_000;

/**
 * Runs one trial through the lifecycle of DESIGN section 2 and returns its record.
 * Never throws: every failure becomes an outcome class with the captured error, and the
 * sandbox is destroyed on every path.
 */
export async function runTrial(input: TrialInput): Promise<TrialRecord> {
  const { planned, task } = input;
  const id = trialId(planned.key, input.attempt);
  const dir = join(input.runDir, "trials", id);
  const started = Date.now();
  const t = { setup: 0, agent: 0, verifier: 0, teardown: 0 };
  let sandbox: Sandbox | undefined;
  let agentResult: AgentResult | undefined;
  let outcome: Outcome = "infra_error";
  let reward: number | null = null;
  let checks: TrialRecord["checks"] = [];
  let error: string | undefined;

  await mkdir(dir, { recursive: true });
  const agentLog = join(dir, trialFiles.agentLog);
  const log = (line: string) => appendCapped(agentLog, `${line}\n`);

  try {
    input.onPhase?.("setup");
    const t0 = Date.now();
    sandbox = await input.provider.create({
      image: input.image,
      name: `sd-${id}`.slice(0, 120),
      limits: {
        cpus: task.config.environment.cpus,
        memoryMb: task.config.environment.memory_mb,
        pids: task.config.environment.pids,
        storageMb: task.config.environment.storage_mb,
        network: task.config.environment.allow_internet || (task.config.environment.network_mode ?? "none") !== "none",
      },
      labels: { [labels.run]: input.runId, [labels.trial]: id, [labels.task]: task.id, [labels.taskDigest]: task.digest },
      mounts: input.library ? libraryMounts(input.library.dir) : [],
    });
    await sandbox.exec(`mkdir -p ${containerPaths.agentLogs} ${containerPaths.verifierLogs}`, { timeoutSec: 30 });
    t.setup = Date.now() - t0;

    input.onPhase?.("agent");
    const agentPhase = await runAgentPhase(input, sandbox, dir, log);
    agentResult = agentPhase.result;
    t.agent = agentPhase.ms;

    const health = await sandbox.health();
    if (agentPhase.timedOut) {
      outcome = "agent_timeout";
      error = `agent exceeded its ${agentPhase.timeoutSec}s timeout`;
    } else if (health.oomKilled) {
      outcome = "agent_error";
      error = `a process was killed by the OOM killer (memory limit ${task.config.environment.memory_mb} MB)`;
    } else if (health.storageExceeded) {
      outcome = "agent_error";
      error = `the agent wrote past the storage limit (${task.config.environment.storage_mb} MB)`;
    } else if (agentResult.error) {
      outcome = "agent_error";
      error = agentResult.error;
    }

    input.onPhase?.("verifier");
    const t2 = Date.now();
    const verdict = await verify(sandbox, task, dir, input.timeoutMultiplier);
    t.verifier = Date.now() - t2;
    reward = verdict.reward;
    checks = verdict.checks;
    if (verdict.error) {
      if (outcome === "infra_error") {
        outcome = "verifier_error";
        error = verdict.error;
      }
    } else if (outcome === "infra_error") {
      outcome = (reward ?? 0) >= (task.config.metadata.pass_threshold ?? 1) - 1e-9 ? "passed" : "failed";
    }
  } catch (e) {
    outcome = "infra_error";
    error = errorMessage(e);
    log(`[skilldelta] infra error: ${error}`);
  } finally {
    input.onPhase?.("teardown");
    const t3 = Date.now();
    await sandbox?.destroy();
    t.teardown = Date.now() - t3;
  }

  logSizes.delete(agentLog);
  const record: TrialRecord = {
    v: 1,
    key: planned.key,
    trial_id: id,
    attempt: input.attempt,
    task: task.id,
    task_digest: task.digest,
    family: task.family.id,
    split: task.split,
    role: task.role,
    condition: planned.condition,
    library_digest: input.library?.digest ?? null,
    agent: input.agent.id,
    agent_digest: input.agentDigest,
    index: planned.index,
    seed: planned.seed,
    image: input.image,
    outcome,
    reward,
    checks,
    error,
    started_at: new Date(started).toISOString(),
    finished_at: new Date().toISOString(),
    timings_ms: { ...t, total: Date.now() - started },
    agent_exit_code: agentResult?.exitCode ?? null,
    tokens: agentResult?.tokens,
    cost_usd: agentResult?.costUsd,
    skills_loaded: agentResult?.skillsLoaded ?? [],
    ...(agentResult?.skillTokens ? { skill_tokens: agentResult.skillTokens } : {}),
    ...(agentResult?.scriptedModel ? { scripted_model: true } : {}),
    artifacts_dir: relative(input.runDir, dir),
  };
  await writeFile(join(dir, trialFiles.record), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** The library is visible read-only at /skills and where coding-agent CLIs look for skills. */
function libraryMounts(dir: string): Mount[] {
  return [containerPaths.skills, ...containerPaths.agentSkillDirs.map((d) => `/root/${d}`)].map((target) => ({ source: dir, target, readOnly: true }));
}

async function runAgentPhase(input: TrialInput, sandbox: Sandbox, dir: string, log: (l: string) => void) {
  const timeoutSec = input.task.config.agent.timeout_sec * input.timeoutMultiplier;
  const controller = new AbortController();
  const t0 = Date.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("agent timeout"));
  }, timeoutSec * 1000);
  const run = input.agent
    .run({
      task: input.task,
      instruction: input.task.instruction,
      sandbox,
      library: input.library,
      skillsMountPath: containerPaths.skills,
      timeoutSec,
      signal: controller.signal,
      seed: input.planned.seed,
      trialDir: dir,
      log,
    })
    .catch((e: unknown): AgentResult => {
      // The sandbox failing under the agent is the harness's problem (infra, retried), not the agent's.
      if (e instanceof SandboxError) throw e;
      return { exitCode: null, error: `agent crashed: ${errorMessage(e)}`, skillsLoaded: [] };
    });
  // An agent that ignores the abort must not hold the trial: after the grace period it is abandoned.
  const abandoned = new Promise<AgentResult>((resolve) => {
    controller.signal.addEventListener("abort", () => setTimeout(() => resolve({ exitCode: null, skillsLoaded: [] }), ABORT_GRACE_MS).unref(), { once: true });
  });
  let result: AgentResult;
  try {
    result = await Promise.race([run, abandoned]);
  } finally {
    clearTimeout(timer);
  }
  const ms = Date.now() - t0;
  // Whatever the agent left running (background jobs, a timed-out command) must not touch the verifier's work.
  await sandbox.killAll();
  if (timedOut) log(`[skilldelta] agent timeout after ${timeoutSec}s`);
  return { result, timedOut, ms, timeoutSec };
}

interface Verdict {
  reward: number | null;
  checks: TrialRecord["checks"];
  error?: string;
}

/**
 * Tests are copied in only now, `/logs/verifier` is emptied, `tests/test.sh` runs with the
 * verifier timeout and `[verifier.env]`, and the reward is read from reward.json or reward.txt.
 */
async function verify(sandbox: Sandbox, task: Task, dir: string, multiplier: number): Promise<Verdict> {
  await sandbox.exec(`rm -rf ${containerPaths.verifierLogs} ${containerPaths.tests} && mkdir -p ${containerPaths.verifierLogs}`, { timeoutSec: 60 });
  await sandbox.upload(taskPaths(task.dir).testsDir, containerPaths.tests);
  const timeoutSec = task.config.verifier.timeout_sec * multiplier;
  const res = await sandbox.exec(`bash ${containerPaths.testScript}`, {
    timeoutSec,
    env: task.config.verifier.env,
    outputCapBytes: CAPS.verifierOutput,
  });
  await writeFile(join(dir, trialFiles.verifierLog), `$ bash ${containerPaths.testScript}  (exit ${res.exitCode}${res.timedOut ? ", timed out" : ""})\n${res.stdout}\n--- stderr ---\n${res.stderr}\n`);
  await sandbox.download(containerPaths.verifierLogs, join(dir, "verifier"), CAPS.verifierFiles).catch(() => false);
  if (res.timedOut) return { reward: null, checks: [], error: `verifier exceeded its ${timeoutSec}s timeout` };
  return readReward(sandbox);
}

/** reward.json wins over reward.txt; anything unparsable is a verifier error, never a silent 0. */
export async function readReward(sandbox: Sandbox): Promise<Verdict> {
  const json = await sandbox.readFile(containerPaths.rewardJson, CAPS.rewardFile);
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.toString("utf8"));
    } catch {
      return { reward: null, checks: [], error: "reward.json is not valid JSON" };
    }
    const r = RewardFileSchema.safeParse(typeof parsed === "number" ? { reward: parsed } : parsed);
    if (!r.success) return { reward: null, checks: [], error: "reward.json has no numeric `reward`" };
    return { reward: r.data.reward, checks: r.data.checks ?? [] };
  }
  const txt = await sandbox.readFile(containerPaths.rewardTxt, CAPS.rewardFile);
  if (!txt) return { reward: null, checks: [], error: "the verifier wrote neither reward.json nor reward.txt" };
  const value = Number(txt.toString("utf8").trim());
  if (!txt.toString("utf8").trim() || !Number.isFinite(value)) return { reward: null, checks: [], error: `reward.txt is not a number: ${JSON.stringify(txt.toString("utf8").slice(0, 40))}` };
  return { reward: value, checks: [] };
}

const LOG_CAP = 1024 * 1024;
const logSizes = new Map<string, number>();
/** Appends to a log file until it reaches LOG_CAP, then writes one marker and drops the rest. */
function appendCapped(file: string, text: string): void {
  const size = logSizes.get(file) ?? 0;
  if (size >= LOG_CAP) return;
  const chunk = size + text.length > LOG_CAP ? `${text.slice(0, LOG_CAP - size)}\n[skilldelta: log truncated at ${LOG_CAP} bytes]\n` : text;
  logSizes.set(file, size + chunk.length);
  appendFileSync(file, chunk);
}
