import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { analyseRun, SummarySchema, type Summary } from "../analysis/index.ts";
import { stableStringify } from "../core/digest.ts";
import { InputError } from "../core/errors.ts";
import { parseOrThrow } from "../core/zod-errors.ts";
import { extractScreened, screenArchive } from "./archive.ts";
import { BundleManifestSchema, MANIFEST_NAME, RUN_PREFIX, hashFile, type AttestationTier, type BundleManifest } from "./manifest.ts";
import { regradeRun, type RegradeDeps, type RegradeReport } from "./regrade.ts";
import { finalStateDirs, libraryProblems, loadRunDir, protocolProblems, refuse, suiteProblems } from "./run-checks.ts";

export interface VerifyOptions {
  bundle: string;
  /** also re-grade the archived final states (needs Docker and the suite's task directories) */
  regrade?: { deps: RegradeDeps; tasks?: string[]; concurrency?: number };
  /** check task digests against these suite directories */
  suite?: string[];
  /** keep the extracted bundle here instead of a temporary directory */
  extractTo?: string;
}

/** One leaderboard row as the site will show it. */
export interface LeaderboardRow {
  condition: string;
  agent: string;
  pass_rate: number | null;
  ci: [number, number] | null;
  scored: number;
  excluded: number;
}

export interface VerifyReport {
  run_id: string;
  tier: AttestationTier;
  members: number;
  final_states: number;
  suite_tasks_checked: number;
  rows: LeaderboardRow[];
  regrade?: RegradeReport;
}

/**
 * `skilldelta submit verify`: the bundle's members match the manifest byte for byte (no more,
 * no fewer), no archive in it holds an absolute path, `..` or a link, libraries still hash to
 * their frozen digests, the run obeys the submission rules, and summary.json recomputes
 * exactly from the trials with its recorded seed. With `regrade`, final states are re-graded.
 * @throws InputError with the first class of tampering found and what to do
 */
export async function verifyBundle(opts: VerifyOptions): Promise<VerifyReport> {
  const bundle = resolve(opts.bundle);
  const dir = opts.extractTo ?? (await mkdtemp(join(tmpdir(), "sd-verify-")));
  try {
    const entries = await extractScreened(bundle, dir, "the bundle");
    const manifest = await readManifest(bundle, dir);
    const listed = new Map(manifest.members.map((m) => [m.path, m]));
    for (const e of entries) {
      if (e.type === "File" && e.path !== MANIFEST_NAME && !listed.has(e.path)) throw new InputError(`bundle member \`${e.path}\` is not in the manifest`, { file: bundle, hint: "the bundle was changed after packing; pack it again" });
    }
    for (const m of manifest.members) {
      const actual = await hashFile(join(dir, ...m.path.split("/"))).catch(() => undefined);
      if (!actual) throw new InputError(`bundle member \`${m.path}\` listed in the manifest is missing`, { file: bundle, hint: "the bundle is incomplete; pack it again" });
      if (actual.sha256 !== m.sha256) throw new InputError(`hash mismatch for \`${m.path}\`: manifest ${m.sha256.slice(0, 16)}…, file ${actual.sha256.slice(0, 16)}…`, { file: bundle, hint: "the member was changed after packing" });
    }
    const runDir = join(dir, RUN_PREFIX);
    for (const m of manifest.members.filter((x) => x.path.endsWith("/final-state.tar"))) await screenArchive(join(dir, ...m.path.split("/")), `final state \`${m.path}\``);

    const loaded = await loadRunDir(runDir);
    const rules = [...protocolProblems(loaded), ...(await libraryProblems(loaded))];
    if (rules.length) refuse("the bundled run breaks the submission rules", bundle, rules, "libraries must not change after the freeze; re-run and pack again");
    let checked = 0;
    if (opts.suite) {
      const s = await suiteProblems(loaded, opts.suite);
      if (s.problems.length) refuse("the bundled run does not match the suite", bundle, s.problems, "the run must use the published suite unchanged");
      checked = s.checked;
    }

    const bundled = parseOrThrow(SummarySchema, JSON.parse(await readFile(join(runDir, "summary.json"), "utf8")), `${bundle}:run/summary.json`);
    const m = bundled.method;
    const { summary } = await analyseRun(runDir, { seed: m.seed, resamples: m.bootstrap_resamples, withinTasks: m.within_tasks, level: m.level, exactMax: m.permutation_exact_max, draws: m.permutation_draws });
    const diffs = diffJson(bundled, summary);
    if (diffs.length) throw new InputError(`summary.json does not recompute from the trials (${diffs.length} difference(s)): ${diffs.slice(0, 3).join("; ")}`, { file: bundle, hint: "the summary or the journal was edited; summaries are always recomputed, never trusted" });

    const finals = await finalStateDirs(loaded);
    let tier: AttestationTier = "self-reported";
    let regrade: RegradeReport | undefined;
    if (opts.regrade) {
      regrade = await regradeRun(loaded, opts.regrade.deps, { tasks: opts.regrade.tasks ?? opts.suite, concurrency: opts.regrade.concurrency });
      if (regrade.checked > 0 && regrade.disagreements.length === 0 && regrade.task_changes.length === 0 && regrade.checked === finals.length) tier = "re-graded";
    }
    return { run_id: manifest.run_id, tier, members: manifest.members.length, final_states: finals.length, suite_tasks_checked: checked, rows: leaderboardRows(summary), ...(regrade ? { regrade } : {}) };
  } finally {
    if (!opts.extractTo) await rm(dir, { recursive: true, force: true });
  }
}

async function readManifest(bundle: string, dir: string): Promise<BundleManifest> {
  const text = await readFile(join(dir, MANIFEST_NAME), "utf8").catch(() => undefined);
  if (text === undefined) throw new InputError("the bundle has no manifest.json", { file: bundle, hint: "create bundles with `skilldelta submit pack`" });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError("manifest.json is not valid JSON", { file: bundle });
  }
  return parseOrThrow(BundleManifestSchema, raw, `${bundle}:${MANIFEST_NAME}`);
}

/** The per-agent rows the leaderboard shows, from a (recomputed) summary. */
export function leaderboardRows(summary: Summary): LeaderboardRow[] {
  return summary.methods
    .filter((r) => !r.pooled)
    .map((r) => ({
      condition: r.condition,
      agent: r.agent_label,
      pass_rate: r.macro?.estimate ?? null,
      ci: r.macro ? ([r.macro.lo, r.macro.hi] as [number, number]) : null,
      scored: r.denominators.scored,
      excluded: r.denominators.excluded,
    }));
}

/** Paths where two JSON values differ, e.g. `methods.0.macro.estimate`. */
export function diffJson(a: unknown, b: unknown, path = ""): string[] {
  if (stableStringify(a) === stableStringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].sort().flatMap((k) => diffJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return [`${path || "(root)"}: ${JSON.stringify(a)?.slice(0, 40)} ≠ ${JSON.stringify(b)?.slice(0, 40)}`];
}
