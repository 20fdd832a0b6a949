import type { Command } from "commander";
import { InputError } from "../../core/errors.ts";
import { info, printJson } from "../output.ts";

/** Commands of the agent folder: `mock-model` (dry runs without tokens) and `trajectory` (read a trial's episode). */
export function registerAgentCommands(program: Command): void {
  program
    .command("mock-model")
    .description("serve a scripted OpenAI-compatible model (POST /v1/chat/completions) to dry-run a configuration without spending tokens")
    .requiredOption("--script <file>", "JSON script: per-turn replies, conditions on the request, injected 429/5xx/slow answers")
    .option("--port <n>", "port to listen on (0 = any free port)", "8089")
    .option("--host <addr>", "address to bind", "127.0.0.1")
    .option("--quiet", "do not log each request")
    .addHelpText(
      "after",
      [
        "",
        "Replies come from the script, not from a model: runs made against it are dry runs and are",
        "marked as scripted in their trajectories (`scripted_model: true`); they never count as model results.",
        "Example:",
        "  skilldelta mock-model --script harness/test/fixtures/agent-scripts/stamp.json --port 8089 &",
        "  OPENAI_BASE_URL=http://127.0.0.1:8089/v1 OPENAI_API_KEY=dry-run skilldelta run --config examples/run-mock-model.toml",
      ].join("\n"),
    )
    .action(async (opts: { script: string; port: string; host: string; quiet?: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`invalid port ${JSON.stringify(opts.port)}`, { field: "--port", hint: "use a number from 0 to 65535" });
      const { loadMockScript, startMockModel } = await import("../../agent/mock-model/index.ts");
      const script = await loadMockScript(opts.script);
      const server = await startMockModel(script, {
        port,
        host: opts.host,
        onRequest: opts.quiet ? undefined : (r) => info(`${r.at} turn ${r.turn} → ${r.status} (${r.answeredBy}); tools: ${r.tools.join(", ") || "(none)"}`),
      }).catch((error: unknown) => {
        throw new InputError(`cannot listen on ${opts.host}:${port}: ${(error as Error).message}`, { field: "--port", hint: "pick another port, or 0 for any free one" });
      });
      // The URL alone on stdout, so a script can capture it; the rest is for humans on stderr.
      process.stdout.write(`${server.url}\n`);
      info(`mock model "${script.model}" serving ${opts.script} at ${server.url} (scripted replies, not a model)`);
      info(`use: OPENAI_BASE_URL=${server.url} OPENAI_API_KEY=${script.require_api_key ? "<the script's require_api_key>" : "dry-run"}; Ctrl-C stops`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void server.close().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });

  program
    .command("trajectory")
    .description("print a trial's trajectory.json readably: steps, tool calls, observations, skill events, tokens")
    .argument("<trial-path>", "a trial directory (results/<run>/trials/<trial-id>) or a trajectory.json")
    .option("--json", "print the validated JSON instead")
    .option("--max-chars <n>", "characters shown per message or observation", "800")
    .addHelpText("after", "\nExample:\n  skilldelta trajectory results/my-run/trials/agent-stamp__curated__mock__0__a1")
    .action(async (path: string, opts: { json?: boolean; maxChars: string }) => {
      const { formatTrajectory, readTrajectory } = await import("../../agent/trajectory.ts");
      const { trajectory } = await readTrajectory(path);
      if (opts.json) return printJson(trajectory);
      const maxChars = Number(opts.maxChars);
      if (!Number.isInteger(maxChars) || maxChars < 1) throw new InputError(`invalid --max-chars ${JSON.stringify(opts.maxChars)}`, { field: "--max-chars", hint: "use a positive whole number" });
      process.stdout.write(`${formatTrajectory(trajectory, { maxChars })}\n`);
    });
}
