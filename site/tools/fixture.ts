/**
 * Synthetic results for the site's tests and benchmark, generated through the real analysis
 * code path (syntheticRecords → trials.jsonl → analyseRun). Clearly marked synthetic in
 * run.json (source, attestation, agent labels) and only ever written to temp directories,
 * never under results/.
 */
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import { analyseRun, syntheticRecords, type SyntheticPlan } from "../../harness/src/analysis/index.ts";
import type { TrialRecord } from "../../harness/src/run/schema.ts";

export interface FixtureOptions {
  id: string;
  plan: SyntheticPlan;
  /** bootstrap replicates for the analysis (fewer keeps tests fast) */
  resamples?: number;
  /** write trajectory.json for the first trials of task-0000, one of them hostile */
  trajectories?: boolean;
  /** run.json `library_meta` (issue 11: who built each library, which round) */
  libraryMeta?: Record<string, { built_with?: string; round?: number; of?: string; method?: string }>;
  /** run.json `config.contrasts` (default: none declared, so the analysis' defaults apply) */
  contrasts?: [string, string][];
  /** rewrites each synthetic record before it is journaled (e.g. adds `skill_tokens` or `chance`) */
  decorate?: (r: TrialRecord) => TrialRecord;
}

/** The hostile strings a trajectory may carry; the viewer must render them as inert text. */
export const HOSTILE = {
  script: `<script>window.__pwned = "script"</script>`,
  img: `<img src=x onerror="window.__pwned='onerror'">`,
  link: `<a href="javascript:window.__pwned='link'">click me</a>`,
  svg: `<svg onload="window.__pwned='svg'"></svg>`,
};

/** Writes `<resultsDir>/<id>/` (run.json, trials.jsonl, libraries, trajectories) and analyses it. */
export async function writeSyntheticRun(resultsDir: string, opts: FixtureOptions): Promise<string> {
  const dir = join(resultsDir, opts.id);
  await mkdir(dir, { recursive: true });
  const agents = Array.from({ length: opts.plan.agents }, (_, a) => ({ id: `agent-${a}`, kind: "synthetic", model: `synthetic-model-${a}`, label: `Synthetic agent ${a} (SYNTHETIC DATA)` }));
  await writeFile(join(dir, "run.json"), JSON.stringify({
    v: 1, id: opts.id, created_at: "2026-01-01T00:00:00Z", status: "finished",
    source: "synthetic (generated for tests/benchmarks — not a real result)", attestation: "synthetic",
    config: {
      conditions: opts.plan.conditions, agents, prices: Object.fromEntries(agents.map((a) => [a.model, { input: 1, output: 4, cached_input: 0.1 }])),
      ...(opts.contrasts ? { contrasts: opts.contrasts } : {}),
    },
    ...(opts.libraryMeta ? { library_meta: opts.libraryMeta } : {}),
    lock: { config_digest: "sha256:synthetic", tasks: { "task-0000": "sha256:synthetic-task" } },
    host: { harness_version: "synthetic", node: process.version },
  }, null, 2));
  // stream the journal: 100k records must not sit in one string
  const out = createWriteStream(join(dir, "trials.jsonl"));
  for (const r of syntheticRecords(opts.plan)) {
    if (!out.write(JSON.stringify(opts.decorate ? opts.decorate(r) : r) + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  for (const c of opts.plan.conditions.filter((c) => c !== "no-skill")) {
    const skill = join(dir, "libraries", c, "sha256-synthetic", `${c}-skill`);
    await mkdir(skill, { recursive: true });
    await writeFile(join(skill, "SKILL.md"), `---\nname: ${c}-skill\ndescription: synthetic\n---\n`);
  }
  if (opts.trajectories) await writeTrajectories(dir, opts.plan);
  await analyseRun(dir, { seed: 1, ...(opts.resamples ? { resamples: opts.resamples } : {}) });
  return dir;
}

/** Trajectories for trial 0 of task-0000, agent-0, each condition; the `curated` one is hostile. */
async function writeTrajectories(dir: string, plan: SyntheticPlan): Promise<void> {
  for (const condition of plan.conditions) {
    // matches syntheticRecords' artifacts_dir `trials/${t}-${condition}-${a}-${i}`
    const tdir = join(dir, "trials", `0-${condition}-0-0`);
    await mkdir(tdir, { recursive: true });
    const hostile = condition === "curated";
    const text = hostile ? Object.values(HOSTILE).join("\n") : "I will read the skill first.";
    const trajectory = {
      schema_version: "ATIF-v1.4", session_id: `synthetic-${condition}`, agent: { name: "synthetic", version: "0", model_name: "synthetic-model-0" },
      steps: [
        { step_id: 1, source: "system", message: "You are a synthetic agent (SYNTHETIC DATA)." },
        { step_id: 2, source: "user", message: hostile ? `Task ${HOSTILE.script}` : "Do the task." },
        {
          step_id: 3, source: "agent", message: text, timestamp: "2026-01-01T00:00:01Z",
          tool_calls: [{ tool_call_id: "c1", function_name: "bash", arguments: { command: hostile ? `echo '${HOSTILE.img}'` : "ls /skills" } }],
          observation: { results: [{ source_call_id: "c1", content: hostile ? HOSTILE.link + "\n" + "x".repeat(6000) : "skill-a" }] },
          metrics: { prompt_tokens: 1200, completion_tokens: 80, cached_tokens: 0 },
        },
        { step_id: 4, source: "agent", message: "Done." },
      ],
      final_metrics: { total_prompt_tokens: 1200, total_completion_tokens: 80, total_steps: 4 },
      extra: {
        skilldelta_version: 1, skills_offered: condition === "no-skill" ? [] : [hostile ? HOSTILE.svg : "skill-a"],
        skill_events: condition === "no-skill" ? [] : [{ type: "skill_loaded", step_id: 3, timestamp: "2026-01-01T00:00:01Z", skill: hostile ? HOSTILE.svg : "skill-a", via: "tool" }],
        stop_reason: "final_answer", scripted_model: false, started_at: "2026-01-01T00:00:00Z", finished_at: "2026-01-01T00:00:02Z",
      },
    };
    await writeFile(join(tdir, "trajectory.json"), JSON.stringify(trajectory, null, 2));
  }
}
