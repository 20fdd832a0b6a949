import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SkillDeltaError } from "../src/core/errors.ts";
import { environmentPaths } from "../src/core/paths.ts";
import { runInImage } from "../src/sandbox/build-docker.ts";
import { dockerClient } from "../src/sandbox/docker-client.ts";
import { buildEnvironment, buildEnvironments, EnvironmentStateSchema, findEnvironment, listEnvironments } from "../src/sandbox/environments.ts";

const docker = dockerClient();
let root: string;
const created = new Set<string>();

/** A throwaway environment: no apt-get, so building it costs a second or two. */
async function writeEnv(name: string, dockerfile: string, files: Record<string, string> = {}): Promise<void> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "Dockerfile"), dockerfile);
  for (const [rel, body] of Object.entries(files)) await writeFile(join(dir, rel), body);
}

beforeAll(async () => {
  // unique names per run, so parallel checkouts never share these tags
  root = await mkdtemp(join(tmpdir(), "sd-env-build-"));
});
afterAll(async () => {
  for (const tag of created) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

const suffix = Math.random().toString(36).slice(2, 8);

describe("buildEnvironment", () => {
  it("finds testenv under the extra root and reuses it without building", async () => {
    const started = performance.now();
    const b = await buildEnvironment("testenv", { environmentsDirs: inject("environmentsDirs") });
    expect(b.built).toBe(false);
    expect(b.tag).toBe(inject("testenvImage"));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await runInImage(docker, b.tag, ["python3", "-c", "print(6*7)"])).toBe("42\n");
  });

  it("builds FROM the pinned base, records manifest and state, and is a no-op the second time", async () => {
    const name = `tiny-${suffix}`;
    await writeEnv(name, "FROM skilldelta-base\nCOPY hello.txt /opt/hello.txt\n", { "hello.txt": "one\n" });
    const cold = await buildEnvironment(name, { environmentsDirs: [root] });
    created.add(cold.tag).add(`skilldelta-env/${name}:latest`);
    expect(cold.built).toBe(true);
    expect(cold.tag).toMatch(new RegExp(`^skilldelta-env/${name}:[0-9a-f]{12}$`));
    const info = await docker.getImage(cold.tag).inspect();
    expect(info.Config.Labels?.["skilldelta.environment"]).toBe(name);
    // the parent is the content-tagged base, not whatever :latest pointed at
    const base = await docker.getImage(inject("baseImage")).inspect();
    expect(info.RootFS.Layers?.slice(0, base.RootFS.Layers?.length)).toEqual(base.RootFS.Layers);
    expect(await runInImage(docker, cold.tag, ["cat", "/opt/hello.txt"])).toBe("one\n");

    const paths = environmentPaths(root);
    expect(await readFile(paths.manifest(name), "utf8")).toMatch(/^procps\t/m);
    const state = EnvironmentStateSchema.parse(JSON.parse(await readFile(paths.state(name), "utf8")));
    expect(state.image_id).toBe(cold.imageId);
    expect(state.parent?.tag).toBe(inject("baseImage"));

    const warm = await buildEnvironment(name, { environmentsDirs: [root] });
    expect(warm).toMatchObject({ built: false, tag: cold.tag, imageId: cold.imageId, manifestSha256: cold.manifestSha256 });
    expect(warm.seconds).toBeLessThan(2);
    console.log(`[env-build] tiny env: cold ${cold.seconds.toFixed(2)} s, warm ${warm.seconds.toFixed(3)} s`);

    // a changed input file is a new image; the written manifest.txt is an output, not an input
    await writeFile(join(root, name, "hello.txt"), "two\n");
    const changed = await buildEnvironment(name, { environmentsDirs: [root] });
    created.add(changed.tag);
    expect(changed.built).toBe(true);
    expect(changed.tag).not.toBe(cold.tag);
    expect(await runInImage(docker, `skilldelta-env/${name}:latest`, ["cat", "/opt/hello.txt"])).toBe("two\n");
  });

  it("builds an environment FROM another environment, parent first", async () => {
    const parent = `parent-${suffix}`;
    const child = `child-${suffix}`;
    await writeEnv(parent, "FROM skilldelta-base:latest\nRUN echo parent > /opt/who\n");
    await writeEnv(child, `FROM skilldelta-env/${parent}\nRUN cat /opt/who > /opt/parent-was\n`);
    const b = await buildEnvironment(child, { environmentsDirs: [root] });
    for (const n of [parent, child]) created.add(`skilldelta-env/${n}:latest`);
    created.add(b.tag);
    const p = await buildEnvironment(parent, { environmentsDirs: [root] });
    created.add(p.tag);
    expect(p.built).toBe(false);
    expect(await runInImage(docker, b.tag, ["cat", "/opt/parent-was"])).toBe("parent\n");
  });

  it("reports a failing RUN with the log tail, heredocs and registry bases clearly", async () => {
    await writeEnv(`broken-${suffix}`, "FROM skilldelta-base\nRUN echo about-to-fail-marker && exit 7\n");
    const failed = (await buildEnvironment(`broken-${suffix}`, { environmentsDirs: [root] }).catch((e: unknown) => e)) as SkillDeltaError;
    expect(failed.code).toBe("SD_IMAGE_BUILD_FAILED");
    expect(failed.message).toContain("about-to-fail-marker");
    expect(failed.message).toMatch(/non-zero code: 7/);

    await writeEnv(`heredoc-${suffix}`, "FROM skilldelta-base\nRUN <<EOF\necho hi\nEOF\n");
    const heredoc = (await buildEnvironment(`heredoc-${suffix}`, { environmentsDirs: [root] }).catch((e: unknown) => e)) as SkillDeltaError;
    expect(heredoc.code).toBe("SD_UNSUPPORTED");
    expect(heredoc.message).toMatch(/line 2 needs BuildKit.*legacy builder/);

    await writeEnv(`ubuntu-${suffix}`, "FROM ubuntu:24.04\nRUN true\n");
    const remote = (await buildEnvironment(`ubuntu-${suffix}`, { environmentsDirs: [root] }).catch((e: unknown) => e)) as SkillDeltaError;
    expect(remote.code).toBe("SD_IMAGE_BUILD_FAILED");
    expect(remote.message).toContain("FROM ubuntu:24.04: the image is not available offline");
    expect(remote.hint).toContain("skilldelta-env/<name>");
  });

  it("buildEnvironments builds the base and every named environment, reporting failures per name", async () => {
    const results = await buildEnvironments([`tiny-${suffix}`, `broken-${suffix}`, "nope"], { environmentsDirs: [root] });
    expect(results.map((r) => [r.name, r.ok])).toEqual([["base", true], [`tiny-${suffix}`, true], [`broken-${suffix}`, false], ["nope", false]]);
    const broken = results[2];
    expect(broken?.ok === false && broken.error.message).toContain("about-to-fail-marker");
  });

  it("lists environments by name and names the known ones for an unknown name", async () => {
    const names = (await listEnvironments([root, ...inject("environmentsDirs")])).map((e) => e.name);
    expect(names).toContain("testenv");
    expect(names).toContain(`tiny-${suffix}`);
    expect(names).not.toContain("base");
    const err = (await findEnvironment("nope", inject("environmentsDirs")).catch((e: unknown) => e)) as SkillDeltaError;
    expect(err.code).toBe("SD_NOT_FOUND");
    expect(err.message).toContain("testenv");
  });
});
