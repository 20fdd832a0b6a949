// `Sandbox.changes()` reads the overlay2 directories on this host when the agent deleted nothing
// of the image, and must then list what `docker diff` lists; deletions, re-made (opaque)
// directories and files in place of the image's directories must send it to Docker instead.
import { afterEach, expect, inject, it } from "vitest";
import { DockerProvider, dockerClient, type Sandbox } from "../src/sandbox/index.ts";
import { overlayChanges } from "../src/sandbox/overlay-changes.ts";

const made: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((s) => s.destroy()));
});

async function sandboxAfter(script: string) {
  const sandbox = await new DockerProvider().create({
    image: inject("testenvImage"),
    limits: { cpus: 1, memoryMb: 256, pids: 128, storageMb: 512, network: false },
    labels: { "skilldelta.run": `test-overlay-changes-${process.pid}` },
    dirs: ["/logs/agent", "/logs/verifier"],
  });
  made.push(sandbox);
  const r = await sandbox.exec(script, { timeoutSec: 30 });
  expect(r.exitCode, r.stderr).toBe(0);
  const container = dockerClient().getContainer(sandbox.id);
  const info = await container.inspect();
  const fast = await overlayChanges(info.GraphDriver.Data as Record<string, string>);
  const docker = (((await container.changes()) ?? []) as { Path: string; Kind: number }[]).map((c) => `${c.Kind === 2 ? "D" : "C"} ${c.Path}`).sort();
  const listed = (await sandbox.changes()).map((c) => `${c.kind === "deleted" ? "D" : "C"} ${c.path}`).sort();
  return { fast: fast?.map((c) => `C ${c.path}`).sort(), docker, listed };
}

it("added and modified files: read from the layers, the same list as docker diff", async () => {
  const r = await sandboxAfter("mkdir -p /root/a/b && echo x > /root/a/b/f && echo y >> /etc/debian_version && touch /logs/agent/log && ln -s /root/a /root/link && mkfifo /root/p");
  expect(r.fast).toBeDefined();
  expect(r.fast).toEqual(r.docker);
  expect(r.listed).toEqual(r.docker);
  expect(r.docker).toEqual(expect.arrayContaining(["C /root/a/b/f", "C /etc/debian_version", "C /root/link", "C /logs/agent/log"]));
});

it.each([
  ["a deleted image file", "rm /etc/debian_version", "D /etc/debian_version"],
  ["a deleted image directory", "rm -rf /etc/apt", "D /etc/apt"],
  ["an image directory deleted and made again (opaque)", "rm -rf /etc/apt && mkdir /etc/apt && touch /etc/apt/new", "D /etc/apt/sources.list.d"],
  // docker diff lists only the path as changed here
  ["a file in place of an image directory", "rm -rf /etc/apt && echo x > /etc/apt", "C /etc/apt"],
  ["a link in place of an image directory", "rm -rf /etc/apt && ln -s /tmp /etc/apt", "C /etc/apt"],
])("%s: left to docker diff", async (_what, script, expected) => {
  const r = await sandboxAfter(script);
  expect(r.fast).toBeUndefined();
  expect(r.listed).toEqual(r.docker);
  expect(r.docker).toContain(expected);
});
