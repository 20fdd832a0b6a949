import type { Command } from "commander";
import { relative } from "node:path";
import { InputError } from "../../core/errors.ts";
import type { LoadResult } from "../../task/index.ts";
import { checkFailed, info, printJson, table } from "../output.ts";

// Registration stays cheap: task loading, the linter and the Docker-backed check are imported
// inside the actions, so `--help` and other commands never load them.

/** `skilldelta tasks list|validate|lint|check <dir...>` */
export function registerTaskCommands(program: Command): void {
  const tasks = program.command("tasks").description("load, validate, lint and check Harbor-format tasks");

  tasks
    .command("list")
    .description("list tasks with family, split and role")
    .argument("[dirs...]", "task, family or suite directories", ["tasks"])
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  skilldelta tasks list tasks/ledger")
    .action(async (dirs: string[], opts: { json?: boolean }) => {
      const r = await loadForCommand(dirs);
      const rows = r.tasks.map((t) => ({ id: t.id, family: t.family.id, split: t.split ?? "", role: t.role ?? "", digest: t.digest.slice(0, 12), dir: relative(process.cwd(), t.dir) }));
      if (opts.json) return printJson({ tasks: rows, problems: problemsOf(r) });
      console.log(table(["task", "family", "split", "role", "digest"], rows.map((t) => [t.id, t.family, t.split, t.role, t.digest])));
      reportProblems(r);
    });

  tasks
    .command("validate")
    .description("check every task.toml, family.toml and required file against the schema (exit 1 if any is invalid)")
    .argument("[dirs...]", "task, family or suite directories", ["tasks"])
    .option("--json", "print JSON")
    .addHelpText("after", "\nEach problem is one line: file: field: what was expected — how to fix it.\nExample:\n  skilldelta tasks validate tasks/")
    .action(async (dirs: string[], opts: { json?: boolean }) => {
      const r = await loadForCommand(dirs);
      if (opts.json) printJson({ valid: r.tasks.length, problems: problemsOf(r) });
      else {
        reportProblems(r);
        info(`${r.tasks.length} task(s) valid, ${r.problems.length} problem(s)`);
      }
      if (r.problems.length) throw checkFailed(`${r.problems.length} problem(s) found`);
    });

  tasks
    .command("lint")
    .description("report what makes tasks unreproducible: floating FROM tags, downloads at build or verify time, internet access, missing oracle, tests that read the solution")
    .argument("[dirs...]", "task, family or suite directories", ["tasks"])
    .option("--json", "print JSON")
    .option("--strict", "exit 1 when there is any warning")
    .addHelpText("after", "\nWarnings never stop a run; SkillDelta's own suite has none.\nExample:\n  skilldelta tasks lint ../shared/fixtures/harbor/skilllearnbench/tasks")
    .action(async (dirs: string[], opts: { json?: boolean; strict?: boolean }) => {
      const { formatLocation, lintTask } = await import("../../task/index.ts");
      const r = await loadForCommand(dirs);
      const warnings = (await Promise.all(r.tasks.map(async (t) => (await lintTask(t)).map((w) => ({ task: t.id, ...w }))))).flat();
      if (opts.json) printJson({ warnings, problems: problemsOf(r) });
      else {
        for (const w of warnings) console.log(`${formatLocation(w)}: warning [${w.rule}] ${w.message}`);
        reportProblems(r);
        info(`${r.tasks.length} task(s) linted, ${warnings.length} warning(s)`);
      }
      if (r.problems.length || (opts.strict && warnings.length)) throw checkFailed(`${warnings.length} warning(s), ${r.problems.length} problem(s)`);
    });

  tasks
    .command("table")
    .description("print the suite's markdown table (family, domain, tasks by role, packages, what the skill carries) for tasks/README.md")
    .argument("[dirs...]", "suite directories", ["tasks"])
    .option("--environments <dir>", "environments root", "environments")
    .action(async (dirs: string[], opts: { environments: string }) => {
      const { suiteTable } = await import("./suite-table.ts");
      const r = await loadForCommand(dirs);
      console.log(await suiteTable(r.tasks, r.families, opts.environments));
      reportProblems(r);
    });

  tasks
    .command("check")
    .description("prove each task: build its image, oracle passes k/k, nop fails k/k (in every condition), and a rebuild gives the same image digest")
    .argument("[dirs...]", "task, family or suite directories", ["tasks"])
    .option("-k, --trials <k>", "trials per agent and condition", (v) => parseInt(v, 10), 2)
    .option("-c, --concurrency <n>", "trials in parallel", (v) => parseInt(v, 10), 2)
    .option("--conditions <list>", "conditions to plumb (comma-separated)", "no-skill,curated")
    .option("--include <globs>", "only task ids matching these globs (comma-separated)")
    .option("--one-per-family", "check only the first evaluation task of each family (quick CI check)")
    .option("--results <dir>", "where the check runs are kept", ".skilldelta/checks")
    .option("--env-dir <dirs...>", "extra folders holding environments (besides environments/)")
    .option("--asset-cache <dir>", "where [[environment.assets]] are fetched from (default $SKILLDELTA_ASSET_CACHE, else ~/.cache/skilldelta/assets)")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExit code 1 when any task fails its check. A check run is resumable: running it again skips finished trials.\nExample:\n  skilldelta tasks check tasks/ -k 2")
    .action(async (dirs: string[], opts: { trials: number; concurrency: number; conditions: string; include?: string; onePerFamily?: boolean; results: string; envDir?: string[]; assetCache?: string; json?: boolean }) => {
      if (!Number.isInteger(opts.trials) || opts.trials < 1) throw new InputError("--trials must be a positive integer", { field: "--trials" });
      const { runSuiteCheck } = await import("./check.ts");
      const report = await runSuiteCheck({ dirs, ...opts, environments: opts.envDir, quiet: opts.json, conditions: opts.conditions.split(",").map((s) => s.trim()).filter(Boolean), include: opts.include?.split(",") });
      if (opts.json) printJson(report);
      if (!report.ok) throw checkFailed(`${report.failedTasks.length} task(s) failed the check: ${report.failedTasks.join(", ")}`);
    });
}

/**
 * Loads tasks for a command that needs at least one.
 * @throws InputError when the directories hold no task at all
 */
export async function loadForCommand(dirs: string[]): Promise<LoadResult> {
  const { loadTasks } = await import("../../task/index.ts");
  const r = await loadTasks(dirs);
  if (!r.tasks.length && !r.problems.length) throw new InputError(`no tasks found under ${dirs.join(", ")}`, { hint: "pass a directory holding task folders (each with task.toml)" });
  return r;
}

/** Load problems as plain JSON rows for `--json` output. */
export function problemsOf(r: LoadResult) {
  return r.problems.map((p) => ({ path: p.path, code: p.error.code, file: p.error.file, field: p.error.field, message: p.error.message, hint: p.error.hint }));
}

/** Prints each load problem as one `error:` line on stderr. */
export function reportProblems(r: LoadResult): void {
  for (const p of r.problems) info(`error: ${p.error.format()}`);
}
