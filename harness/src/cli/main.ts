import { Command, CommanderError } from "commander";
import { SkillDeltaError } from "../core/errors.ts";
import { HARNESS_VERSION } from "../run/host.ts";
import { registerCommands } from "./commands/index.ts";

/**
 * `skilldelta`: exit codes 0 ok, 1 a check failed (a task, a verification), 2 usage or input
 * error (bad flag, bad file). Errors print one readable line with a hint, never a stack,
 * unless SKILLDELTA_DEBUG is set.
 */
const program = new Command("skilldelta")
  .description("Benchmark harness for agent skills: pinned sandboxed tasks under no-skill, raw-trace, curated and self-evolved conditions, matched-trial statistics.")
  .version(HARNESS_VERSION)
  .showHelpAfterError("(run with --help for usage)")
  .configureHelp({ sortSubcommands: false })
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // help and version are successes; every other commander error is a usage error
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help" ? 0 : 2;
  }
  if (error instanceof SkillDeltaError) {
    process.stderr.write(`skilldelta: ${error.format()}\n`);
    if (process.env.SKILLDELTA_DEBUG) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  process.stderr.write(`skilldelta: unexpected error: ${error instanceof Error ? (process.env.SKILLDELTA_DEBUG ? error.stack : error.message) : String(error)}\n`);
  if (!process.env.SKILLDELTA_DEBUG) process.stderr.write("(set SKILLDELTA_DEBUG=1 for the stack trace)\n");
  return 2;
}
