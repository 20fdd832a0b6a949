import { readdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { z } from "zod";
import { digestJson } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import { TrialRecordSchema, type Outcome, type TrialRecord } from "../run/index.ts";
import { exists, readJson } from "./fs.ts";
import { slug, type ImportedRun } from "./run-writer.ts";

const phase = z.looseObject({ started_at: z.string().nullable().optional(), finished_at: z.string().nullable().optional() }).nullable().optional();

/** Harbor TrialResult (`<job>/<trial>/result.json`), only the fields the import reads. */
export const HarborTrialResultSchema = z.looseObject({
  id: z.string().optional(),
  task_name: z.string().min(1),
  trial_name: z.string().min(1),
  task_id: z.looseObject({ path: z.string().optional() }).nullable().optional(),
  source: z.string().nullable().optional(),
  task_checksum: z.string().nullable().optional(),
  config: z.looseObject({ agent: z.unknown().optional() }).nullable().optional(),
  agent_info: z.looseObject({ name: z.string(), version: z.string().nullable().optional(), model_info: z.looseObject({ name: z.string(), provider: z.string().nullable().optional() }).nullable().optional() }).nullable().optional(),
  agent_result: z.looseObject({
    n_input_tokens: z.number().nullable().optional(), n_cache_tokens: z.number().nullable().optional(),
    n_output_tokens: z.number().nullable().optional(), cost_usd: z.number().nullable().optional(),
  }).nullable().optional(),
  verifier_result: z.looseObject({ rewards: z.record(z.string(), z.unknown()).nullable().optional() }).nullable().optional(),
  exception_info: z.looseObject({ exception_type: z.string(), exception_message: z.string().nullable().optional() }).nullable().optional(),
  started_at: z.string().nullable().optional(),
  finished_at: z.string().nullable().optional(),
  environment_setup: phase, agent_setup: phase, agent_execution: phase, verifier: phase,
});
type HarborTrial = z.infer<typeof HarborTrialResultSchema>;

const JobConfigSchema = z.looseObject({
  job_name: z.string().optional(),
  datasets: z.array(z.looseObject({ path: z.string().nullable().optional() })).nullable().optional(),
  tasks: z.array(z.looseObject({ path: z.string().nullable().optional() })).nullable().optional(),
});
const JobResultSchema = z.looseObject({
  n_total_trials: z.number().optional(),
  stats: z.looseObject({
    evals: z.record(z.string(), z.looseObject({
      reward_stats: z.looseObject({ reward: z.record(z.string(), z.array(z.string())).optional() }).nullable().optional(),
      exception_stats: z.record(z.string(), z.array(z.string())).nullable().optional(),
    })).optional(),
  }).optional(),
});

/** Exceptions Harbor raises when the verifier, not the agent, failed to produce a reward. */
export const HARBOR_VERIFIER_EXCEPTIONS: ReadonlySet<string> = new Set(["RewardFileNotFoundError", "RewardFileEmptyError", "VerifierOutputParseError", "VerifierTimeoutError"]);

/**
 * Outcome class of a Harbor trial (rules from the fixtures' README): no exception + reward →
 * passed when reward ≥ 1, else failed (partial credit stays in `reward`); AgentTimeoutError →
 * agent_timeout even when the verifier still produced a reward; verifier exceptions, or any
 * exception after the verifier started without a result → verifier_error; an exception before
 * the agent ran (no agent_execution phase) → infra_error; anything else → agent_error.
 */
export function classifyHarborTrial(r: HarborTrial): { outcome: Outcome; reward: number | null } {
  const raw = r.verifier_result?.rewards?.reward;
  const reward = typeof raw === "number" && Number.isFinite(raw) ? raw : null;
  const ex = r.exception_info?.exception_type;
  if (!ex) return { outcome: reward === null ? "verifier_error" : reward >= 1 ? "passed" : "failed", reward };
  if (ex === "AgentTimeoutError") return { outcome: "agent_timeout", reward };
  if (HARBOR_VERIFIER_EXCEPTIONS.has(ex)) return { outcome: "verifier_error", reward: null };
  if (!r.agent_execution?.started_at) return { outcome: "infra_error", reward: null };
  if (r.verifier?.started_at && r.verifier_result == null) return { outcome: "verifier_error", reward: null };
  return { outcome: "agent_error", reward };
}

/** `no-skill` or `curated` from a job name, dataset or task path (SkillsBench conventions), else null. */
export function inferCondition(texts: readonly (string | null | undefined)[]): string | null {
  for (const t of texts) {
    if (!t) continue;
    if (/no[-_ ]?skills?/i.test(t)) return "no-skill";
    if (/(^|[^a-z])(with[-_ ]?)?skills?([^a-z]|$)/i.test(t)) return "curated";
  }
  return null;
}

interface Loaded {
  job: string;
  jobName: string;
  condition: string;
  trial: HarborTrial;
}

/**
 * Reads Harbor job directories into one imported run of trial records. Each trial folder
 * becomes one record; trials of the same (task, condition, agent) are indexed in start order.
 * Trials the job's result.json lists but whose folders are absent are reported as warnings.
 * @throws InputError when a job has no config.json/result.json, a result does not parse, or no condition can be inferred
 */
export async function importHarborJobs(jobDirs: readonly string[], opts: { id?: string; condition?: string; createdAt: string }): Promise<ImportedRun> {
  if (jobDirs.length === 0) throw new InputError("no job directory given", { hint: "pass the folder holding a Harbor job's config.json and result.json" });
  const loaded: Loaded[] = [];
  const warnings: string[] = [];
  const jobs: Record<string, unknown>[] = [];
  for (const jobDir of jobDirs) {
    const dir = resolve(jobDir);
    for (const f of ["config.json", "result.json"]) {
      if (!(await exists(join(dir, f)))) throw new InputError(`not a Harbor job directory: ${f} is missing`, { file: jobDir, hint: "point at the job folder (the one holding config.json, result.json and one folder per trial), not a trial folder" });
    }
    const config = parseOrThrow(JobConfigSchema, await readJson(join(dir, "config.json"), "Harbor job config"), join(jobDir, "config.json"));
    const rawResult = await readJson(join(dir, "result.json"), "Harbor job result");
    if (typeof rawResult === "object" && rawResult !== null && "trial_name" in rawResult) {
      throw new InputError("this is a Harbor trial folder, not a job folder", { file: jobDir, hint: "pass its parent folder (the job), which holds one folder per trial" });
    }
    const result = parseOrThrow(JobResultSchema, rawResult, join(jobDir, "result.json"));
    const jobName = config.job_name ?? basename(dir);
    const paths = [...(config.datasets ?? []), ...(config.tasks ?? [])].map((d) => d.path);
    const found: string[] = [];
    for (const entry of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
      const file = join(dir, entry, "result.json");
      if (!(await exists(file))) continue;
      const trial = parseOrThrow(HarborTrialResultSchema, await readJson(file, "Harbor trial result"), join(jobDir, entry, "result.json"));
      const condition = opts.condition ?? inferCondition([jobName, ...paths, trial.task_id?.path, trial.source, jobDir]);
      if (!condition) {
        throw new InputError("cannot tell the skill condition of this job from its name or task paths", {
          file: jobDir, field: "job_name", hint: "pass --condition no-skill (or curated, …) for jobs whose name does not say 'noskills'/'skills'",
        });
      }
      loaded.push({ job: jobDir, jobName, condition, trial });
      found.push(trial.trial_name);
    }
    const listed = listedTrials(result);
    const missing = listed.filter((n) => !found.includes(n));
    if (missing.length) warnings.push(`${jobName}: result.json lists ${listed.length} trials, ${found.length} trial folder(s) found; ${missing.length} not imported (e.g. ${missing.slice(0, 3).join(", ")})`);
    jobs.push({ dir: jobDir, job_name: jobName, listed_trials: listed.length, imported_trials: found.length, missing_trials: missing.slice(0, 50), missing_count: missing.length });
  }
  if (loaded.length === 0) throw new InputError("no trial folders (with a result.json) in the given job(s)", { file: jobDirs.join(", "), hint: "Harbor writes one folder per trial inside the job folder; check that they were copied" });
  const records = toRecords(loaded);
  const agents = new Map<string, ImportedRun["agents"][number]>();
  for (const { trial } of loaded) {
    const id = agentId(trial);
    const model = trial.agent_info?.model_info?.name;
    agents.set(id, { id, kind: trial.agent_info?.name ?? "unknown", ...(model ? { model } : {}), label: model ? `${trial.agent_info?.name} (${model})` : id });
  }
  const conditions = [...new Set(records.map((r) => r.condition))];
  return {
    id: opts.id ?? `harbor-${slug(loaded[0]?.jobName ?? "job")}`,
    createdAt: opts.createdAt,
    conditions,
    contrasts: conditions.includes("no-skill") ? conditions.filter((c) => c !== "no-skill").map((c) => [c, "no-skill"] as [string, string]) : [],
    agents: [...agents.values()],
    records,
    cells: [],
    skillUseMeasured: false,
    provenance: {
      format: "harbor-job",
      jobs,
      warnings,
      outcome_rules: "no exception: passed iff reward ≥ 1 (partial credit kept as reward); AgentTimeoutError → agent_timeout (reward kept); RewardFile*/VerifierOutputParse/VerifierTimeout → verifier_error; exception before agent execution → infra_error; exception after the verifier started without a result → verifier_error; else agent_error",
      artifacts: "trial folders are not copied; artifacts_dir names the source job/trial folder",
      family: "Harbor has no task families; all tasks are recorded as family \"harbor\"",
    },
  };
}

function listedTrials(result: z.infer<typeof JobResultSchema>): string[] {
  const names = new Set<string>();
  for (const ev of Object.values(result.stats?.evals ?? {})) {
    for (const list of Object.values(ev.reward_stats?.reward ?? {})) for (const n of list) names.add(n);
    for (const list of Object.values(ev.exception_stats ?? {})) for (const n of list) names.add(n);
  }
  return [...names].sort();
}

function agentId(t: HarborTrial): string {
  const a = t.agent_info;
  return slug(a ? `${a.name}-${a.model_info?.name ?? "unknown"}` : "unknown");
}

const ms = (p: { started_at?: string | null; finished_at?: string | null } | null | undefined): number =>
  p?.started_at && p.finished_at ? Math.max(0, Date.parse(p.finished_at) - Date.parse(p.started_at)) : 0;

function toRecords(loaded: Loaded[]): TrialRecord[] {
  const groups = new Map<string, Loaded[]>();
  for (const l of loaded) {
    const k = `${l.trial.task_name}|${l.condition}|${agentId(l.trial)}`;
    groups.set(k, [...(groups.get(k) ?? []), l]);
  }
  const out: TrialRecord[] = [];
  for (const [group, list] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => (a.trial.started_at ?? "").localeCompare(b.trial.started_at ?? "") || a.trial.trial_name.localeCompare(b.trial.trial_name));
    list.forEach(({ trial: t, condition, jobName }, index) => {
      const { outcome, reward } = classifyHarborTrial(t);
      const setup = ms(t.environment_setup) + ms(t.agent_setup);
      const agent = ms(t.agent_execution);
      const verifier = ms(t.verifier);
      const total = t.started_at && t.finished_at ? Math.max(0, Date.parse(t.finished_at) - Date.parse(t.started_at)) : setup + agent + verifier;
      const ar = t.agent_result;
      const ex = t.exception_info;
      out.push(TrialRecordSchema.parse({
        v: 1,
        key: `${group}|${index}`,
        trial_id: t.id ?? t.trial_name,
        attempt: 1,
        task: t.task_name,
        task_digest: t.task_checksum ?? "unknown",
        family: "harbor",
        condition,
        library_digest: null,
        agent: agentId(t),
        agent_digest: digestJson(t.config?.agent ?? t.agent_info ?? null),
        index,
        seed: index,
        image: "harbor:unknown",
        outcome,
        reward,
        checks: [],
        ...(ex ? { error: `${ex.exception_type}: ${(ex.exception_message ?? "").slice(0, 500)}` } : {}),
        started_at: t.started_at ?? "",
        finished_at: t.finished_at ?? "",
        timings_ms: { setup, agent, verifier, teardown: Math.max(0, total - setup - agent - verifier), total },
        agent_exit_code: null,
        ...(ar ? { tokens: { prompt: ar.n_input_tokens ?? 0, completion: ar.n_output_tokens ?? 0, cached: ar.n_cache_tokens ?? 0 } } : {}),
        ...(typeof ar?.cost_usd === "number" ? { cost_usd: ar.cost_usd } : {}),
        skills_loaded: [],
        artifacts_dir: `harbor:${jobName}/${t.trial_name}`,
      }));
    });
  }
  return out;
}
