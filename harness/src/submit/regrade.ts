import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PQueue from "p-queue";
import { errorMessage } from "../core/errors.ts";
import { labels } from "../core/paths.ts";
import { readFinalState, restoreFinalState, verify, type ImageResolver, type TrialRecord } from "../run/index.ts";
import type { Sandbox, SandboxProvider } from "../sandbox/index.ts";
import { loadTasks, type Task } from "../task/index.ts";
import type { LoadedRun } from "./run-checks.ts";

/** What regrade needs from the outside: a sandbox provider and the image builder. */
export interface RegradeDeps {
  provider: SandboxProvider;
  resolveImages: ImageResolver;
}

export interface RegradeOptions {
  /** task directories holding the verifiers (default: the run's own `tasks`) */
  tasks?: string[];
  concurrency?: number;
}

/** One trial whose re-graded verdict differs from the recorded one. */
export interface Disagreement {
  trial_id: string;
  task: string;
  recorded: { outcome: string; reward: number | null };
  regraded: { passed: boolean | null; reward: number | null; error?: string };
}

export interface RegradeReport {
  /** final states re-graded */
  checked: number;
  agreed: number;
  disagreements: Disagreement[];
  /** trials not re-graded, with why (no final state, task or image missing, not comparable) */
  skipped: { trial_id: string; reason: string }[];
  /** tasks whose directory differs from the run's lock (verifier changed since the run) */
  task_changes: string[];
}

/**
 * `skilldelta regrade`: restores each final trial's archived final state into a fresh
 * container of the task's image, runs the task's verifier again and compares pass/fail with
 * the record. Trials scored as agent_timeout/agent_error are re-graded but not compared
 * (they count as failures whatever the files say). Never modifies the run.
 */
export async function regradeRun(loaded: LoadedRun, deps: RegradeDeps, opts: RegradeOptions = {}): Promise<RegradeReport> {
  const taskDirs = opts.tasks ?? ((loaded.run.config.tasks as string[] | undefined) ?? []);
  const { tasks } = await loadTasks(taskDirs);
  const wanted = new Set(Object.keys(loaded.run.lock.tasks));
  const byId = new Map(tasks.filter((t) => wanted.has(t.id)).map((t) => [t.id, t]));
  const report: RegradeReport = { checked: 0, agreed: 0, disagreements: [], skipped: [], task_changes: [] };
  for (const [id, locked] of Object.entries(loaded.run.lock.tasks)) {
    const t = byId.get(id);
    if (t && t.digest !== locked.digest) report.task_changes.push(`${id}: ${locked.digest.slice(0, 12)} → ${t.digest.slice(0, 12)}`);
  }
  const { images } = await deps.resolveImages([...byId.values()]);
  const work = await mkdtemp(join(tmpdir(), "sd-regrade-"));
  const queue = new PQueue({ concurrency: opts.concurrency ?? 2 });
  const runId = `regrade-${loaded.run.id}`.slice(0, 60);
  try {
    for (const record of [...loaded.records.values()].sort((a, b) => a.trial_id.localeCompare(b.trial_id))) {
      const task = byId.get(record.task);
      const image = images.get(record.task)?.image;
      if (!task || !image) {
        report.skipped.push({ trial_id: record.trial_id, reason: !task ? `task ${record.task} not found in ${taskDirs.join(", ")}` : `no image for ${record.task}` });
        continue;
      }
      void queue.add(async () => {
        const verdict = await regradeOne(loaded, record, task, image, deps.provider, join(work, record.trial_id), runId);
        if ("skip" in verdict) return void report.skipped.push({ trial_id: record.trial_id, reason: verdict.skip });
        report.checked++;
        if (record.outcome !== "passed" && record.outcome !== "failed") {
          report.skipped.push({ trial_id: record.trial_id, reason: `recorded ${record.outcome}: re-graded but not compared` });
          return;
        }
        const threshold = task.config.metadata.pass_threshold ?? 1;
        const passed = verdict.error ? null : (verdict.reward ?? 0) >= threshold - 1e-9;
        if (passed === (record.outcome === "passed")) report.agreed++;
        else report.disagreements.push({ trial_id: record.trial_id, task: record.task, recorded: { outcome: record.outcome, reward: record.reward }, regraded: { passed, reward: verdict.reward, ...(verdict.error ? { error: verdict.error } : {}) } });
      });
    }
    await queue.onIdle();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  report.disagreements.sort((a, b) => a.trial_id.localeCompare(b.trial_id));
  report.skipped.sort((a, b) => a.trial_id.localeCompare(b.trial_id));
  return report;
}

async function regradeOne(loaded: LoadedRun, record: TrialRecord, task: Task, image: string, provider: SandboxProvider, out: string, runId: string) {
  const trialDir = join(loaded.dir, record.artifacts_dir);
  const state = await readFinalState(trialDir).catch(() => undefined);
  if (!state) return { skip: "no archived final state" };
  await mkdir(out, { recursive: true });
  let sandbox: Sandbox | undefined;
  try {
    const env = task.config.environment;
    sandbox = await provider.create({
      image,
      name: `sd-regrade-${record.trial_id}`.slice(0, 120),
      limits: { cpus: env.cpus, memoryMb: env.memory_mb, pids: env.pids, storageMb: env.storage_mb, network: false },
      labels: { [labels.run]: runId, [labels.trial]: record.trial_id, [labels.task]: task.id, [labels.taskDigest]: task.digest },
    });
    await restoreFinalState(sandbox, trialDir, state);
    return await verify(sandbox, task, out, 1);
  } catch (error) {
    return { skip: `sandbox failed: ${errorMessage(error)}` };
  } finally {
    await sandbox?.destroy();
  }
}
