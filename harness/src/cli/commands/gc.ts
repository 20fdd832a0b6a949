import type { Command } from "commander";
import { info, printJson } from "../output.ts";

/** `skilldelta gc`: remove containers left behind by runs whose process is gone. */
export function registerGcCommand(program: Command): void {
  program
    .command("gc")
    .description("remove SkillDelta containers left by crashed or killed runs (labelled skilldelta.run, owner process gone)")
    .option("--all", "remove every SkillDelta container, even of runs still in progress")
    .option("--run <id>", "only containers of this run")
    .option("--json", "print JSON")
    .addHelpText("after", "\nA normal run leaves no container behind; gc is for runs killed with SIGKILL or a crashed daemon.\nExample:\n  skilldelta gc")
    .action(async (opts: { all?: boolean; run?: string; json?: boolean }) => {
      const { gcLeftovers } = await import("../../sandbox/index.ts");
      const result = await gcLeftovers({ all: opts.all, runId: opts.run });
      if (opts.json) return printJson(result);
      for (const e of result.removed) info(`removed ${e.name} (run ${e.run}): ${e.reason}`);
      info(`${result.removed.length} container(s) removed, ${result.kept.length} kept (their run is still in progress)`);
    });
}
