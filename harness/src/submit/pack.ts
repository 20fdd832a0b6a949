import { lstat, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix, relative, resolve, sep } from "node:path";
import * as tar from "tar";
import { analyseRun } from "../analysis/index.ts";
import { InputError } from "../core/errors.ts";
import { HARNESS_VERSION } from "../run/host.ts";
import { BUNDLE_MANIFEST_VERSION, BundleManifestSchema, MANIFEST_NAME, RUN_PREFIX, hashFile, type BundleManifest, type BundleMember } from "./manifest.ts";
import { finalStateDirs, libraryProblems, loadRunDir, protocolProblems, refuse, suiteProblems, type RunProblem } from "./run-checks.ts";

export interface PackOptions {
  /** results/<run-id> */
  runDir: string;
  /** bundle file to write (default `<run-id>.skilldelta-bundle.tgz` in the current directory) */
  out?: string;
  /** the published suite's task directories (default: the run's own `tasks`) */
  suite?: string[];
  /** seed of the summary's bootstrap (recorded in summary.json; verify reuses it) */
  seed?: number;
}

export interface PackResult {
  bundle: string;
  manifest: BundleManifest;
}

/**
 * `skilldelta submit pack`: checks a run against the submission rules, recomputes its
 * summary, and writes one gzipped tar: manifest.json (sha256 of every member) plus `run/`
 * with run.json, trials.jsonl, summary.json, task pages, the frozen libraries and every final
 * trial's directory (logs, trajectory, archived final state).
 * @throws InputError listing every rule the run breaks
 */
export async function packRun(opts: PackOptions): Promise<PackResult> {
  const runDir = resolve(opts.runDir);
  const loaded = await loadRunDir(runDir);
  const suite = opts.suite ?? ((loaded.run.config.tasks as string[] | undefined) ?? []);
  const problems: RunProblem[] = [...protocolProblems(loaded), ...(await libraryProblems(loaded))];
  const { problems: suiteIssues, checked } = await suiteProblems(loaded, suite);
  problems.push(...suiteIssues);
  if (problems.length) refuse("the run cannot be submitted", join(runDir, "run.json"), problems, "fix the run (or re-run it with the published suite, k ≥ 5 and no overrides) and pack again");

  await analyseRun(runDir, { seed: opts.seed ?? 1 });
  const finals = await finalStateDirs(loaded);
  const relMembers = ["run.json", "trials.jsonl", "summary.json"];
  relMembers.push(...(await filesUnder(runDir, "tasks")));
  for (const [key, digest] of Object.entries(loaded.run.lock.libraries)) {
    if (digest === "none") continue;
    relMembers.push(...(await filesUnder(runDir, posix.join("libraries", key.split("|")[0]!.replace(/[^\w.-]/g, "_"), digest.slice(0, 16)))));
  }
  for (const r of loaded.records.values()) relMembers.push(...(await filesUnder(runDir, r.artifacts_dir.split(sep).join("/"))));
  const unique = [...new Set(relMembers)].sort();

  const members: BundleMember[] = [];
  for (const rel of unique) {
    const { sha256, bytes } = await hashFile(join(runDir, rel));
    members.push({ path: `${RUN_PREFIX}/${rel}`, sha256, bytes });
  }
  const manifest = BundleManifestSchema.parse({
    schema: "skilldelta.bundle",
    version: BUNDLE_MANIFEST_VERSION,
    run_id: loaded.run.id,
    created_at: new Date().toISOString(),
    harness_version: HARNESS_VERSION,
    checks: { trials_per_cell: Number(loaded.run.config.trials), cells: loaded.records.size, final_states: finals.length, suite_tasks_checked: checked },
    members,
  });

  const bundle = resolve(opts.out ?? `${loaded.run.id}.skilldelta-bundle.tgz`);
  const staging = await mkdtemp(join(tmpdir(), "sd-pack-"));
  try {
    // `run/` in the staging dir is a link to the run: member paths resolve through it, while
    // only the listed regular files (never the link itself) become entries
    await symlink(runDir, join(staging, RUN_PREFIX), "dir");
    await writeFile(join(staging, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
    await tar.c({ cwd: staging, portable: true, gzip: true, file: bundle, noDirRecurse: true }, [MANIFEST_NAME, ...members.map((m) => m.path)]);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { bundle, manifest };
}

/**
 * Regular files under `rel` (posix, relative to `root`), sorted. Links and special files are
 * refused: a bundle carries only bytes, never pointers to the packer's filesystem.
 * @throws InputError on a symlink or special file
 */
async function filesUnder(root: string, rel: string): Promise<string[]> {
  const abs = join(root, ...rel.split("/"));
  const st = await lstat(abs).catch(() => undefined);
  if (!st) return [];
  if (st.isSymbolicLink()) throw new InputError(`\`${rel}\` is a symbolic link; bundles hold only regular files`, { file: abs, hint: "replace the link with the file it points to" });
  if (st.isFile()) return [rel];
  if (!st.isDirectory()) throw new InputError(`\`${rel}\` is not a regular file`, { file: abs });
  const out: string[] = [];
  for (const name of (await readdir(abs)).sort()) out.push(...(await filesUnder(root, posix.join(rel, name))));
  return out;
}

/** Posix path of `file` relative to `root`. */
export function relPosix(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}
