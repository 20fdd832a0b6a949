import type { Command } from "commander";
import { dirname, relative, resolve } from "node:path";
import { InputError } from "../../core/errors.ts";
import type { Phase } from "../../protocol/index.ts";
import { dockerContext } from "../docker-context.ts";
import { info, printJson, table } from "../output.ts";

/**
 * `skilldelta protocol` (acquire → freeze → evaluate → analyse, DESIGN section 2) and
 * `skilldelta library import` (published libraries as conditions).
 */
export function registerProtocolCommands(program: Command): void {
  program
    .command("protocol")
    .description("run the full protocol for a run.toml with a [learning] table: acquire, freeze, evaluate matched trials, analyse")
    .requiredOption("--config <run.toml>", "run config with [learning] (methods, feedback level, acquisition trials)")
    // written out so that registering the command does not load the protocol (a test keeps it equal to PHASES)
    .option("--phase <phase>", "run one phase only: acquire | freeze | evaluate | analyse")
    .option("--id <id>", "run id: results/<id>/; the same id resumes")
    .option("--asset-cache <dir>", "where [[environment.assets]] are fetched from (default $SKILLDELTA_ASSET_CACHE, else ~/.cache/skilldelta/assets)")
    .option("--json", "print the protocol state as JSON")
    .option("-q, --quiet", "no progress display")
    .addHelpText(
      "after",
      `
Every phase resumes: run the same command again after a crash or Ctrl-C. Evaluation starts only
after every library is frozen; a library that changed after the freeze refuses to resume.

Layout: results/<id>/{protocol.json, acquire/, learned/, learning/, run.json, trials.jsonl,
trials/, libraries/<condition>/<digest>/, summary.json}

Example:
  OPENAI_API_KEY=sk-... skilldelta protocol --config examples/methods/protocol-openai.toml`,
    )
    .action(async (flags: { config: string; phase?: string; id?: string; assetCache?: string; json?: boolean; quiet?: boolean }) => {
      const { PHASES, runProtocol } = await import("../../protocol/index.ts");
      const { loadRunConfig } = await import("../../run/index.ts");
      if (flags.phase !== undefined && !PHASES.includes(flags.phase as Phase)) throw new InputError(`unknown phase \`${flags.phase}\``, { field: "--phase", hint: `use one of: ${PHASES.join(", ")}` });
      const config = await loadRunConfig(flags.config, { id: flags.id });
      if (!config.learning) info("no [learning] table: defaults apply (feedback = binary, 1 acquisition attempt, no learning methods)");
      const ctx = await dockerContext({ environments: config.environments, quiet: flags.quiet, assetCache: flags.assetCache });
      const state = await runProtocol(config, { ...ctx, quiet: flags.quiet, env: process.env, baseDir: dirname(resolve(flags.config)), log: flags.quiet ? undefined : info }, flags.phase as Phase | undefined);
      if (flags.json) return printJson(state.state);
      const done = PHASES.map((p) => [p, state.state[p] ? "done" : "-"]);
      console.log(table(["phase", "status"], done));
      for (const [k, l] of Object.entries(state.state.learned)) info(`learned ${k}: ${l.method}, ${l.cost.prompt_tokens + l.cost.completion_tokens} tokens, ${l.cost.seconds.toFixed(1)} s${l.cost.scripted_model ? " (scripted mock model: a dry run)" : ""}`);
      console.log(`results in ${relative(process.cwd(), state.dir) || "."}`);
    });

  program
    .command("library")
    .description("published skill libraries")
    .command("import <dir>")
    .description("validate and copy a published library so a condition can be bound to it")
    .requiredOption("--out <dir>", "where the imported library is written (replaced)")
    .option("--layout <layout>", "skilllearnbench (<method>/<family>/<skill>/SKILL.md) | flat (<skill>/SKILL.md)", "skilllearnbench")
    .option("--json", "print the import report as JSON")
    .action(async (dir: string, flags: { out: string; layout: string; json?: boolean }) => {
      if (flags.layout !== "skilllearnbench" && flags.layout !== "flat") throw new InputError(`unknown layout \`${flags.layout}\``, { field: "--layout", hint: "use skilllearnbench or flat" });
      const { importLibrary } = await import("../../protocol/index.ts");
      const report = await importLibrary(resolve(dir), resolve(flags.out), flags.layout);
      if (flags.json) return printJson(report);
      for (const [method, fams] of Object.entries(report.imported)) for (const [fam, names] of Object.entries(fams)) info(`imported ${[method, fam].filter(Boolean).join("/") || "."}: ${names.join(", ")}`);
      for (const p of report.rejected) info(`REJECTED ${p.file}: ${p.message}`);
      console.log("\nbind in run.toml:\n[libraries]");
      for (const [c, d] of Object.entries(report.bindings)) console.log(`"${c}" = "${relative(process.cwd(), d)}"`);
      if (report.rejected.length) process.exitCode = 1;
    });
}
