import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readTrajectory, type Trajectory } from "../agent/index.ts";
import { trialFiles } from "../core/paths.ts";
import { episodeAt, type Episode, type EpisodeSource, type FeedbackLevel } from "../learner/index.ts";
import type { TrialRecord } from "../run/index.ts";
import { compactTrajectory, type CompactionCaps, type TraceEpisode } from "../skills/index.ts";
import type { Task } from "../task/index.ts";

/** One finished acquisition attempt with everything the builders may need. */
export interface AcquiredEpisode {
  family: string;
  record: TrialRecord;
  trace: TraceEpisode;
  source: EpisodeSource;
}

/**
 * Reads the acquisition run's finished trials (scored outcomes only) into episodes, in
 * (task, index) order. Only the trial's trajectory, verdict, reward.json checks and verifier
 * output are read; never the task's tests/ or solution/.
 */
export async function loadEpisodes(runDir: string, records: readonly TrialRecord[], tasks: ReadonlyMap<string, Task>, caps: CompactionCaps): Promise<AcquiredEpisode[]> {
  const out: AcquiredEpisode[] = [];
  const sorted = [...records].filter((r) => r.outcome !== "infra_error" && r.outcome !== "verifier_error").sort((a, b) => (a.task === b.task ? a.index - b.index : a.task < b.task ? -1 : 1));
  for (const record of sorted) {
    const task = tasks.get(record.task);
    if (!task) continue;
    const dir = join(runDir, record.artifacts_dir);
    const trajectory: Trajectory | undefined = await readTrajectory(dir).then((t) => t.trajectory, () => undefined);
    const trace: TraceEpisode = { family: task.family.id, task: task.id, index: record.index, instruction: task.instruction, trajectory, outcome: record.outcome, reward: record.reward };
    const verifierOutput = await readFile(join(dir, trialFiles.verifierLog), "utf8").catch(() => undefined);
    out.push({
      family: task.family.id,
      record,
      trace,
      source: {
        task: task.id,
        index: record.index,
        // The learner's trace never carries the verdict; the feedback level adds it back or not.
        trace: compactTrajectory({ ...trace, outcome: undefined, reward: undefined }, caps),
        passed: record.outcome === "passed",
        reward: record.reward,
        checks: record.checks,
        verifierOutput: verifierOutput?.replace(/^\$ bash \S+.*\n/, ""),
      },
    });
  }
  return out;
}

/** The episodes of one family at a feedback level. */
export function episodesFor(all: readonly AcquiredEpisode[], family: string, level: FeedbackLevel): Episode[] {
  return all.filter((e) => e.family === family).map((e) => episodeAt(level, e.source));
}
