import type { Command } from "commander";
import { dirname, relative, resolve } from "node:path";
import type { Phase } from "../../protocol/index.ts";
import { InputError } from "../../core/errors.ts";
import type { RunConfig, RunConfigInput } from "../../run/index.ts";
import type { Coordinator } from "../../distributed/index.ts";
import { dockerContext } from "../docker-context.ts";
import { info, printJson, table } from "../output.ts";
import { reportProblems } from "./tasks.ts";

interface RunFlags {
  config?: string;
  id?: string;
  tasks?: string[];
  split?: RunConfigInput["split"];
  include?: string;
  conditions?: string;
  agents?: string;
  trials?: number;
  concurrency?: number;
  seed?: number;
  results?: string;
  library?: string[];
  envDir?: string[];
  assetCache?: string;
  json?: boolean;
  quiet?: boolean;
  queue?: string;
  registry?: string;
  phase?: string;
}

/** `skilldelta run`: run or resume a grid of trials. */
export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description("run (or resume) tasks × conditions × agents × k trials in sandboxes, journaled to results/<id>/")
    .option("--config <run.toml>", "run config file (flags below override its values)")
    .option("--id <id>", "run id: results/<id>/; the same id resumes")
    .option("--tasks <dirs...>", "task, family or suite directories")
    .option("--split <split>", "acquisition | evaluation | all")
    .option("--include <globs>", "only task ids matching these globs, comma-separated (e.g. 'ledger-*')")
    .option("--conditions <list>", "comma-separated: no-skill, curated, raw-trace, self-evolved[:method]")
    .option("--agents <kinds>", "comma-separated built-in agent kinds without options (oracle, nop)")
    .option("-k, --trials <k>", "trials per cell", toInt)
    .option("-c, --concurrency <n>", "trials in parallel", toInt)
    .option("--seed <n>", "schedule and trial seeds", toInt)
    .option("--results <dir>", "results directory")
    .option("--library <condition=dir...>", "bind a condition to an existing skill library directory")
    .option("--env-dir <dirs...>", "extra folders holding environments (besides environments/)")
    .option("--asset-cache <dir>", "where [[environment.assets]] are fetched from (default $SKILLDELTA_ASSET_CACHE, else ~/.cache/skilldelta/assets)")
    .option("--phase <phase>", "with a [learning] table: run one protocol phase only (acquire | freeze | evaluate | analyse)")
    .option("--json", "print the run's result as JSON")
    .option("-q, --quiet", "no progress display")
    .option("--queue <url>", "distributed: enqueue trials in Redis (redis://host:port) for `skilldelta worker`s; this process stays the only writer of results/<id>/")
    .option("--registry <host:port>", "with --queue: push the task images to this Docker registry; workers started with --registry pull them by digest instead of building")
    .addHelpText(
      "after",
      `
Run again with the same config (or id) to resume: finished trials are kept, none runs twice.
A run whose inputs changed (task contents, images, libraries, agent config) refuses to resume.

Examples:
  skilldelta run --config examples/run.toml
  skilldelta run --tasks tasks/ledger --agents oracle,nop --conditions no-skill,curated -k 2
  skilldelta run --config run.toml --library self-evolved=path/to/library
  skilldelta run --config run.toml --queue redis://127.0.0.1:6379   (see docs/scaling.md)
  skilldelta run --config run.toml --queue redis://127.0.0.1:6379 --registry registry.lab:5000`,
    )
    .action(async (flags: RunFlags) => {
      if (flags.registry && !flags.queue) throw new InputError("--registry needs --queue", { field: "--registry", hint: "a registry carries task images to the workers of a distributed run; a local run builds them here" });
      // the run machinery (and bullmq, dockerode, openai behind it) loads only when a run starts
      const { executeRun, selectTasks } = await import("../../run/index.ts");
      const config = await resolveConfig(flags);
      if (config.learning || flags.phase) return runWholeProtocol(config, flags);
      const { tasks, problems } = await selectTasks(config);
      reportProblems({ tasks, families: [], problems });
      if (!tasks.length) throw new InputError("the config selects no tasks", { field: "tasks/split/include", hint: "check the task paths, the split and the include globs" });
      const ctx = await dockerContext({ environments: config.environments, quiet: flags.quiet, assetCache: flags.assetCache });
      if (!flags.quiet) info(`run ${config.id}: ${tasks.length} task(s) × ${config.conditions.length} condition(s) × ${config.agents.length} agent(s) × k=${config.trials}`);
      // distributed (issue 10): trials go through the queue; without --queue nothing changes
      const coordinator = flags.queue ? await startCoordinator(flags.queue, flags.registry, flags.quiet) : undefined;
      if (coordinator && flags.concurrency === undefined) config.concurrency = QUEUE_IN_FLIGHT;
      let result: Awaited<ReturnType<typeof executeRun>>;
      try {
        result = await executeRun(config, tasks, { ...ctx, quiet: flags.quiet, ...(coordinator ? { executeTrial: coordinator.executeTrial, resolveImages: coordinator.resolver(ctx.resolveImages) } : {}) });
      } finally {
        await coordinator?.close(result! ? result.run.status : "interrupted");
      }
      const counts = countOutcomes(result.records.map((r) => r.outcome));
      if (flags.json) {
        printJson({ id: result.run.id, dir: result.dir, status: result.run.status, ran_now: result.ranNow, resumed: result.resumed, outcomes: counts, excluded_tasks: result.run.excluded_tasks });
        return;
      }
      for (const e of result.run.excluded_tasks) info(`excluded ${e.task}: ${e.reason.split("\n")[0]}`);
      console.log(table(["condition", "agent", "passed", "scored", "timeouts", "agent err", "excluded"], byCell(result.records)));
      console.log(`\n${result.run.status}: ${result.ranNow} trial(s) run now, ${result.resumed} resumed · results in ${relative(process.cwd(), result.dir) || "."}`);
      console.log(`next: skilldelta analyse ${relative(process.cwd(), result.dir)} && skilldelta report ${relative(process.cwd(), result.dir)}`);
    });
}

/** Trials a coordinator keeps queued or running at once when -c is not given (workers pull at their own pace). */
const QUEUE_IN_FLIGHT = 256;

async function startCoordinator(url: string, registry: string | undefined, quiet: boolean | undefined): Promise<Coordinator> {
  const { Coordinator, parseRegistry, probe, pushTaskImages, redact } = await import("../../distributed/index.ts");
  const { dockerClient } = await import("../../sandbox/index.ts");
  await probe(url);
  const address = registry === undefined ? undefined : parseRegistry(registry);
  if (!quiet) info(`coordinator: trials go to ${redact(url)}; start workers with \`skilldelta worker --queue …${address ? ` --registry ${address}` : ""}\``);
  return new Coordinator({ url, quiet, ...(address ? { registry: { address, push: (images) => pushTaskImages(dockerClient(), images, address) } } : {}) });
}

/** A config with a [learning] table is the full protocol: acquire → freeze → evaluate → analyse. */
async function runWholeProtocol(config: RunConfig, flags: RunFlags): Promise<void> {
  const { PHASES, runProtocol } = await import("../../protocol/index.ts");
  if (flags.phase !== undefined && !PHASES.includes(flags.phase as Phase)) throw new InputError(`unknown phase \`${flags.phase}\``, { field: "--phase", hint: `use one of: ${PHASES.join(", ")}` });
  const ctx = await dockerContext({ environments: config.environments, quiet: flags.quiet, assetCache: flags.assetCache });
  const baseDir = flags.config ? dirname(resolve(flags.config)) : process.cwd();
  const result = await runProtocol(config, { ...ctx, quiet: flags.quiet, env: process.env, baseDir, log: flags.quiet ? undefined : info }, flags.phase as Phase | undefined);
  if (flags.json) return printJson(result.state);
  console.log(table(["phase", "status"], PHASES.map((p) => [p, result.state[p] ? "done" : "-"])));
  console.log(`results in ${relative(process.cwd(), result.dir) || "."}`);
}

async function resolveConfig(flags: RunFlags): Promise<RunConfig> {
  const { loadRunConfig, runConfigFromFlags } = await import("../../run/index.ts");
  const overrides: Partial<RunConfigInput> = {
    id: flags.id,
    tasks: flags.tasks,
    split: flags.split,
    include: flags.include?.split(","),
    conditions: flags.conditions?.split(",").map((s) => s.trim()),
    agents: flags.agents?.split(",").map((k) => ({ kind: k.trim(), id: k.trim() })) as RunConfigInput["agents"],
    trials: flags.trials,
    concurrency: flags.concurrency,
    seed: flags.seed,
    results_dir: flags.results,
    environments: flags.envDir,
    libraries: flags.library ? Object.fromEntries(flags.library.map(parseBinding)) : undefined,
  };
  return flags.config ? loadRunConfig(flags.config, overrides) : runConfigFromFlags(overrides);
}

function parseBinding(s: string): [string, string] {
  const i = s.indexOf("=");
  if (i <= 0) throw new InputError(`--library expects condition=dir, got \`${s}\``, { field: "--library", hint: "e.g. --library self-evolved=libraries/my-method" });
  return [s.slice(0, i), s.slice(i + 1)];
}

function toInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InputError(`expected an integer, got \`${v}\``);
  return n;
}

function countOutcomes(outcomes: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes) out[o] = (out[o] ?? 0) + 1;
  return out;
}

function byCell(records: { condition: string; agent: string; outcome: string }[]): (string | number)[][] {
  const cells = new Map<string, { c: string; a: string; o: Record<string, number> }>();
  for (const r of records) {
    const k = `${r.condition}|${r.agent}`;
    const cell = cells.get(k) ?? { c: r.condition, a: r.agent, o: {} };
    cell.o[r.outcome] = (cell.o[r.outcome] ?? 0) + 1;
    cells.set(k, cell);
  }
  return [...cells.values()].map(({ c, a, o }) => {
    const scored = (o.passed ?? 0) + (o.failed ?? 0) + (o.agent_timeout ?? 0) + (o.agent_error ?? 0);
    return [c, a, o.passed ?? 0, scored, o.agent_timeout ?? 0, o.agent_error ?? 0, (o.infra_error ?? 0) + (o.verifier_error ?? 0)];
  });
}
