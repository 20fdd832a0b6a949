import { appendFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Agent, AgentResult } from "../agent/types.ts";
import { SandboxError, errorMessage } from "../core/errors.ts";
import { containerPaths, labels, trialFiles } from "../core/paths.ts";
import type { FsChange, Mount, Sandbox, SandboxProvider, SandboxSpec } from "../sandbox/types.ts";
import type { SkillLibrary } from "../skills/library.ts";
import type { Task } from "../task/load.ts";
import type { Outcome, TrialRecord } from "./schema.ts";
import type { PlannedTrial } from "./plan.ts";
import { trialId } from "./plan.ts";
import { captureFinalState, FINAL_STATE_CAPS, restoreFinalState } from "./final-state.ts";
import { runVerifier, uploadTests, verifierPathsPristine, verify, VERIFIER_RESET, type Verdict } from "./verifier.ts";

export { readReward } from "./verifier.ts";

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
  /**
   * Run-level separate verifier mode: when true every trial's verifier runs in a fresh
   * container that receives only the agent's final state. Per task, `[metadata]
   * separate_verifier` decides; trap tasks default to it.
   */
  separateVerifier?: boolean;
  /**
   * When given, the trial's containers are not removed before the record is returned: their
   * removal is handed over here, for the caller to start once the record is journaled and to
   * await before the run ends. It resolves to why a removal failed, or undefined. Trials that
   * end in an infra error still remove their containers before returning.
   */
  deferTeardown?: (remove: () => Promise<string | undefined>) => void;
  /** called with the phase a running trial is in, for progress displays */
  onPhase?: (phase: "setup" | "agent" | "verifier" | "teardown") => void;
}

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
  let verifierSandbox: Sandbox | undefined;
  let freshBox: Promise<Sandbox> | undefined;
  let toolchainNote: TrialRecord["checks"][number] | undefined;
  let agentResult: AgentResult | undefined;
  let outcome: Outcome = "infra_error";
  let reward: number | null = null;
  let checks: TrialRecord["checks"] = [];
  let chance: number | undefined;
  let error: string | undefined;
  const removalErrors: (string | undefined)[] = [];

  await mkdir(dir, { recursive: true });
  const agentLog = join(dir, trialFiles.agentLog);
  const log = (line: string) => appendCapped(agentLog, `${line}\n`);

  try {
    input.onPhase?.("setup");
    const t0 = Date.now();
    sandbox = await input.provider.create(sandboxSpec(input, id, "agent"));
    t.setup = Date.now() - t0;

    input.onPhase?.("agent");
    const agentPhase = await runAgentPhase(input, sandbox, dir, log);
    agentResult = agentPhase.result;
    t.agent = agentPhase.ms;
    // Whatever the agent left running (background jobs, a timed-out command) must not touch the
    // verifier's work. When this box will also verify, the same exec empties /tests and
    // /logs/verifier of anything the agent planted there. The exec is skipped when the host
    // shows nothing but init and keepalive alive (a timed-out agent may still be issuing
    // commands, so it always gets the exec); the reset is then decided from the final state's
    // changes, which can be trusted because nothing is left to change them.
    const separate = separateVerifierFor(input);
    const quiet = !agentPhase.timedOut && (await sandbox.quiescent());
    const resetCode = quiet ? undefined : await sandbox.killAll(separate ? undefined : VERIFIER_RESET);

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
    // Done while the final state is read, since neither touches it: the agent's processes are
    // gone, and /tests is a runtime path the capture ignores. A separate verifier's container
    // is created meanwhile; otherwise the tests go into this box.
    const box = sandbox;
    const changes = sandbox.changes();
    changes.catch(() => undefined);
    const testsIn = separate ? undefined : resetIfNeeded(box, resetCode, changes).then(() => uploadTests(box, task));
    freshBox = separate ? input.provider.create(sandboxSpec(input, id, "verifier")) : undefined;
    // both are awaited below; these handlers only keep an early exit from leaving them unhandled
    testsIn?.catch(() => undefined);
    freshBox?.catch(() => undefined);
    // The final state is archived in both modes: it is what `skilldelta regrade` re-grades.
    const finalState = await captureFinalState(sandbox, dir, FINAL_STATE_CAPS, changes);
    let verdict: Verdict;
    if (separate || finalState.withheld.length) {
      // An agent that touched the toolchain cannot be verified with it: the verdict comes from
      // a fresh container of the same image that receives only the restorable final state.
      if (!separate) toolchainNote = { name: "skilldelta:toolchain_untouched", passed: false, message: `the agent changed ${describePaths(finalState.withheld)}; verified in a fresh container without them` };
      await testsIn?.catch(() => undefined);
      removalErrors.push(await sandbox.destroy());
      verifierSandbox = await (freshBox ?? input.provider.create(sandboxSpec(input, id, "verifier")));
      await restoreFinalState(verifierSandbox, dir, finalState);
      verdict = await verify(verifierSandbox, task, dir, input.timeoutMultiplier);
    } else {
      await testsIn;
      verdict = await runVerifier(sandbox, task, dir, input.timeoutMultiplier);
    }
    t.verifier = Date.now() - t2;
    reward = verdict.reward;
    checks = toolchainNote ? [...verdict.checks, toolchainNote] : verdict.checks;
    chance = verdict.chance;
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
    // a verifier container still being created when the trial failed must not be left behind
    const boxes = [sandbox, verifierSandbox ?? (await freshBox?.catch(() => undefined))];
    const remove = async () => {
      const failed = [...removalErrors, ...(await Promise.all(boxes.map((b) => b?.destroy())))].filter((e): e is string => Boolean(e));
      return failed.length ? failed.join("; ") : undefined;
    };
    if (input.deferTeardown && outcome !== "infra_error") input.deferTeardown(remove);
    else {
      const failed = await remove();
      if (failed) log(`[skilldelta] ${failed}; \`skilldelta gc\` removes it`);
    }
    // with deferTeardown this is only the time spent here, not the removal itself
    t.teardown = Date.now() - t3;
  }

  // An infra error is usually the daemon or the host struggling (a dockerd restart, a full
  // disk): the retry is scheduled when this record returns, so waiting here spaces retries out
  // instead of burning them all within the outage.
  if (outcome === "infra_error") await new Promise((r) => setTimeout(r, infraBackoffMs(input.attempt)));
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
    ...(chance !== undefined ? { chance } : {}),
    ...(agentResult?.scriptedModel ? { scripted_model: true } : {}),
    artifacts_dir: relative(input.runDir, dir),
  };
  await writeFile(join(dir, trialFiles.record), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/**
 * Empties /tests and /logs/verifier unless that is known to change nothing: the kill exec
 * already did it (`resetCode` 0), or, when that exec was skipped (`resetCode` undefined), the
 * final state's changes show both as the harness left them.
 */
async function resetIfNeeded(box: Sandbox, resetCode: number | undefined, changes: Promise<FsChange[]>): Promise<void> {
  if (resetCode === 0) return;
  if (resetCode === undefined && (await verifierPathsPristine(box, await changes))) return;
  await box.exec(VERIFIER_RESET, { timeoutSec: 60 });
}

/** Wait before returning an infra error of the given attempt: 2 s, 4 s, 8 s, … up to 30 s. */
export function infraBackoffMs(attempt: number): number {
  return Math.min(30_000, 2000 * 2 ** Math.max(0, attempt - 1));
}

/** Separate verifier: the run forces it; else the task's `separate_verifier`; else trap tasks. */
export function separateVerifierFor(input: Pick<TrialInput, "separateVerifier" | "task">): boolean {
  if (input.separateVerifier) return true;
  return input.task.config.metadata.separate_verifier ?? input.task.role === "trap";
}

/** The agent's sandbox gets the library mounts; the verifier's gets none (it needs no skills). */
function sandboxSpec(input: TrialInput, id: string, phase: "agent" | "verifier"): SandboxSpec {
  const env = input.task.config.environment;
  return {
    image: input.image,
    name: `sd-${id}`.slice(0, 118) + (phase === "verifier" ? "-v" : ""),
    limits: {
      cpus: env.cpus,
      memoryMb: env.memory_mb,
      pids: env.pids,
      storageMb: env.storage_mb,
      network: env.allow_internet || (env.network_mode ?? "none") !== "none",
    },
    labels: { [labels.run]: input.runId, [labels.trial]: id, [labels.task]: input.task.id, [labels.taskDigest]: input.task.digest },
    mounts: phase === "agent" && input.library ? libraryMounts(input.library.dir) : [],
    // the verifier's box gets /logs/verifier from VERIFIER_RESET
    dirs: phase === "agent" ? [containerPaths.agentLogs, containerPaths.verifierLogs] : undefined,
  };
}

function describePaths(paths: readonly string[]): string {
  return paths.length <= 3 ? paths.join(", ") : `${paths.slice(0, 3).join(", ")} and ${paths.length - 3} more toolchain path(s)`;
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
  if (timedOut) log(`[skilldelta] agent timeout after ${timeoutSec}s`);
  return { result, timedOut, ms, timeoutSec };
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
