import type { Command } from "commander";
import { info, printJson, table } from "../output.ts";

/** `skilldelta env build|list`: the offline base image and the family environments. */
export function registerEnvCommands(program: Command): void {
  const env = program.command("env").description("offline environments: the debootstrap base image and the family images built FROM it");

  env
    .command("build")
    .description("build the base (debootstrap + docker import) and environments; unchanged ones are a no-op")
    .argument("[names...]", "environments to build (default: all under environments/)")
    .option("--dir <dirs...>", "extra folders holding environments")
    .option("--json", "print JSON")
    .addHelpText("after", "\nImages are tagged by content (skilldelta-base:<digest>, skilldelta-env/<name>:<digest>); package manifests go to environments/<name>/manifest.txt.\nNeeds root for debootstrap on the first build.\nExample:\n  skilldelta env build ledger")
    .action(async (names: string[], opts: { dir?: string[]; json?: boolean }) => {
      const { createResolver, listEnvironments } = await import("../../sandbox/index.ts");
      const t0 = Date.now();
      const resolver = createResolver({ environmentsDirs: opts.dir, onLog: (name, line) => (opts.json ? undefined : process.stderr.write(`[${name}] ${line}\n`)) });
      await resolver.base();
      const wanted = names.length ? names : (await listEnvironments(opts.dir)).map((e) => e.name);
      for (const name of wanted) await resolver.environment(name);
      const built = resolver.resolved();
      if (opts.json) return printJson({ environments: built, seconds: (Date.now() - t0) / 1000 });
      console.log(table(["environment", "tag", "built now", "seconds"], built.map((b) => [b.name, b.tag, b.built ? "yes" : "cached", b.seconds.toFixed(1)])));
      info(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });

  env
    .command("list")
    .description("list environments found under environments/ (and --dir)")
    .option("--dir <dirs...>", "extra folders holding environments")
    .option("--json", "print JSON")
    .action(async (opts: { dir?: string[]; json?: boolean }) => {
      const { listEnvironments } = await import("../../sandbox/index.ts");
      const envs = await listEnvironments(opts.dir);
      if (opts.json) return printJson(envs);
      console.log(table(["environment", "dir"], envs.map((e) => [e.name, e.dir])));
    });
}
