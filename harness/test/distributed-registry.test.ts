import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseRegistry, pullTaskImages, RunManifestSchema, WORKER_FILE, type RunManifest, type WorkerProvenance } from "../src/distributed/index.ts";
import { dockerClient } from "../src/sandbox/index.ts";
import { alive, CLI, exitCode, freePort, journalOf, ROOT, start, startRedis, stripTimes, TINY, waitFor, type Proc } from "./distributed-procs.ts";

/**
 * Task images through a registry (issue 10): Debian's docker-registry on a loopback port, a
 * coordinator that pushes the run's task images and publishes their digests, and a worker with
 * `--registry` that pulls them by digest instead of building. The suite is a copy of the tiny
 * fixture whose Dockerfiles COPY a random nonce, so its images exist only for this test: they are
 * deleted after the push and the worker's pull really transfers their layers.
 */

const docker = dockerClient();
const procs: Record<string, Proc> = {};

describe("registry addresses", () => {
  it("accepts host[:port][/namespace] and refuses schemes, tags and junk with a hint", () => {
    expect(parseRegistry("127.0.0.1:5000")).toBe("127.0.0.1:5000");
    expect(parseRegistry("registry.lab:5000/skilldelta/ci/")).toBe("registry.lab:5000/skilldelta/ci");
    expect(() => parseRegistry("https://registry.lab")).toThrow(/without `https:\/\/`/);
    expect(() => parseRegistry("registry.lab:5000/x:latest")).toThrow(/not a registry address/);
    expect(() => parseRegistry("")).toThrow(/not a registry address/);
  });
});

describe("task images pulled by digest from a registry", () => {
  let dir: string;
  let url: string;
  let registry: string;
  let tasksDir: string;
  const testImages = new Set<string>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sd-registry-"));
    const [redisPort, registryPort] = [await freePort(), await freePort()];
    url = `redis://127.0.0.1:${redisPort}`;
    procs.redis = await startRedis(redisPort, dir);
    // the registry as `docker-registry serve` runs it, storage in the temp dir; loopback is insecure-allowed by Docker
    await writeFile(
      join(dir, "registry.yml"),
      `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, "registry")}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${registryPort}\n`,
    );
    procs.registry = start(["serve", join(dir, "registry.yml")], "docker-registry");
    await waitFor("docker-registry", async () => (await fetch(`http://127.0.0.1:${registryPort}/v2/`).catch(() => undefined))?.status === 200, procs, 15_000);
    registry = `127.0.0.1:${registryPort}/sdtest`;

    tasksDir = join(dir, "tiny");
    await cp(TINY, tasksDir, { recursive: true });
    const nonce = `${process.pid}-${Date.now()}-${Math.random()}`;
    for (const t of ["tiny-echo", "tiny-leak"]) {
      await writeFile(join(tasksDir, t, "environment", "nonce.txt"), `${nonce}\n`);
      await appendFile(join(tasksDir, t, "environment", "Dockerfile"), "COPY nonce.txt /opt/nonce.txt\n");
    }
  });

  afterAll(async () => {
    for (const p of Object.values(procs)) if (alive(p)) p.child.kill("SIGKILL");
    // only the images of this test's nonce suite: their ids exist nowhere else
    for (const id of testImages) await docker.getImage(id).remove({ force: true }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("coordinator pushes, a worker pulls by digest and verifies, results equal a local run", async () => {
    const envDirs = inject("environmentsDirs");
    const results = join(dir, "results");
    const grid = ["--tasks", tasksDir, "--agents", "oracle,nop", "--conditions", "no-skill,curated", "-k", "1", "--results", results, "--json", "-q"];
    const total = 2 * 2 * 2;

    // 1. the coordinator builds the nonce images, pushes them, and announces the run with their digests
    const pushStarted = performance.now();
    procs.coordinator = start(["run", "--queue", url, "--registry", registry, "--id", "reg", ...grid, "--env-dir", ...envDirs]);
    let manifest: RunManifest | undefined;
    await waitFor(
      "the run manifest with pushed images",
      async () => {
        const raw = (await execa("redis-cli", ["-u", url, "GET", "skilldelta:run:reg"], { reject: false })).stdout.trim();
        manifest = raw ? RunManifestSchema.parse(JSON.parse(raw)) : undefined;
        return manifest?.registry !== undefined;
      },
      procs,
      150_000,
    );
    const m = manifest!;
    const stored = Number((await execa("du", ["-sb", join(dir, "registry")])).stdout.split("\t")[0]);
    console.log(`[registry] coordinator start → images built and pushed to an empty registry: ${((performance.now() - pushStarted) / 1000).toFixed(1)} s; registry storage ${(stored / 1e6).toFixed(1)} MB`);
    expect(Object.keys(m.registry!.tasks).sort()).toEqual(["tiny-echo", "tiny-leak"]);
    for (const [task, entry] of Object.entries(m.lock.tasks)) {
      const pushed = m.registry!.tasks[task]!;
      testImages.add(entry.image_id);
      expect(pushed).toMatchObject({ repo: "sdtest/skilldelta-task", image_id: entry.image_id });
      expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }

    // 2. this host "is another machine": the images are gone before any worker starts
    for (const entry of Object.values(m.lock.tasks)) {
      await docker.getImage(entry.image_id).remove({ force: true });
      await expect(docker.getImage(entry.image_id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    }

    // 3. a worker pointed at a registry that does not have the images refuses the run and runs nothing
    const nowhere = `127.0.0.1:${await freePort()}`;
    procs.wrong = start(["worker", "--queue", url, "--registry", nowhere, "--tasks", tasksDir, "--name", "wrong", "-c", "1", "--work-dir", join(dir, "wrong")]);
    await waitFor("the misconfigured worker to refuse", async () => /REFUSING run reg/.test(procs.wrong!.stderr()), procs, 60_000);
    expect(procs.wrong.stderr()).toMatch(new RegExp(`task tiny-echo: cannot pull ${nowhere}/sdtest/skilldelta-task@sha256:[0-9a-f]{64}`));
    // stopped now: it re-checks refused runs after a minute, and by then this host has the images the next worker pulls
    procs.wrong.child.kill("SIGTERM");
    expect(await procs.wrong.exited).toBe(0);
    expect(procs.wrong.stderr()).not.toMatch(/serving its trials/);

    // 4. the worker with the right registry pulls by digest (no environments, no builds) and serves the run
    const pullStarted = performance.now();
    procs.worker = start(["worker", "--queue", url, "--registry", registry, "--tasks", tasksDir, "--name", "puller", "-c", "2", "--work-dir", join(dir, "puller")]);
    const code = await exitCode("coordinator", procs);
    expect(code, procs.coordinator.stderr()).toBe(0);
    console.log(`[registry] pull + ${total} trials: ${((performance.now() - pullStarted) / 1000).toFixed(1)} s`);
    const out = JSON.parse(procs.coordinator.stdout()) as { status: string; ran_now: number };
    expect(out).toMatchObject({ status: "finished", ran_now: total });
    const pullNote = /task images from registry .* by digest: 2 pulled, 0 already here \(([\d.]+) s\)/.exec(procs.worker.stderr());
    expect(pullNote, procs.worker.stderr()).not.toBeNull();
    console.log(`[registry] worker pull of 2 task images by digest (base layers already on the host): ${pullNote![1]} s`);
    expect(procs.worker.stderr()).not.toMatch(/built (task|environment)/);

    const records = await journalOf(join(results, "reg", "trials.jsonl"));
    expect(records).toHaveLength(total);
    expect(new Set(records.map((r) => r.key)).size).toBe(total);
    for (const r of records) {
      const prov = JSON.parse(await readFile(join(results, "reg", r.artifacts_dir, WORKER_FILE), "utf8")) as WorkerProvenance;
      expect(prov.worker).toBe("puller");
      expect(prov.image_id).toBe(m.lock.tasks[r.task]!.image_id);
    }

    // 5. a pulled image whose id is not the lock's is refused and never tagged
    const echo = m.lock.tasks["tiny-echo"]!;
    const forged = "sha256:" + "0".repeat(64);
    const lock = { ...m.lock, tasks: { "tiny-echo": { ...echo, image: "sd-registry-test/forged:1", image_id: forged } } };
    const published = { ...m.registry!, tasks: { "tiny-echo": { ...m.registry!.tasks["tiny-echo"]!, image_id: forged } } };
    const bad = await pullTaskImages(docker, lock, published, registry, ["tiny-echo"]);
    expect(bad.images.size).toBe(0);
    expect(bad.problems).toEqual([expect.stringMatching(/pulled .*@sha256:[0-9a-f]{64} has image id [0-9a-f]{12}, the run's lock has 000000000000; refusing/)]);
    await expect(docker.getImage("sd-registry-test/forged:1").inspect()).rejects.toMatchObject({ statusCode: 404 });

    // 6. the same config run locally (on the pulled images) gives the same records and the same lock
    const local = await execa(process.execPath, [CLI, "run", "--id", "local", ...grid, "-c", "4", "--env-dir", ...envDirs], { cwd: ROOT, reject: false });
    expect(local.exitCode, local.stderr).toBe(0);
    const localByKey = new Map((await journalOf(join(results, "local", "trials.jsonl"))).map((r) => [r.key, stripTimes(r)]));
    for (const r of records) expect(stripTimes(r), r.key).toEqual(localByKey.get(r.key));
    const lockOf = async (id: string) => {
      const { config_digest: _c, ...rest } = (JSON.parse(await readFile(join(results, id, "run.json"), "utf8")) as { lock: Record<string, unknown> }).lock;
      return rest;
    };
    expect(await lockOf("reg")).toEqual(await lockOf("local"));

    procs.worker.child.kill("SIGTERM");
    expect(await procs.worker.exited).toBe(0);
  }, 240_000);
});
