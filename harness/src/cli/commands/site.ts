import type { Command } from "commander";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../core/errors.ts";
import { buildSite, previewSite, siteRoot } from "../../../../site/tools/build.ts";

/**
 * `skilldelta site build|serve`: the static leaderboard (site/, Astro). The build reads
 * `<results>/*\/summary.json` and tasks/*.json as the analysis wrote them; it recomputes nothing.
 */
export function registerSiteCommands(program: Command): void {
  const site = program.command("site").description("build or serve the static leaderboard site from results/*/summary.json");
  site
    .command("build")
    .description("build the site (Astro, static output)")
    .option("--results <dir>", "results directory to render ($SKILLDELTA_RESULTS, else ./results)")
    .option("--out <dir>", "output directory", resolve(siteRoot, "dist"))
    .addHelpText("after", "\nExample:\n  skilldelta analyse results/my-run && skilldelta site build && skilldelta site serve")
    .action(async (opts: { results?: string; out: string }) => {
      const results = resolve(opts.results ?? process.env.SKILLDELTA_RESULTS ?? "results");
      if (!existsSync(results)) throw new InputError("results directory not found", { file: results, hint: "pass --results <dir> or run from the repository root" });
      const r = await buildSite({ results, out: opts.out, inherit: true });
      process.stdout.write(`site built in ${r.seconds.toFixed(1)} s: ${r.out}\n`);
    });
  site
    .command("serve")
    .description("serve a built site (astro preview)")
    .option("--port <n>", "port", "4321")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--out <dir>", "built site directory", resolve(siteRoot, "dist"))
    .action(async (opts: { port: string; host: string; out: string }) => {
      if (!existsSync(resolve(opts.out, "index.html"))) throw new InputError("no built site here", { file: opts.out, hint: "run `skilldelta site build` first" });
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`--port must be 1-65535, got ${opts.port}`, { field: "--port", hint: "e.g. --port 4321" });
      const child = previewSite({ out: opts.out, port, host: opts.host });
      await new Promise<void>((res) => child.on("close", () => res()));
    });
}
