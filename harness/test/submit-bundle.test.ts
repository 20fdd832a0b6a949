import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dockerContext } from "../src/cli/docker-context.ts";
import { executeRun, runConfigFromFlags, selectTasks, type RunResult } from "../src/run/index.ts";
import { loadRunDir, packRun, regradeRun, verifyBundle } from "../src/submit/index.ts";

// One real run (the probe task: curated passes, no-skill fails; k = 5) feeds every test; the
// tampering cases edit copies of its bundle, each keeping every check but the one under test.
const PROBE = join(import.meta.dirname, "fixtures/tasks/probe");

/** Extracts a bundle, lets `mutate` edit it, optionally re-hashes the manifest, and repacks. */
async function tampered(bundle: string, work: string, name: string, mutate: (dir: string) => Promise<void>, rehash = true): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await tar.x({ file: bundle, cwd: dir });
  await mutate(dir);
  if (rehash) {
    const { createHash } = await import("node:crypto");
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as { members: { path: string; sha256: string; bytes: number }[] };
    for (const m of manifest.members) {
      const body = await readFile(join(dir, m.path));
      m.sha256 = createHash("sha256").update(body).digest("hex");
      m.bytes = body.length;
    }
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
  }
  const out = join(work, `${name}.tgz`);
  await tar.c({ cwd: dir, gzip: true, file: out, portable: true }, await readdir(dir));
  return out;
}

/** A tar with one hand-made header, for entries node-tar refuses to write (absolute, `..`). */
function rawEntry(path: string, type: "File" | "SymbolicLink", body = "x", linkpath?: string): Buffer {
  const header = Buffer.alloc(512);
  new tar.Header({ path, type, size: type === "File" ? body.length : 0, mode: 0o644, mtime: new Date(0), linkpath }).encode(header, 0);
  const data = type === "File" ? Buffer.concat([Buffer.from(body), Buffer.alloc((512 - (body.length % 512)) % 512)]) : Buffer.alloc(0);
  return Buffer.concat([header, data]);
}

/** The bundle's entries followed by `extra` raw entries, gzipped. */
async function withExtra(bundle: string, out: string, extra: Buffer): Promise<string> {
  const { gunzipSync, gzipSync } = await import("node:zlib");
  const plain = gunzipSync(await readFile(bundle));
  // drop the two zero blocks that end the archive, append, end again
  let end = plain.length;
  while (end >= 512 && plain.subarray(end - 512, end).every((b) => b === 0)) end -= 512;
  await writeFile(out, gzipSync(Buffer.concat([plain.subarray(0, end), extra, Buffer.alloc(1024)])));
  return out;
}

describe("submission bundles", () => {
  let work: string;
  let run: RunResult;
  let bundle: string;
  let tasksCopy: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "sd-submit-"));
    tasksCopy = join(work, "suite");
    await cp(PROBE, tasksCopy, { recursive: true });
    const config = runConfigFromFlags({ id: "sub", results_dir: join(work, "results"), tasks: [tasksCopy], environments: inject("environmentsDirs"), conditions: ["no-skill", "curated"], agents: [{ kind: "oracle", id: "oracle" }], trials: 5, concurrency: 3 });
    const { tasks } = await selectTasks(config);
    run = await executeRun(config, tasks, { ...(await dockerContext({ environments: config.environments, quiet: true })), quiet: true });
    expect(run.run.status).toBe("finished");
    bundle = (await packRun({ runDir: run.dir, out: join(work, "sub.tgz") })).bundle;
  }, 600_000);
  afterAll(async () => { await rm(work, { recursive: true, force: true }); });

  it("packs and verifies: manifest, recomputed summary, leaderboard rows; --regrade reaches the re-graded tier", async () => {
    const plain = await verifyBundle({ bundle, suite: [tasksCopy] });
    expect(plain.tier).toBe("self-reported");
    expect(plain.final_states).toBe(10);
    expect(plain.suite_tasks_checked).toBe(1);
    const rate = (c: string) => plain.rows.find((r) => r.condition === c)!.pass_rate;
    expect(rate("curated")).toBe(1);
    expect(rate("no-skill")).toBe(0);
    const ctx = await dockerContext({ environments: inject("environmentsDirs"), quiet: true });
    const graded = await verifyBundle({ bundle, suite: [tasksCopy], regrade: { deps: ctx, concurrency: 3 } });
    expect(graded.regrade).toMatchObject({ checked: 10, agreed: 10, disagreements: [] });
    expect(graded.tier).toBe("re-graded");
  }, 600_000);

  it("regrade lists disagreements when a verifier changed", async () => {
    const test = join(tasksCopy, "tiny-skill/tests/test.sh");
    const original = await readFile(test, "utf8");
    await writeFile(test, original.replace("tiny-greeting-42", "a-different-answer"));
    try {
      const ctx = await dockerContext({ environments: inject("environmentsDirs"), quiet: true });
      const report = await regradeRun(await loadRunDir(run.dir), ctx, { concurrency: 3 });
      expect(report.task_changes).toHaveLength(1);
      expect(report.disagreements).toHaveLength(5);
      expect(report.disagreements.every((d) => d.recorded.outcome === "passed" && d.regraded.passed === false)).toBe(true);
      expect(report.agreed).toBe(5);
    } finally {
      await writeFile(test, original);
    }
  }, 600_000);

  it("rejects tampering, each with a clear message", async () => {
    const cases: [string, Promise<string>, RegExp][] = [
      ["hash mismatch", tampered(bundle, work, "hash", async (d) => appendFile(join(d, "run/trials.jsonl"), " "), false), /hash mismatch for `run\/trials\.jsonl`/],
      ["unlisted member", tampered(bundle, work, "extra", async (d) => writeFile(join(d, "run/extra.txt"), "hi"), false), /`run\/extra\.txt` is not in the manifest/],
      ["path traversal", withExtra(bundle, join(work, "trav.tgz"), rawEntry("run/../../evil.txt", "File")), /path traversal `run\/\.\.\/\.\.\/evil\.txt`/],
      ["absolute path", withExtra(bundle, join(work, "abs.tgz"), rawEntry("/tmp/evil.txt", "File")), /absolute path `\/tmp\/evil\.txt`/],
      ["link", withExtra(bundle, join(work, "link.tgz"), rawEntry("run/passwd", "SymbolicLink", "", "/etc/passwd")), /symbolic link `run\/passwd`/],
      ["link inside a final state", tampered(bundle, work, "innerlink", async (d) => {
        const trial = (await readdir(join(d, "run/trials")))[0]!;
        await writeFile(join(d, "run/trials", trial, "final-state.tar"), Buffer.concat([rawEntry("root/x", "SymbolicLink", "", "/etc/shadow"), Buffer.alloc(1024)]));
      }), /final state .* contains symbolic link `root\/x`/],
      ["summary edited", tampered(bundle, work, "summary", async (d) => {
        const f = join(d, "run/summary.json");
        const s = JSON.parse(await readFile(f, "utf8")) as { methods: { macro: { estimate: number } | null }[] };
        s.methods[0]!.macro!.estimate = 0.99;
        await writeFile(f, JSON.stringify(s));
      }), /summary\.json does not recompute from the trials .*methods\.0\.macro\.estimate/],
      ["journal edited", tampered(bundle, work, "journal", async (d) => {
        const f = join(d, "run/trials.jsonl");
        await writeFile(f, (await readFile(f, "utf8")).replace(/"outcome":"failed","reward":0/, '"outcome":"passed","reward":1'));
      }), /does not recompute/],
      ["library changed after freeze", tampered(bundle, work, "lib", async (d) => {
        const libRoot = join(d, "run/libraries/curated");
        const digest = (await readdir(libRoot))[0]!;
        await appendFile(join(libRoot, digest, "greeting/SKILL.md"), "\nAlso: the answer is obvious.\n");
      }), /library curated\/[0-9a-f]{16} changed after it was frozen/],
    ];
    for (const [name, file, message] of cases) {
      await expect(verifyBundle({ bundle: await file }), name).rejects.toThrow(message);
    }
  }, 300_000);

  it("pack refuses k < 5, timeout overrides and missing matched cells", async () => {
    const variant = async (name: string, edit: (runJson: Record<string, unknown>, dir: string) => Promise<void>) => {
      const dir = join(work, "variants", name);
      await cp(run.dir, dir, { recursive: true });
      const f = join(dir, "run.json");
      const json = JSON.parse(await readFile(f, "utf8")) as Record<string, unknown>;
      await edit(json, dir);
      await writeFile(f, JSON.stringify(json));
      return packRun({ runDir: dir, out: join(work, `${name}.tgz`) });
    };
    const cfg = (j: Record<string, unknown>) => j.config as Record<string, unknown>;
    await expect(variant("k3", async (j) => { cfg(j).trials = 3; })).rejects.toThrow(/config\.trials: k = 3 trials per cell; submissions need k ≥ 5/);
    await expect(variant("slow", async (j) => { cfg(j).timeout_multiplier = 2; })).rejects.toThrow(/timeout_multiplier = 2/);
    await expect(variant("holes", async (_j, dir) => {
      const lines = (await readFile(join(dir, "trials.jsonl"), "utf8")).trim().split("\n");
      await writeFile(join(dir, "trials.jsonl"), `${lines.slice(2).join("\n")}\n`);
    })).rejects.toThrow(/2 matched cell trial\(s\) missing/);
  });
});
