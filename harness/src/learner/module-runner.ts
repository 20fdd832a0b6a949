// Child-process entry for `kind = "module"` methods, started under the leakage guard:
//   node module-runner.ts <module> <export> <context.json> <outDir> <options-json>
// The module's export is a Learner or a factory `(options) => Learner`.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { LearningContextSchema } from "./context.ts";
import type { Learner } from "./types.ts";

const [module, exportName, contextFile, outDir, options] = process.argv.slice(2) as [string, string, string, string, string];
const mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
const exported = mod[exportName];
const learner = (typeof exported === "function" ? (exported as (o: unknown) => Learner)(JSON.parse(options)) : exported) as Learner | undefined;
if (!learner || typeof learner.learn !== "function") {
  console.error(`${module}: export \`${exportName}\` is not a Learner (an object with learn(ctx, rt)) or a factory returning one`);
  process.exit(2);
}
const ctx = LearningContextSchema.parse(JSON.parse(await readFile(contextFile, "utf8")));
const cost = await learner.learn(ctx, { outDir, workDir: dirname(contextFile), env: process.env, log: (l) => console.error(l) });
await writeFile(process.env.SKILLDELTA_USAGE ?? join(dirname(contextFile), "usage.json"), JSON.stringify(cost));
