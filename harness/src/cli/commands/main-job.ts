import type { Command } from "commander";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { RunConfigInput } from "../../run/index.ts";
import { info } from "../output.ts";
import { dockerContext } from "../docker-context.ts";
import { checkFailed } from "../output.ts";

interface MainFlags {
  trials: number;
  modelTrials: number;
  concurrency: number;
  serve: boolean;
  port: number;
  tasks: string;
}

/**
 * `npm start`: everything a newcomer needs, in order — environments, the suite check, analysis
 * of every run in results/, the site (built and served when it exists). With a model endpoint
 * configured it says what the full protocol needs instead of pretending to run it.
 */
export function registerMainCommand(program: Command): void {
  program
    .command("main")
    .description("the default job (`npm start`): build environments, check the suite (oracle + nop, every condition), analyse results/, build and serve the site")
    .option("-k, --trials <k>", "trials per cell in the suite check", (v) => parseInt(v, 10), 1)
    .option("-c, --concurrency <n>", "trials in parallel", (v) => parseInt(v, 10), 2)
    .option("--tasks <dir>", "the suite", "tasks")
    .option("--model-trials <k>", "trials per cell of the model run (when a model endpoint is configured)", (v) => parseInt(v, 10), 5)
    .option("--no-serve", "build the site but do not serve it")
    .option("--port <n>", "port for the site", (v) => parseInt(v, 10), 4321)
    .action(async (flags: MainFlags) => {
      const { createResolver, listEnvironments } = await import("../../sandbox/index.ts");
      const { runSuiteCheck } = await import("./check.ts");
      const t0 = Date.now();
      step("1/4 environments");
      const resolver = createResolver({ onLog: (name, line) => process.stderr.write(`  [${name}] ${line}\n`) });
      await resolver.base();
      for (const env of await listEnvironments()) await resolver.environment(env.name);
      for (const b of resolver.resolved()) info(`  ${b.name.padEnd(12)} ${b.tag}  ${b.built ? `built in ${b.seconds.toFixed(0)} s` : "cached"}`);

      step("2/4 suite check (oracle must pass, nop must fail, in no-skill and curated)");
      const report = await runSuiteCheck({ dirs: [flags.tasks], trials: flags.trials, concurrency: flags.concurrency, conditions: ["no-skill", "curated"], results: ".skilldelta/checks" });

      const model = process.env.SKILLDELTA_MODEL;
      if (model && process.env.OPENAI_API_KEY) {
        step(`2b/4 model run: ${model} on the evaluation split, no-skill vs curated, k=${flags.modelTrials}`);
        info("  raw-trace and self-evolved need the learning phase (acquire → freeze), which this build does not run from `npm start`.");
        await runModel(model, flags);
      } else {
        info("  no model endpoint configured (set OPENAI_API_KEY, SKILLDELTA_MODEL and optionally OPENAI_BASE_URL to evaluate a model): suite check only.");
      }

      step("3/4 analysis of results/");
      await analyseAll(resolve("results"));

      step("4/4 site");
      await buildAndServeSite(flags);
      info(`\ndone in ${((Date.now() - t0) / 1000).toFixed(0)} s · suite check: ${report.tasks.filter((t) => t.ok).length}/${report.tasks.length} tasks ok · check trials in ${relative(process.cwd(), report.runDir)}`);
      if (!report.ok) throw checkFailed(`${report.failedTasks.length} task(s) failed the suite check`);
    });
}

/** Evaluates the configured model on the evaluation split under no-skill and curated. */
async function runModel(model: string, flags: MainFlags): Promise<void> {
  const { executeRun, runConfigFromFlags, selectTasks } = await import("../../run/index.ts");
  const config = runConfigFromFlags({
    id: `main-${model.replace(/[^\w.-]/g, "_")}`,
    tasks: [flags.tasks],
    split: "evaluation",
    conditions: ["no-skill", "curated"],
    trials: flags.modelTrials,
    concurrency: flags.concurrency,
    agents: [{ kind: "openai", id: model.replace(/[^\w.-]/g, "_"), model, base_url_env: "OPENAI_BASE_URL", api_key_env: "OPENAI_API_KEY" } as NonNullable<RunConfigInput["agents"]>[number]],
  });
  const { tasks, problems } = await selectTasks(config);
  for (const p of problems) info(`  error: ${p.error.format()}`);
  const ctx = await dockerContext({ environments: config.environments });
  const result = await executeRun(config, tasks, ctx);
  info(`  ${result.run.status}: ${result.ranNow} trial(s) run now, ${result.resumed} resumed → ${relative(process.cwd(), result.dir)}`);
}

function step(title: string): void {
  info(`\n== ${title}`);
}

async function analyseAll(resultsDir: string): Promise<void> {
  const runs = (await readdir(resultsDir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory() && existsSync(join(resultsDir, d.name, "run.json")));
  if (!runs.length) return info("  no runs in results/");
  const analysis = await import("../../analysis/index.ts").catch(() => undefined);
  if (!analysis?.analyseRun) return info("  analysis is not available in this build");
  for (const run of runs) {
    const dir = join(resultsDir, run.name);
    await analysis.analyseRun(dir, { seed: 1 });
    info(`  ${run.name}: summary.json written`);
  }
}

async function buildAndServeSite(flags: MainFlags): Promise<void> {
  const site = resolve("site");
  if (!existsSync(join(site, "astro.config.mjs"))) return info("  no site in this build yet (site/ arrives with its own issue)");
  const { execa } = await import("execa");
  await execa("npx", ["astro", "build", "--root", site], { stdio: "inherit" });
  if (!flags.serve) return info(`  built into ${relative(process.cwd(), join(site, "dist"))}`);
  info(`  serving http://localhost:${flags.port}/ (Ctrl-C to stop)`);
  await execa("npx", ["astro", "preview", "--root", site, "--port", String(flags.port), "--host", "127.0.0.1"], { stdio: "inherit" });
}
