import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { analyseRun, bootstrapMean, makeRng, ratePart, type Summary } from "../src/analysis/index.ts";
import { dockerContext } from "../src/cli/docker-context.ts";
import { executeRun, readRunJson, runConfigFromFlags, selectTasks } from "../src/run/index.ts";
import { compareSummaries, freshSeed, packRun, reproduceBundle, verifyBundle, type ReproduceDeps, type ReproduceReport } from "../src/submit/index.ts";
import { agentProblems } from "../src/submit/reproduce-checks.ts";

// One real run (probe task, oracle agent: curated passes, no-skill fails, deterministically; k = 5
// as pack requires) is packed; the reproduction re-runs it in fresh containers. The doctored
// bundle claims no-skill passed, consistently: journal, summary and manifest all agree, so it
// passes verify, and only a re-run shows the lie.
const PROBE = join(import.meta.dirname, "fixtures/tasks/probe");
const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "harness/bin/skilldelta.js");
const run = promisify(execFile);

/** Runs the CLI; resolves with the exit code and both streams (never rejects on exit ≠ 0). */
async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 16 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

/** The bundle with every no-skill trial rewritten as passed, summary recomputed, manifest re-hashed. */
async function doctored(bundle: string, work: string): Promise<string> {
  const dir = join(work, "doctored");
  await mkdir(dir, { recursive: true });
  await tar.x({ file: bundle, cwd: dir });
  const journal = join(dir, "run/trials.jsonl");
  const lines = (await readFile(journal, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of lines) if (r.condition === "no-skill") Object.assign(r, { outcome: "passed", reward: 1 });
  await writeFile(journal, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  const summary = JSON.parse(await readFile(join(dir, "run/summary.json"), "utf8")) as { method: { seed: number } };
  await analyseRun(join(dir, "run"), { seed: summary.method.seed });
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as { members: { path: string; sha256: string; bytes: number }[] };
  for (const m of manifest.members) {
    const body = await readFile(join(dir, m.path));
    m.sha256 = createHash("sha256").update(body).digest("hex");
    m.bytes = body.length;
  }
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
  const out = join(work, "doctored.tgz");
  await tar.c({ cwd: dir, gzip: true, file: out, portable: true }, await readdir(dir));
  return out;
}

describe("submit reproduce", () => {
  let work: string;
  let suite: string;
  let bundle: string;
  let deps: ReproduceDeps;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "sd-reproduce-test-"));
    suite = join(work, "suite");
    await cp(PROBE, suite, { recursive: true });
    const config = runConfigFromFlags({ id: "sub", results_dir: join(work, "submitted"), tasks: [suite], environments: inject("environmentsDirs"), conditions: ["no-skill", "curated"], agents: [{ kind: "oracle", id: "oracle" }], trials: 5, concurrency: 4 });
    const { tasks } = await selectTasks(config);
    deps = await dockerContext({ environments: config.environments, quiet: true });
    const submitted = await executeRun(config, tasks, { ...deps, quiet: true });
    expect(submitted.run.status).toBe("finished");
    bundle = (await packRun({ runDir: submitted.dir, out: join(work, "sub.tgz") })).bundle;
  }, 300_000);
  afterAll(async () => { await rm(work, { recursive: true, force: true }); });

  let agreed: ReproduceReport;
  it("an honest bundle reproduces: every row agrees, tier reproduced, run.json and summary say so", async () => {
    // the environments the CLI below passes too, so its call resumes this reproduction
    agreed = await reproduceBundle({ bundle, suite: [suite], environments: [join(ROOT, "environments"), ...inject("environmentsDirs")], resultsDir: join(work, "results"), concurrency: 4, quiet: true }, deps);
    expect(agreed.agrees).toBe(true);
    expect(agreed.tier).toBe("reproduced");
    expect(agreed.reproduction).toMatchObject({ trials: 5, submitted_trials: 5, seed_mode: "fresh", submitted_seed: 1, ran_now: 10 });
    expect(agreed.reproduction.seed).toBe(freshSeed("sub", 1));
    expect(agreed.reproduction.seed).not.toBe(1);
    expect(agreed.rows.map((r) => `${r.kind} ${r.label} ${r.agree}`).sort()).toEqual(["delta curated − no-skill true", "pass-rate curated true", "pass-rate no-skill true"]);
    expect(agreed.rows.find((r) => r.kind === "delta")!.reproduced).toMatchObject({ estimate: 1 });
    const runJson = await readRunJson(join(agreed.reproduction.dir, "run.json"));
    expect(runJson!.attestation).toBe("reproduced");
    expect(runJson!.config.seed).toBe(agreed.reproduction.seed);
    const summary = JSON.parse(await readFile(join(agreed.reproduction.dir, "summary.json"), "utf8")) as { run: { attestation: string } };
    expect(summary.run.attestation).toBe("reproduced");
    const kept = JSON.parse(await readFile(join(agreed.reproduction.dir, "reproduction.json"), "utf8")) as ReproduceReport;
    expect(kept.agrees).toBe(true);
  }, 300_000);

  it("a bundle that verifies but lies is caught: the CLI names the rows and exits 1, the reproduction loses its tier", async () => {
    const lie = await doctored(bundle, work);
    const verified = await verifyBundle({ bundle: lie, suite: [suite] });
    expect(verified.tier).toBe("self-reported");
    expect(verified.rows.find((r) => r.condition === "no-skill")!.pass_rate).toBe(1);

    // same run id and seed as the honest bundle, so this resumes the reproduction above (no new trials)
    const args = ["submit", "reproduce", lie, "--suite", suite, "--env-dir", ...inject("environmentsDirs"), "--results", join(work, "results"), "-c", "4"];
    const json = await cli([...args, "--json"], ROOT);
    expect(json.code, json.stderr).toBe(1);
    const report = JSON.parse(json.stdout) as ReproduceReport;
    expect(report.agrees).toBe(false);
    expect(report.tier).toBe("self-reported");
    expect(report.reproduction.ran_now + report.reproduction.resumed).toBe(10);
    expect(report.disagreements.map((d) => `${d.kind} ${d.label}`).sort()).toEqual(["delta curated − no-skill", "pass-rate no-skill"]);
    expect(report.disagreements.find((d) => d.kind === "pass-rate")).toMatchObject({ submitted: { estimate: 1 }, reproduced: { estimate: 0 } });
    expect(json.stderr).toMatch(/2 row\(s\) disagree with the reproduction: no-skill \(oracle\), curated − no-skill \(oracle\)/);
    expect((await readRunJson(join(report.reproduction.dir, "run.json")))!.attestation).toBe("self-reported");

    const text = await cli(args, ROOT);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/no-skill\s+oracle\s+100\.0% \[100\.0%, 100\.0%\]\s+0\.0% \[0\.0%, 0\.0%\]\s+100\.0% \[100\.0%, 100\.0%\]\s+1\s+DISAGREES: .* excludes 0/);
    expect(text.stdout).toMatch(/curated\s+oracle\s+100\.0% .* agrees/);
    expect(text.stdout).toMatch(/attestation: self-reported \(2 of 3 row\(s\) disagree\)/);
  }, 300_000);

  it("refuses a local suite whose task changed, and a bundle that fails verify (exit 2, nothing run)", async () => {
    const changed = join(work, "suite-changed");
    await cp(suite, changed, { recursive: true });
    const test = join(changed, "tiny-skill/tests/test.sh");
    await writeFile(test, (await readFile(test, "utf8")).replace("tiny-greeting-42", "tiny-greeting-43"));
    await expect(reproduceBundle({ bundle, suite: [changed], environments: inject("environmentsDirs"), resultsDir: join(work, "refused"), quiet: true }, deps))
      .rejects.toThrow(/cannot reproduce: the local suite differs from the bundle's lock:\n\s+lock\.tasks\.tiny-skill\.digest: task tiny-skill changed: the bundle ran [0-9a-f]{12}, the local suite has [0-9a-f]{12}/);
    const r = await cli(["submit", "reproduce", bundle, "--suite", changed, "--env-dir", ...inject("environmentsDirs"), "--results", join(work, "refused")], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reproduce: the local suite differs .*\n.*task tiny-skill changed.* — check out the suite the submission ran \(harness /);
    await expect(readdir(join(work, "refused"))).rejects.toThrow(/ENOENT/);

    const broken = join(work, "broken.tgz");
    await writeFile(broken, (await readFile(bundle)).subarray(0, 2000));
    const b = await cli(["submit", "reproduce", broken, "--suite", suite, "--results", join(work, "refused")], ROOT);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bundle/i);
  }, 120_000);
});

describe("reproduce rules without containers", () => {
  it("an openai agent without the maintainer's endpoint variables is refused by name", () => {
    const loaded = { dir: "/x", records: new Map(), run: { config: { agents: [{ kind: "openai", id: "m1", model: "gpt-x", api_key_env: "SD_TEST_KEY", base_url_env: "SD_TEST_URL" }, { kind: "nop", id: "nop" }] } } } as never;
    const missing = agentProblems(loaded, {}).problems;
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toMatch(/agent `m1` \(openai, model gpt-x\) needs the maintainer's endpoint: set SD_TEST_KEY \(and SD_TEST_URL for a non-OpenAI endpoint\)/);
    expect(agentProblems(loaded, { SD_TEST_URL: "http://127.0.0.1:9/v1" }).problems).toEqual([]);
  });

  // False alarms and power of the agreement rule, measured through compareSummaries on simulated
  // summaries (two conditions and their contrast: 3 rows; k = 5; true rates spread over 0.1–0.8),
  // beside the CI-overlap rule (submitted value inside the reproduction's CI widened by its own).
  it("the agreement rule rarely flags an honest re-run and catches a +0.3 lie even on 8 tasks", () => {
    const rng = makeRng(7, "simulate");
    const binom = (p: number) => { let c = 0; for (let i = 0; i < 5; i++) if (rng.float() < p) c++; return c; };
    const fake = (counts: { a: number; b: number }[], seed: number): Summary => {
      const macro = (xs: number[]) => bootstrapMean(xs.map((c) => ({ parts: [ratePart(5, c)] })), { rng: makeRng(seed, "m"), resamples: 500, withinTasks: true });
      return {
        methods: [
          { id: "o::no-skill", pooled: false, agent: "o", agent_label: "o", condition: "no-skill", macro: macro(counts.map((c) => c.a)) },
          { id: "o::curated", pooled: false, agent: "o", agent_label: "o", condition: "curated", macro: macro(counts.map((c) => c.b)) },
        ],
        contrasts: [{ id: "o::curated::vs::no-skill", pooled: false, agent: "o", agent_label: "o", a: "curated", b: "no-skill", delta: null }],
        tasks: counts.map((c, t) => ({ task: `t${t}`, cells: [{ agent: "o", condition: "no-skill", scored: 5, passed: c.a }, { agent: "o", condition: "curated", scored: 5, passed: c.b }] })),
      } as unknown as Summary;
    };
    const measure = (tasks: number, reps: number) => {
      const p = Array.from({ length: tasks }, (_, t) => 0.1 + (0.7 * t) / Math.max(1, tasks - 1));
      const draw = (lie: number) => p.map((x) => ({ a: binom(x * 0.5), b: binom(Math.min(1, x + lie)) }));
      let falseAlarms = 0, caught = 0, overlapCaught = 0;
      for (let i = 0; i < reps; i++) {
        const rep = fake(draw(0), i);
        const honest = fake(draw(0), i + 1e6);
        const lying = fake(draw(0.3), i + 2e6);
        if (compareSummaries(honest, rep, { seed: i, resamples: 500 }).some((r) => !r.agree)) falseAlarms++;
        if (compareSummaries(lying, rep, { seed: i, resamples: 500 }).some((r) => !r.agree)) caught++;
        const [s, r] = [lying.methods[1]!.macro!, rep.methods[1]!.macro!];
        if (s.estimate < r.lo - (s.hi - s.estimate) || s.estimate > r.hi + (s.estimate - s.lo)) overlapCaught++;
      }
      console.log(`[agreement rule] ${tasks} tasks, k=5, ${reps} simulated pairs: honest flagged ${falseAlarms}, +0.3 lie caught ${caught} (CI-overlap rule on the curated row: ${overlapCaught})`);
      return { falseAlarms: falseAlarms / reps, caught: caught / reps, overlap: overlapCaught / reps };
    };
    const small = measure(8, 300);
    expect(small.falseAlarms).toBeLessThan(0.05);
    expect(small.caught).toBeGreaterThan(0.5);
    expect(small.caught).toBeGreaterThan(small.overlap);
    const large = measure(40, 100);
    expect(large.falseAlarms).toBeLessThan(0.06);
    expect(large.caught).toBeGreaterThan(0.95);
  });
});
