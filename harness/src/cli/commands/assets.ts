import type { Command } from "commander";
import { basename, relative } from "node:path";
import type { TaskAsset } from "../../task/index.ts";
import { checkFailed, info, printJson, table } from "../output.ts";
import { loadForCommand, problemsOf, reportProblems } from "./tasks.ts";

const CACHE_HELP = "asset cache directory (default $SKILLDELTA_ASSET_CACHE, else ~/.cache/skilldelta/assets)";

/** `skilldelta assets add|check`: the local cache behind task.toml `[[environment.assets]]`. */
export function registerAssetCommands(program: Command): void {
  const assets = program
    .command("assets")
    .description("large task files (videos, images, data) kept out of git: a local cache pinned by sha256, declared as [[environment.assets]] in task.toml");

  assets
    .command("add")
    .description("copy files into the asset cache and print each one's sha256 and the task.toml lines that declare it")
    .argument("<files...>", "files to add")
    .option("--asset-cache <dir>", CACHE_HELP)
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
The cache keeps one read-only file per sha256; adding the same bytes twice is free, and adding
a file whose entry is damaged replaces the entry. Paste the printed lines into task.toml and
set dest to where the Dockerfile expects the file inside environment/ (the build context):

  [[environment.assets]]
  name = "clip-1"
  sha256 = "<64 hex digits>"
  bytes = 7340032
  dest = "data/clip-1.mp4"          # then in the Dockerfile: COPY data/clip-1.mp4 /root/data/

Example:
  skilldelta assets add ~/media/clip-1.mp4 ~/media/clip-2.mp4`,
    )
    .action(async (files: string[], opts: { assetCache?: string; json?: boolean }) => {
      const { addAsset, assetCacheDir } = await import("../../task/index.ts");
      const cache = assetCacheDir(opts.assetCache);
      const added = [];
      for (const file of files) added.push(await addAsset(file, cache));
      if (opts.json) return printJson({ cache, assets: added.map((a) => ({ ...a, toml: snippet(a) })) });
      for (const a of added) {
        info(`${a.added ? "added" : "already cached"} ${relative(process.cwd(), a.file) || a.file} → ${a.path} (${a.bytes} bytes)`);
        console.log(`${snippet(a)}\n`);
      }
    });

  assets
    .command("check")
    .description("list the assets tasks declare and which are missing from the cache or corrupt there (exit 1 if any)")
    .argument("[dirs...]", "task, family or suite directories", ["tasks"])
    .option("--asset-cache <dir>", CACHE_HELP)
    .option("--json", "print JSON")
    .addHelpText("after", "\nEvery cached asset is hashed, so this reads each file once.\nExit code 0 when every declared asset is present and intact, 1 otherwise.\nExample:\n  skilldelta assets check tasks/")
    .action(async (dirs: string[], opts: { assetCache?: string; json?: boolean }) => {
      const { assetCacheDir, checkAsset, taskAssets, ADD_COMMAND } = await import("../../task/index.ts");
      const cache = assetCacheDir(opts.assetCache);
      const r = await loadForCommand(dirs);
      const rows = [];
      for (const task of r.tasks) for (const asset of taskAssets(task)) rows.push({ task: task.id, ...(await checkAsset(asset, cache)) });
      const bad = rows.filter((s) => s.state !== "ok");
      if (opts.json) {
        printJson({ cache, assets: rows.map((s) => ({ task: s.task, ...s.asset, state: s.state, path: s.path, ...(s.actual ? { actual: s.actual } : {}) })), problems: problemsOf(r) });
      } else {
        if (rows.length) console.log(table(["task", "asset", "state", "bytes", "sha256", "dest"], rows.map((s) => [s.task, s.asset.name, s.state, s.asset.bytes ?? "", s.asset.sha256.slice(0, 12), s.asset.dest])));
        for (const s of bad) info(`${s.state}: ${s.task} asset \`${s.asset.name}\` (sha256 ${s.asset.sha256})${s.state === "corrupt" ? ` — ${s.path} holds ${s.actual?.sha256 ? `sha256 ${s.actual.sha256}, ` : ""}${s.actual?.bytes} bytes` : ""}`);
        reportProblems(r);
        info(`${rows.length} asset(s) in ${r.tasks.length} task(s): ${rows.length - bad.length} ok, ${bad.filter((s) => s.state === "missing").length} missing, ${bad.filter((s) => s.state === "corrupt").length} corrupt · cache ${cache}`);
        if (bad.length) info(`fix: \`${ADD_COMMAND} <file>\` for each missing or corrupt asset${opts.assetCache ? ` --asset-cache ${opts.assetCache}` : ""}`);
      }
      if (bad.length || r.problems.length) throw checkFailed(`${bad.length} asset(s) missing or corrupt, ${r.problems.length} problem(s)`);
    });
}

/** The task.toml lines declaring an added file; name and dest are guesses the author edits. */
function snippet(a: { file: string; sha256: string; bytes: number }): string {
  const file = basename(a.file);
  const name = file.replace(/\.[^.]*$/, "").replace(/[^\w.-]/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "asset";
  const entry: TaskAsset = { name, sha256: a.sha256, bytes: a.bytes, dest: `data/${file}` };
  return ["[[environment.assets]]", ...Object.entries(entry).map(([k, v]) => `${k} = ${JSON.stringify(v)}`)].join("\n");
}
