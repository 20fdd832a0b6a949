import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sha256 } from "../src/core/digest.ts";
import { SkillDeltaError } from "../src/core/errors.ts";
import { environmentPaths } from "../src/core/paths.ts";
import { dockerClient } from "../src/sandbox/docker-client.ts";
import { runInImage } from "../src/sandbox/build-docker.ts";
import { baseTag, buildBase, defaultEnvironmentsRoot, hostMirror, loadRecipe, manifestDrift, recipeDigest } from "../src/sandbox/environments.ts";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "sd-env-base-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function writeRecipe(root: string, body: string): Promise<string> {
  await mkdir(join(root, "base"), { recursive: true });
  const file = environmentPaths(root).baseRecipe;
  await writeFile(file, body);
  return file;
}

describe("base recipe", () => {
  it("reads the host mirror from deb822 sources, then one-line lists", async () => {
    const apt = join(scratch, "apt");
    await mkdir(join(apt, "sources.list.d"), { recursive: true });
    await writeFile(join(apt, "sources.list"), "deb http://one-line.example/debian trixie main\n");
    await writeFile(
      join(apt, "sources.list.d", "debian.sources"),
      "Types: deb\n# a comment\nURIs: http://sec.example/debian-security\nSuites: bookworm-security\nComponents: main\n\nTypes: deb deb-src\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n",
    );
    expect(await hostMirror("bookworm", apt)).toEqual({ uri: "http://mirror.example/debian", file: join(apt, "sources.list.d", "debian.sources") });
    expect((await hostMirror("trixie", apt))?.uri).toBe("http://one-line.example/debian");
    expect(await hostMirror("sid", apt)).toBeUndefined();
  });

  it("rejects unknown keys with the file and field, and needs a mirror from somewhere", async () => {
    const root = join(scratch, "typo");
    const file = await writeRecipe(root, 'version = 1\nsuite = "bookworm"\nincludes = ["procps"]\n');
    const err = await loadRecipe(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SkillDeltaError);
    expect((err as SkillDeltaError).file).toBe(file);
    expect((err as SkillDeltaError).message).toContain("includes");

    const noMirror = await writeRecipe(join(scratch, "nomirror"), 'version = 1\nsuite = "no-such-suite"\n');
    const err2 = (await loadRecipe(noMirror).catch((e: unknown) => e)) as SkillDeltaError;
    expect(err2.field).toBe("mirror");
  });

  it("changes the digest (and tag) when anything that shapes the rootfs changes", async () => {
    const a = await loadRecipe(await writeRecipe(join(scratch, "a"), 'version = 1\nsuite = "bookworm"\nmirror = "http://m.example/debian"\ninclude = ["procps"]\n'));
    const b = await loadRecipe(await writeRecipe(join(scratch, "b"), 'version = 1\nsuite = "bookworm"\nmirror = "http://m.example/debian"\ninclude = ["procps", "less"]\n'));
    const c = await loadRecipe(await writeRecipe(join(scratch, "c"), 'version = 1\nsuite = "bookworm"\nmirror = "http://other.example/debian"\ninclude = ["procps"]\n'));
    const a2 = await loadRecipe(await writeRecipe(join(scratch, "a2"), '# same content, other comments\nversion = 1\nsuite = "bookworm"\ninclude = ["procps"]\nmirror = "http://m.example/debian"\n'));
    expect(recipeDigest(a)).toBe(recipeDigest(a2));
    expect(new Set([recipeDigest(a), recipeDigest(b), recipeDigest(c)]).size).toBe(3);
  });
});

describe("buildBase", () => {
  it("is a lookup when the content-tagged image exists, and re-points :latest", async () => {
    const started = performance.now();
    const warm = await buildBase();
    const seconds = (performance.now() - started) / 1000;
    expect(warm.built).toBe(false);
    expect(warm.tag).toBe(inject("baseImage"));
    expect(warm.tag).toBe((await baseTag()).tag);
    expect(seconds).toBeLessThan(3);
    const latest = await dockerClient().getImage("skilldelta-base:latest").inspect();
    expect(latest.Id).toBe(warm.imageId);
  });

  it("records the image's real package list in the committed manifest", async () => {
    const { tag } = await baseTag();
    const manifest = await readFile(environmentPaths(defaultEnvironmentsRoot).baseManifest, "utf8");
    const live = (await runInImage(dockerClient(), tag, ["dpkg-query", "-W"])).split("\n").filter(Boolean).sort();
    expect(manifest.trimEnd().split("\n")).toEqual(live);
    expect(manifest).toMatch(/^procps\t/m);
    expect((await buildBase()).manifestSha256).toBe(sha256(manifest));
    // downloaded .debs and package lists were tidied away (/etc/hostname is Docker's at run time)
    const leftovers = await runInImage(dockerClient(), tag, ["sh", "-c", "ls /var/cache/apt/archives /var/lib/apt/lists"]);
    expect(leftovers.split("\n").filter((l) => l && !l.endsWith(":") && l !== "partial" && l !== "lock")).toEqual([]);
  });

  it("says clearly when debootstrap is missing (nothing is built)", async () => {
    const root = join(scratch, "fresh");
    await writeRecipe(root, `version = 1\nsuite = "bookworm"\ninclude = ["procps", "ed"]\n`);
    const err = (await buildBase({ root, debootstrap: "/nonexistent/debootstrap" }).catch((e: unknown) => e)) as SkillDeltaError;
    expect(err).toBeInstanceOf(SkillDeltaError);
    expect(err.code).toBe("SD_UNSUPPORTED");
    expect(err.message).toContain("debootstrap is not installed");
    expect(err.hint).toContain("apt-get install debootstrap");
  });
});

describe("manifestDrift", () => {
  it("lists added, removed and changed packages", () => {
    const before = "a\t1\nb\t2\nc\t3\n";
    const after = "a\t1\nb\t2.1\nd\t4\n";
    expect(manifestDrift(before, after)).toEqual(["+d 4", "-c 3", "b 2 → 2.1"]);
    expect(manifestDrift(before, before)).toEqual([]);
  });
});
