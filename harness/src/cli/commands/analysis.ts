import type { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError, SkillDeltaError } from "../../core/errors.ts";
import type { Summary } from "../../analysis/index.ts";
import type { writeImportedRun } from "../../io/index.ts";
import { parseOrThrow } from "../../core/zod-errors.ts";

// analysis and io (zod schemas, statistics, csv, importers) load inside the actions
const analysis = () => import("../../analysis/index.ts");
const io = () => import("../../io/index.ts");
import { readFile } from "node:fs/promises";

/**
 * `skilldelta analyse|report|export|import`: statistics, summary.json, terminal reports, CSV,
 * and importers for Harbor jobs and the public SkillsBench registry.
 */
export function registerAnalysisCommands(program: Command): void {
  program
    .command("analyse")
    .description("compute summary.json and tasks/<task>.json for a run: pass rates with bootstrap CIs, matched contrasts, denominators, cost")
    .argument("<run>", "run directory, or a run id under ./results")
    .option("--seed <n>", "seed of every bootstrap and Monte-Carlo draw", "1")
    .option("--resamples <n>", "bootstrap replicates", "2000")
    .option("--two-stage", "also resample trials within tasks (conservative; default resamples tasks only)")
    .option("--json", "print the summary as JSON instead of the report")
    .addHelpText("after", "\nThe same run and seed always give the same summary, bit for bit.\nExample:\n  skilldelta analyse results/skillsbench-public --seed 1")
    .action(async (run: string, opts: { seed: string; resamples: string; twoStage?: boolean; json?: boolean }) => {
      const dir = resolveRun(run);
      const { analyseRun, formatReport } = await analysis();
      const r = await analyseRun(dir, { seed: int(opts.seed, "--seed"), resamples: int(opts.resamples, "--resamples", 1), withinTasks: opts.twoStage === true });
      if (opts.json) process.stdout.write(`${JSON.stringify(r.summary, null, 2)}\n`);
      else process.stdout.write(`${formatReport(r.summary, { maxRows: 40 })}\n\nwrote ${r.files.length} file(s): ${join(dir, "summary.json")} and ${r.files.length - 1} task page(s)\n`);
    });

  program
    .command("report")
    .description("print a run's summary as a readable table (conditions with CIs, deltas, denominators); runs `analyse` first if summary.json is missing")
    .argument("<run>", "run directory, or a run id under ./results")
    .option("--json", "print summary.json instead")
    .option("--all", "list every agent row (default: the pooled rows and the first 40)")
    .addHelpText("after", "\nExample:\n  skilldelta report skillsbench-public\n  skilldelta report results/my-run --json > summary.json")
    .action(async (run: string, opts: { json?: boolean; all?: boolean }) => {
      const dir = resolveRun(run);
      const summary = await summaryOf(dir);
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(`${(await analysis()).formatReport(summary, opts.all ? {} : { maxRows: 40 })}\n`);
    });

  program
    .command("export")
    .description("write a run as CSV: trials.csv (one row per trial) and cells.csv (one row per task × condition × agent)")
    .argument("<run>", "run directory, or a run id under ./results")
    .option("--csv", "CSV output (the only format for now)")
    .option("--out <dir>", "output directory (default <run>/export)")
    .addHelpText("after", "\nExample:\n  skilldelta export results/my-run --csv --out /tmp/my-run-csv")
    .action(async (run: string, opts: { csv?: boolean; out?: string }) => {
      if (!opts.csv) throw new InputError("choose an export format", { field: "--csv", hint: "pass --csv" });
      const dir = resolveRun(run);
      const { exportCsv } = await io();
      const files = await exportCsv(dir, opts.out ?? join(dir, "export"));
      for (const f of files) process.stdout.write(`wrote ${f}\n`);
    });

  const imp = program.command("import").description("turn other harnesses' results into a SkillDelta run (source and attestation \"imported\")");
  imp
    .command("harbor")
    .description("import Harbor job directories (the folder with config.json, result.json and one folder per trial); each trial becomes a journal record")
    .argument("<job-dir...>", "Harbor job directories; several jobs (e.g. one per condition) merge into one run")
    .option("--out <dir>", "results directory", "results")
    .option("--id <id>", "run id (default: harbor-<first job name>)")
    .option("--condition <name>", "condition for every job, when the job name / task path does not say (no-skill or curated are inferred from 'noskills' / 'skills')")
    .option("--force", "replace an existing run with the same id")
    .option("--no-analyse", "do not run the analysis after importing")
    .addHelpText("after", "\nExample:\n  skilldelta import harbor jobs/noskills-job jobs/skills-job --id gemini-flash-bgp")
    .action(async (jobs: string[], opts: { out: string; id?: string; condition?: string; force?: boolean; analyse: boolean }) => {
      const { importHarborJobs } = await io();
      const run = await importHarborJobs(jobs, { id: opts.id, condition: opts.condition, createdAt: new Date().toISOString() });
      await finishImport(opts.out, run, opts.force === true, opts.analyse);
    });
  imp
    .command("skillsbench")
    .description("import the public SkillsBench results registry (per-task pass counts per configuration × condition; kept as counts, no trials invented)")
    .argument("<registry.json>", "website-data/results-registry.json of benchflow-ai/skillsbench-trajectories")
    .option("--out <dir>", "results directory", "results")
    .option("--id <id>", "run id", "skillsbench-public")
    .option("--force", "replace an existing run with the same id")
    .option("--no-analyse", "do not run the analysis after importing")
    .addHelpText("after", "\n\"No Skills\" → no-skill, \"With Skills\" → curated; other condition names are kept as their slug.\nExample:\n  skilldelta import skillsbench ../shared/fixtures/skillsbench/results-registry.json")
    .action(async (file: string, opts: { out: string; id: string; force?: boolean; analyse: boolean }) => {
      const { importSkillsBench } = await io();
      const run = await importSkillsBench(file, { id: opts.id, createdAt: new Date().toISOString() });
      await finishImport(opts.out, run, opts.force === true, opts.analyse);
    });
}

async function finishImport(out: string, run: Parameters<typeof writeImportedRun>[1], force: boolean, analyse: boolean): Promise<void> {
  const dir = await (await io()).writeImportedRun(out, run, force);
  process.stdout.write(`imported ${run.records.length} trial record(s) and ${run.cells.length} count cell(s) into ${dir}\n`);
  for (const w of (run.provenance.warnings as string[] | undefined) ?? []) process.stdout.write(`warning: ${w}\n`);
  if (analyse) {
    const { analyseRun, formatReport } = await analysis();
    const r = await analyseRun(dir, { seed: 1 });
    process.stdout.write(`${formatReport(r.summary, { maxRows: 40 })}\n`);
  }
}

/** `<run>` is a directory, or an id under ./results. */
export function resolveRun(run: string): string {
  for (const candidate of [run, join("results", run)]) {
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return resolve(candidate);
  }
  throw new SkillDeltaError("SD_NOT_FOUND", `no run directory ${run}`, { file: run, hint: "pass results/<run-id> or a run id under ./results (see `ls results`)" });
}

async function summaryOf(dir: string): Promise<Summary> {
  const file = join(dir, "summary.json");
  const { analyseRun, SummarySchema } = await analysis();
  if (!existsSync(file)) return (await analyseRun(dir, { seed: 1 })).summary;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new InputError(`summary.json is not valid JSON: ${(error as Error).message}`, { file, hint: "run `skilldelta analyse` again" });
  }
  return parseOrThrow(SummarySchema, raw, file);
}

function int(v: string, flag: string, min = Number.MIN_SAFE_INTEGER): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InputError(`expected an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ""}, got ${v}`, { field: flag, hint: `e.g. ${flag} ${Math.max(min, 1)}` });
  return n;
}
