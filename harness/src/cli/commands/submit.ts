import type { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { SkillDeltaError } from "../../core/errors.ts";
import type { RegradeReport, ReproduceReport, VerifyReport } from "../../submit/index.ts";
import { dockerContext } from "../docker-context.ts";
import { checkFailed, printJson, table } from "../output.ts";

/**
 * `skilldelta submit pack|verify|reproduce` and `skilldelta regrade`: verifiable result bundles
 * (DESIGN section 8, SUBMITTING.md).
 */
export function registerSubmitCommands(program: Command): void {
  const submit = program.command("submit").description("pack a finished run into a verifiable bundle, or verify someone's bundle");

  submit
    .command("pack")
    .description("check a run against the submission rules (published suite, every matched cell, k ≥ 5, no overrides, libraries frozen) and write one bundle with a sha256 manifest")
    .argument("<run>", "run directory, or a run id under ./results")
    .option("-o, --out <file>", "bundle file (default <run-id>.skilldelta-bundle.tgz)")
    .option("--suite <dirs...>", "the published suite's task directories (default: the run's own tasks)")
    .option("--seed <n>", "seed of the summary's statistics", "1")
    .option("--json", "print the manifest as JSON")
    .addHelpText("after", "\nExample:\n  skilldelta submit pack results/my-method --suite tasks -o my-method.skilldelta-bundle.tgz")
    .action(async (run: string, opts: { out?: string; suite?: string[]; seed: string; json?: boolean }) => {
      const { packRun } = await import("../../submit/index.ts");
      const r = await packRun({ runDir: resolveRunDir(run), out: opts.out, suite: opts.suite?.map((d) => resolve(d)), seed: Number(opts.seed) });
      if (opts.json) return printJson(r.manifest);
      const c = r.manifest.checks;
      process.stdout.write(`wrote ${r.bundle}\n  ${r.manifest.members.length} member(s), ${c.cells} trial cell(s) at k=${c.trials_per_cell}, ${c.final_states} archived final state(s), ${c.suite_tasks_checked} task digest(s) checked against the suite\n`);
    });

  submit
    .command("verify")
    .description("verify a bundle: hashes, archive safety, frozen libraries, submission rules, summary recomputed from the trials; --regrade re-runs verifiers on the final states")
    .argument("<bundle>", "a .skilldelta-bundle.tgz file")
    .option("--suite <dirs...>", "check task digests against these suite directories (and take verifiers from them)")
    .option("--regrade", "re-grade every archived final state in fresh containers (needs Docker)")
    .option("--env-dir <dirs...>", "extra folders holding environments (besides environments/)")
    .option("-c, --concurrency <n>", "re-grade containers in parallel", "2")
    .option("--json", "print the report as JSON")
    .addHelpText("after", "\nTiers: self-reported (bundle verified), re-graded (every final state re-graded, all agree), reproduced (an independent re-run agrees: `skilldelta submit reproduce`).\nExample:\n  skilldelta submit verify my-method.skilldelta-bundle.tgz --suite tasks --regrade")
    .action(async (bundle: string, opts: { suite?: string[]; regrade?: boolean; envDir?: string[]; concurrency: string; json?: boolean }) => {
      const suite = opts.suite?.map((d) => resolve(d));
      const { verifyBundle } = await import("../../submit/index.ts");
      const deps = opts.regrade ? await dockerContext({ environments: [resolve("environments"), ...(opts.envDir ?? []).map((d) => resolve(d))], quiet: true }) : undefined;
      const report = await verifyBundle({ bundle, suite, regrade: deps ? { deps, tasks: suite, concurrency: Number(opts.concurrency) } : undefined });
      if (opts.json) return printJson(report);
      process.stdout.write(formatVerify(report));
      if (report.regrade?.disagreements.length) throw checkFailed(`${report.regrade.disagreements.length} re-graded trial(s) disagree with the record`);
    });

  submit
    .command("reproduce")
    .description("verify a bundle, re-run its evaluation here (same tasks by digest, same images, agent configs and frozen libraries, fresh seed) and compare pass rates and contrast deltas with the submission")
    .argument("<bundle>", "a .skilldelta-bundle.tgz file")
    .option("--suite <dirs...>", "the local suite's task directories (must match the bundle's task digests)", ["tasks"])
    .option("--env-dir <dirs...>", "extra folders holding environments (besides environments/)")
    .option("-k, --trials <k>", "trials per cell (default: the bundle's k)")
    .option("-c, --concurrency <n>", "trials in parallel", "2")
    .option("--results <dir>", "where the reproduction run is kept", "results")
    .option("--seed <n|same>", "run seed (default: a fresh seed derived from the submission's, so running again resumes)")
    .option("--json", "print the report as JSON")
    .addHelpText("after", "\nAgreement: per row, the per-task difference submitted − reproduced, averaged over tasks, has a bootstrap interval containing 0 (α = 0.05 over all rows; SUBMITTING.md).\nExit 0 when every row agrees (tier reproduced), 1 when any disagrees, 2 for input errors.\nExample:\n  skilldelta submit reproduce my-method.skilldelta-bundle.tgz --suite tasks -c 4")
    .action(async (bundle: string, opts: { suite: string[]; envDir?: string[]; trials?: string; concurrency: string; results: string; seed?: string; json?: boolean }) => {
      const trials = opts.trials === undefined ? undefined : Number(opts.trials);
      if (trials !== undefined && !(Number.isInteger(trials) && trials >= 1)) throw new SkillDeltaError("SD_USAGE", "--trials must be a positive integer", { field: "--trials" });
      const seed = opts.seed === undefined || opts.seed === "same" ? opts.seed : Number(opts.seed);
      if (typeof seed === "number" && !Number.isInteger(seed)) throw new SkillDeltaError("SD_USAGE", "--seed must be an integer or `same`", { field: "--seed" });
      const { reproduceBundle } = await import("../../submit/index.ts");
      const environments = [resolve("environments"), ...(opts.envDir ?? []).map((d) => resolve(d))];
      const deps = await dockerContext({ environments, quiet: true });
      const report = await reproduceBundle({ bundle, suite: opts.suite.map((d) => resolve(d)), environments, resultsDir: resolve(opts.results), trials, concurrency: Number(opts.concurrency), seed: seed as number | "same" | undefined, quiet: Boolean(opts.json) }, deps);
      if (opts.json) printJson(report);
      else process.stdout.write(formatReproduce(report));
      if (!report.agrees) throw checkFailed(`${report.disagreements.length} row(s) disagree with the reproduction: ${report.disagreements.map((d) => `${d.label} (${d.agent})`).join(", ")}`, "the submitted numbers are not what an independent re-run gives; see the table");
    });

  program
    .command("regrade")
    .description("restore each trial's archived final state into a fresh container and re-run the verifier; list disagreements with the record")
    .argument("<run>", "run directory, run id under ./results, or a .skilldelta-bundle.tgz")
    .option("--tasks <dirs...>", "task directories holding the verifiers (default: the run's own tasks)")
    .option("--env-dir <dirs...>", "extra folders holding environments (besides environments/)")
    .option("-c, --concurrency <n>", "containers in parallel", "2")
    .option("--json", "print the report as JSON")
    .action(async (run: string, opts: { tasks?: string[]; envDir?: string[]; concurrency: string; json?: boolean }) => {
      const { loadRunDir, regradeRun, verifyBundle } = await import("../../submit/index.ts");
      const deps = await dockerContext({ environments: [resolve("environments"), ...(opts.envDir ?? []).map((d) => resolve(d))], quiet: true });
      const tasks = opts.tasks?.map((d) => resolve(d));
      let report: RegradeReport;
      if (/\.(tgz|tar\.gz|tar)$/.test(run) && existsSync(run) && statSync(run).isFile()) {
        report = (await verifyBundle({ bundle: run, regrade: { deps, tasks, concurrency: Number(opts.concurrency) } })).regrade!;
      } else {
        report = await regradeRun(await loadRunDir(resolveRunDir(run)), deps, { tasks, concurrency: Number(opts.concurrency) });
      }
      if (opts.json) printJson(report);
      else process.stdout.write(formatRegrade(report));
      if (report.disagreements.length) throw checkFailed(`${report.disagreements.length} re-graded trial(s) disagree with the record`, "a verifier changed, or the recorded verdict was not what the files show");
    });
}

function resolveRunDir(run: string): string {
  for (const candidate of [run, join("results", run)]) {
    if (existsSync(join(candidate, "run.json"))) return resolve(candidate);
  }
  throw new SkillDeltaError("SD_NOT_FOUND", `no run directory ${run}`, { file: run, hint: "pass results/<run-id> or a run id under ./results" });
}

function formatRegrade(r: RegradeReport): string {
  const lines = [`re-graded ${r.checked} final state(s): ${r.agreed} agree, ${r.disagreements.length} disagree, ${r.skipped.length} skipped or not compared`];
  for (const c of r.task_changes) lines.push(`  task changed since the run: ${c}`);
  if (r.disagreements.length) {
    lines.push(table(["trial", "recorded", "re-graded"], r.disagreements.map((d) => [d.trial_id, `${d.recorded.outcome} (${d.recorded.reward ?? "-"})`, d.regraded.error ? `error: ${d.regraded.error}` : `${d.regraded.passed ? "passed" : "failed"} (${d.regraded.reward ?? "-"})`])));
  }
  return `${lines.join("\n")}\n`;
}

function formatVerify(r: VerifyReport): string {
  const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
  const lines = [
    `bundle verified: run ${r.run_id}, ${r.members} member(s) match the manifest, summary recomputes from the trials, libraries unchanged since the freeze`,
    `attestation: ${r.tier}`,
    "",
    "what the leaderboard will show:",
    table(["condition", "agent", "pass rate", "95% CI", "scored", "excluded"], r.rows.map((x) => [x.condition, x.agent, pct(x.pass_rate), x.ci ? `${pct(x.ci[0])}–${pct(x.ci[1])}` : "-", x.scored, x.excluded])),
  ];
  if (r.regrade) lines.push("", formatRegrade(r.regrade).trimEnd());
  else lines.push("", `${r.final_states} archived final state(s) not re-graded; pass --regrade to reach the re-graded tier`);
  return `${lines.join("\n")}\n`;
}

function formatReproduce(r: ReproduceReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const iv = (x: { estimate: number; lo: number; hi: number } | null) => (x ? `${pct(x.estimate)} [${pct(x.lo)}, ${pct(x.hi)}]` : "-");
  const p = r.reproduction;
  const lines = [
    `reproduced run ${r.run_id} as ${p.id}: k=${p.trials} (submitted k=${p.submitted_trials}), seed ${p.seed} (${p.seed_mode}; submitted ${p.submitted_seed}), ${p.ran_now} trial(s) run now, ${p.resumed} resumed`,
    `rule: ${r.rule}`,
    "",
    table(["row", "agent", "submitted (95% CI)", "reproduced (95% CI)", "submitted − reproduced", "tasks", "verdict"], r.rows.map((x) => [
      x.kind === "delta" ? `Δ ${x.label}` : x.label, x.agent, iv(x.submitted), iv(x.reproduced), iv(x.difference), x.tasks, x.agree ? "agrees" : `DISAGREES${x.reason ? `: ${x.reason}` : ""}`,
    ])),
    "",
    `attestation: ${r.tier}${r.agrees ? "" : ` (${r.disagreements.length} of ${r.rows.length} row(s) disagree)`}; reproduction kept in ${p.dir}`,
  ];
  return `${lines.join("\n")}\n`;
}
