// Task assets ([[environment.assets]]): large files kept out of git, pinned by sha256 in task.toml
// and copied into the image build from a local content-addressed cache. Real Docker and the real
// CLI: a missing and a corrupt cache entry fail the build with the task, asset, digest and the
// command that fixes it; `assets add` fills the cache, `assets check` exits 0/1; once the asset
// is there the image builds and a five-choice question about the picture is passed by the oracle
// (which reads the picture) and failed by nop, with the chance baseline 0.2.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { AgentConfigSchema, createAgent } from "../src/agent/registry.ts";
import { digestJson, sha256 } from "../src/core/digest.ts";
import { runTrial, trialKey } from "../src/run/index.ts";
import { dockerClient } from "../src/sandbox/docker-client.ts";
import { DockerProvider } from "../src/sandbox/docker.ts";
import { gcLeftovers } from "../src/sandbox/gc.ts";
import { ensureImages } from "../src/sandbox/images.ts";
import { assetPath, lintTask, loadTask, loadTasks, TaskTomlSchema, type Task } from "../src/task/index.ts";

const fixtureFamily = fileURLToPath(new URL("./fixtures/assets/", import.meta.url));
const cli = fileURLToPath(new URL("../bin/skilldelta.js", import.meta.url));
const helper = fileURLToPath(new URL("../verifiers/choice.sh", import.meta.url));
const TASK = "assets-q1";
const RUN = `test-assets-${process.pid}-${randomBytes(3).toString("hex")}`;
const docker = dockerClient();
const provider = new DockerProvider();

/** The picture the fixture asks about: 16×12 binary PPM, blue with a red corner. Never committed. */
function frame(): Buffer {
  const [w, h] = [16, 12];
  const px: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.push(...(x < 4 && y < 3 ? [255, 0, 0] : [0, 0, 255]));
  return Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`), Buffer.from(px)]);
}
const FRAME_SHA = sha256(frame());

let tmp: string;
let cache: string;
let task: Task;
let frameFile: string;

function skilldelta(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, SKILLDELTA_ASSET_CACHE: join(tmp, "not-this-one") } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Images this fixture task built (found by label, so a crashed earlier run's are removed too). */
async function removeFixtureImages(): Promise<void> {
  const images = await docker.listImages({ filters: { label: [`skilldelta.task=${TASK}`] } });
  for (const img of images) await docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "sd-assets-"));
  cache = join(tmp, "cache");
  frameFile = join(tmp, "frame.ppm");
  await writeFile(frameFile, frame());
  task = (await loadTasks([fixtureFamily])).tasks.find((t) => t.id === TASK)!;
  await removeFixtureImages();
});
afterAll(async () => {
  await gcLeftovers({ runId: RUN, all: true });
  await removeFixtureImages();
  await rm(tmp, { recursive: true, force: true });
});

async function build() {
  return (await ensureImages([task], { environmentsDirs: inject("environmentsDirs"), assetCache: cache })).tasks[TASK]!;
}

async function trial(image: string, kind: "oracle" | "nop") {
  const agent = createAgent(AgentConfigSchema.parse({ kind, id: kind }), { env: {} });
  const planned = { key: trialKey(task.id, "no-skill", agent.id, 0), task: task.id, condition: "no-skill", agent: agent.id, index: 0, seed: 1 };
  return runTrial({ runId: RUN, runDir: join(tmp, "run"), planned, attempt: 1, task, image, agent, agentDigest: digestJson(agent.config), provider, timeoutMultiplier: 1 });
}

describe("task assets", () => {
  test("the fixture declares the generated picture's digest and ships the canonical choice helper", async () => {
    expect(task.config.environment.assets).toEqual([{ name: "frame", sha256: FRAME_SHA, bytes: frame().length, dest: "media/frame.ppm" }]);
    expect(await readFile(join(task.dir, "tests", "choice.sh"), "utf8")).toBe(await readFile(helper, "utf8"));
  });

  test("missing from the cache: `assets check` exits 1 and the build fails naming task, asset, digest and `assets add`", async () => {
    const check = skilldelta("assets", "check", fixtureFamily, "--asset-cache", cache);
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout).toMatch(/assets-q1\s+frame\s+missing\s+589\s+e1cb6e0ccdd4\s+media\/frame\.ppm/);
    expect(check.stderr).toContain(`missing: assets-q1 asset \`frame\` (sha256 ${FRAME_SHA})`);
    expect(check.stderr).toContain("skilldelta assets add <file>");

    const r = await build();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("SD_IMAGE_BUILD_FAILED");
    expect(r.error.message).toBe(`task ${TASK}: asset \`frame\` (sha256 ${FRAME_SHA}) is not in the asset cache ${cache}`);
    expect(r.error.file).toBe(join(task.dir, "task.toml"));
    expect(r.error.field).toBe("environment.assets[0] (frame)");
    expect(r.error.hint).toContain("skilldelta assets add <file>");
  });

  test("corrupt in the cache (same size, other bytes): `assets check` exits 1 and the build fails with both digests", async () => {
    const bad = Buffer.from(frame());
    bad[bad.length - 1] = 0; // one pixel turns from blue to black
    await mkdir(cache, { recursive: true });
    await writeFile(assetPath(cache, FRAME_SHA), bad);

    const check = skilldelta("assets", "check", fixtureFamily, "--asset-cache", cache, "--json");
    expect(check.code, check.stderr).toBe(1);
    const json = JSON.parse(check.stdout) as { assets: { task: string; name: string; state: string; actual?: { sha256: string } }[] };
    expect(json.assets).toMatchObject([{ task: TASK, name: "frame", state: "corrupt", actual: { sha256: sha256(bad) } }]);

    const r = await build();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe(`task ${TASK}: asset \`frame\` is corrupt in the asset cache: ${assetPath(cache, FRAME_SHA)} should have sha256 ${FRAME_SHA} but holds sha256 ${sha256(bad)}, 589 bytes`);
    expect(r.error.hint).toContain("re-add the original file with `skilldelta assets add <file>`");
  });

  test("`assets add` replaces the damaged entry and prints the task.toml lines; `assets check` exits 0", async () => {
    const add = skilldelta("assets", "add", frameFile, "--asset-cache", cache);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`[[environment.assets]]\nname = "frame"\nsha256 = "${FRAME_SHA}"\nbytes = 589\ndest = "data/frame.ppm"`);
    expect(sha256(await readFile(assetPath(cache, FRAME_SHA)))).toBe(FRAME_SHA);
    // adding the same bytes again is a no-op
    const again = skilldelta("assets", "add", frameFile, "--asset-cache", cache, "--json");
    expect(JSON.parse(again.stdout).assets[0]).toMatchObject({ sha256: FRAME_SHA, bytes: 589, added: false });

    const check = skilldelta("assets", "check", fixtureFamily, "--asset-cache", cache);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/assets-q1\s+frame\s+ok/);
    expect(check.stderr).toContain("1 asset(s) in 1 task(s): 1 ok, 0 missing, 0 corrupt");
  });

  test("with the asset cached the image builds; the oracle (reading the picture) passes, nop fails, chance 0.2", async () => {
    const r = await build();
    if (!r.ok) throw r.error;
    expect(r.built).toBe(true);
    const [pass, fail] = [await trial(r.image, "oracle"), await trial(r.image, "nop")];
    expect(pass).toMatchObject({ outcome: "passed", reward: 1, chance: 0.2 });
    expect(fail).toMatchObject({ outcome: "failed", reward: 0, chance: 0.2 });
    // the cache is not needed once the image exists: its tag carries the asset digest
    await rm(cache, { recursive: true, force: true });
    const cached = await build();
    expect(cached).toMatchObject({ ok: true, built: false, image: r.image });
  });

  test("digests pin the asset: another declared sha256 changes the task digest (the lock) and the image digest", async () => {
    const copy = join(tmp, "copy", TASK);
    await cp(task.dir, copy, { recursive: true });
    const toml = join(copy, "task.toml");
    const other = "0".repeat(64);
    await writeFile(toml, (await readFile(toml, "utf8")).replace(FRAME_SHA, other));
    const changed = await loadTask(copy, task.family);
    expect(changed.config.environment.assets?.[0]?.sha256).toBe(other);
    expect(changed.digest).not.toBe(task.digest);
    const built = (await ensureImages([changed], { environmentsDirs: inject("environmentsDirs"), assetCache: cache })).tasks[TASK]!;
    expect(built.ok).toBe(false); // fails on the missing asset, before any docker build
    const same = (await ensureImages([task], { environmentsDirs: inject("environmentsDirs"), assetCache: join(tmp, "empty") })).tasks[TASK]!;
    expect(same.ok).toBe(true); // the unchanged task still resolves to its existing image
  });

  test("task.toml validation: bad digests, escaping dests and duplicates are refused with the field", () => {
    const parse = (assets: unknown[]) => TaskTomlSchema.safeParse({ environment: { assets } });
    const ok = { name: "a", sha256: FRAME_SHA, dest: "data/a.bin" };
    expect(parse([ok]).success).toBe(true);
    for (const [bad, path] of [
      [{ ...ok, sha256: FRAME_SHA.toUpperCase() }, "sha256"],
      [{ ...ok, dest: "../outside" }, "dest"],
      [{ ...ok, dest: "/abs" }, "dest"],
      [{ ...ok, dest: "a/./b" }, "dest"],
      [{ ...ok, dest: "Dockerfile" }, "dest"],
      [{ ...ok, dest: "skills/x" }, "dest"],
      [{ ...ok, url: "https://example.com" }, ""],
    ] as const) {
      const r = parse([bad]);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      if (path) expect(r.error!.issues[0]!.path).toEqual(["environment", "assets", 0, path]);
    }
    const dup = parse([ok, { ...ok, dest: "data/b.bin" }]);
    expect(dup.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["environment.assets.1.name", "two assets share the name `a`"]]);
  });

  test("`tasks lint`: the fixture is clean; a > 5 MiB file in a task dir is flagged as one that should be an asset", async () => {
    expect(await lintTask(task)).toEqual([]);
    const copy = join(tmp, "lint", TASK);
    await cp(task.dir, copy, { recursive: true });
    const big = join(copy, "environment", "video.mp4");
    await writeFile(big, Buffer.alloc(5 * 1024 * 1024 + 1));
    await writeFile(join(copy, "environment", "small.bin"), Buffer.alloc(1024));
    // a local copy at a declared dest is flagged too, with the other advice
    await mkdir(join(copy, "environment", "media"));
    await writeFile(join(copy, "environment", "media", "frame.ppm"), Buffer.alloc(6 * 1024 * 1024));
    const warnings = await lintTask(await loadTask(copy, task.family));
    expect(warnings.map((w) => [w.rule, w.file])).toEqual([
      ["large-file", join(copy, "environment", "media", "frame.ppm")],
      ["large-file", big],
    ]);
    expect(warnings[0]!.message).toMatch(/local copy of a declared asset: delete it/);
    expect(warnings[1]!.message).toMatch(/^5\.0 MiB file in the task dir: keep it out of git as an asset — `skilldelta assets add .*video\.mp4`/);
  });
});
