// The Docker sandbox against real containers from skilldelta-base:latest: configuration,
// exec, copying in and out, destroy and gc. Resource-limit behaviour is in sandbox-limits.test.ts.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SandboxError } from "../src/core/errors.ts";
import { dockerClient } from "../src/sandbox/docker-client.ts";
import { DockerProvider } from "../src/sandbox/docker.ts";
import type { DockerSandbox } from "../src/sandbox/docker-sandbox.ts";
import { gcLeftovers } from "../src/sandbox/gc.ts";
import type { SandboxLimits, SandboxSpec } from "../src/sandbox/types.ts";

const IMAGE = "skilldelta-base:latest";
const RUN = `test-sbx-docker-${process.pid}-${randomBytes(3).toString("hex")}`;
const docker = dockerClient();
const provider = new DockerProvider();
const sandboxes: DockerSandbox[] = [];
const tempDirs: string[] = [];

const LIMITS: SandboxLimits = { cpus: 0.5, memoryMb: 128, pids: 50, storageMb: 0, network: false };

async function make(overrides: Partial<Omit<SandboxSpec, "limits">> & { limits?: Partial<SandboxLimits> } = {}): Promise<DockerSandbox> {
  const sandbox = await provider.create({
    image: IMAGE,
    name: "sd-test-docker",
    ...overrides,
    limits: { ...LIMITS, ...overrides.limits },
    labels: { "skilldelta.run": RUN, ...overrides.labels },
  });
  sandboxes.push(sandbox);
  return sandbox;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sd-sbx-test-"));
  tempDirs.push(dir);
  return dir;
}

async function containerExists(id: string): Promise<boolean> {
  return docker
    .getContainer(id)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

let shared: DockerSandbox;
beforeAll(async () => {
  shared = await make();
});

afterAll(async () => {
  for (const sandbox of sandboxes) await sandbox.destroy();
  await gcLeftovers({ runId: RUN, all: true });
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe("DockerProvider", () => {
  test("capabilities name the cgroup version and the storage enforcement in force", async () => {
    const caps = await provider.capabilities();
    const info = await docker.info();
    expect(caps.provider).toBe("docker");
    expect(caps.cgroupVersion).toBe(String(info.CgroupVersion ?? "1"));
    expect(caps.cpuLimit && caps.memoryLimit && caps.pidsLimit).toBe(true);
    const backing = (info.DriverStatus as [string, string][]).find(([k]) => k === "Backing Filesystem")?.[1];
    if (info.Driver === "overlay2" && backing !== "xfs") {
      expect(caps.storageLimit).toBe("watchdog");
      expect(caps.notes.join("\n")).toMatch(/storage-opt.*not supported.*watchdog/s);
    }
  });

  test("limits, hardening, labels and read-only mounts reach the container", async () => {
    const skills = await tempDir();
    await writeFile(join(skills, "SKILL.md"), "# skill\n");
    const sandbox = await make({
      mounts: [{ source: skills, target: "/skills", readOnly: true }],
      env: { GREETING: "hello there" },
      workdir: "/root",
      labels: { "skilldelta.trial": "t-1" },
    });
    const info = await docker.getContainer(sandbox.id).inspect();
    expect(info.HostConfig.NanoCpus).toBe(0.5e9);
    expect(info.HostConfig.Memory).toBe(128 * 1024 * 1024);
    expect(info.HostConfig.MemorySwap).toBe(128 * 1024 * 1024);
    expect(info.HostConfig.PidsLimit).toBe(50);
    expect(info.HostConfig.NetworkMode).toBe("none");
    expect(info.HostConfig.Init).toBe(true);
    expect(info.HostConfig.SecurityOpt).toContain("no-new-privileges");
    expect(info.Config.Labels).toMatchObject({ "skilldelta.run": RUN, "skilldelta.trial": "t-1", "skilldelta.pid": String(process.pid) });
    const run = await sandbox.exec('echo "$GREETING"; pwd; id -u; cat /skills/SKILL.md; touch /skills/x');
    expect(run.stdout).toBe("hello there\n/root\n0\n# skill\n");
    expect(run.stderr).toMatch(/Read-only file system/);
    expect(run.exitCode).not.toBe(0);
  });

  test("a missing image fails with the image's name and how to build it", async () => {
    const error = await provider.create({ image: "skilldelta-env/does-not-exist:nope", limits: LIMITS, labels: { "skilldelta.run": RUN } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).message).toContain("skilldelta-env/does-not-exist:nope");
    expect((error as SandboxError).hint).toContain("skilldelta env build");
  });

  test("destroy removes the container, is idempotent, and later calls fail clearly", async () => {
    const sandbox = await make();
    expect(await containerExists(sandbox.id)).toBe(true);
    await sandbox.destroy();
    await sandbox.destroy();
    expect(await containerExists(sandbox.id)).toBe(false);
    await expect(sandbox.exec("true")).rejects.toBeInstanceOf(SandboxError);
  });
});

describe("network", () => {
  test("network false leaves only loopback and nothing is reachable", async () => {
    const result = await shared.exec("cat /proc/net/dev; (exec 3<>/dev/tcp/1.1.1.1/53) && echo CONNECTED", { timeoutSec: 10 });
    const interfaces = [...result.stdout.matchAll(/^\s*([\w.-]+):/gm)].map((m) => m[1]);
    expect(interfaces).toEqual(["lo"]);
    expect(result.stdout).not.toContain("CONNECTED");
    expect(result.stderr).toMatch(/unreachable|Cannot assign|Network/i);
  });

  test("network true adds eth0", async () => {
    const sandbox = await make({ limits: { network: true } });
    const result = await sandbox.exec("cat /proc/net/dev");
    expect(result.stdout).toMatch(/^\s*eth0:/m);
    await sandbox.destroy();
  });
});

describe("exec", () => {
  test("separates stdout and stderr, returns the exit code and streams live", async () => {
    const live: string[] = [];
    const result = await shared.exec("echo out; echo err >&2; printf 'héllo'; exit 7", {
      cwd: "/tmp",
      env: { X: "1" },
      onOutput: (stream, chunk) => live.push(`${stream}:${chunk}`),
    });
    expect(result).toMatchObject({ exitCode: 7, stdout: "out\nhéllo", stderr: "err\n", timedOut: false, truncatedBytes: { stdout: 0, stderr: 0 } });
    expect(live.filter((l) => l.startsWith("stdout:")).join("").replaceAll("stdout:", "")).toBe("out\nhéllo");
    expect(live.join("")).toContain("stderr:err\n");
  });

  test("a command's own exit 124 before its timeout is not a timeout", async () => {
    const result = await shared.exec("exit 124", { timeoutSec: 30 });
    expect(result).toMatchObject({ exitCode: 124, timedOut: false });
  });

  test("abort kills the command's whole process tree and rejects", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop now")), 500);
    const started = Date.now();
    await expect(shared.exec("sleep 301 & sleep 302; wait", { signal: controller.signal, timeoutSec: 60 })).rejects.toThrow("stop now");
    expect(Date.now() - started).toBeLessThan(5000);
    const left = await shared.exec("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done");
    expect(left.stdout).not.toMatch(/sleep 30[12]/);
  });
});

describe("copying", () => {
  test("upload, writeFile, readFile and download round-trip bytes, modes and dirs", async () => {
    const src = await tempDir();
    await mkdir(join(src, "scripts", "deep"), { recursive: true });
    await mkdir(join(src, "empty"));
    const binary = randomBytes(200_000);
    await writeFile(join(src, "SKILL.md"), "---\nname: x\n---\nbody ü\n");
    await writeFile(join(src, "scripts", "deep", "blob.bin"), binary);
    await writeFile(join(src, "scripts", "run.sh"), "#!/bin/bash\necho ran\n", { mode: 0o755 });
    await shared.upload(src, "/opt/skills/x");
    const listing = await shared.exec("cd /opt/skills/x && find . | sort && stat -c '%u %a' scripts/run.sh && scripts/run.sh");
    expect(listing.stdout).toBe(".\n./SKILL.md\n./empty\n./scripts\n./scripts/deep\n./scripts/deep/blob.bin\n./scripts/run.sh\n0 755\nran\n");
    expect(Buffer.compare((await shared.readFile("/opt/skills/x/scripts/deep/blob.bin"))!, binary)).toBe(0);

    await shared.writeFile("/logs/verifier/reward.txt", "1\n", 0o600);
    expect((await shared.readFile("/logs/verifier/reward.txt"))?.toString()).toBe("1\n");
    expect((await shared.exec("stat -c '%a' /logs/verifier/reward.txt")).stdout).toBe("600\n");
    await shared.exec("ln -s /logs/verifier/reward.txt /logs/link.txt && ln -s /etc/hostname /logs/verifier/host");
    expect((await shared.readFile("/logs/link.txt"))?.toString()).toBe("1\n");
    expect((await shared.readFile("/opt/skills/x/scripts/deep/blob.bin", 10))?.length).toBe(10);
    expect(await shared.readFile("/no/such/file")).toBeUndefined();
    await expect(shared.readFile("/opt/skills")).rejects.toBeInstanceOf(SandboxError);

    const out = await tempDir();
    expect(await shared.download("/opt/skills/x", join(out, "dir"))).toBe(true);
    expect(Buffer.compare(await readFile(join(out, "dir", "scripts", "deep", "blob.bin")), binary)).toBe(0);
    expect((await stat(join(out, "dir", "empty"))).isDirectory()).toBe(true);
    expect(await shared.download("/logs/verifier/reward.txt", join(out, "file"))).toBe(true);
    expect(await readFile(join(out, "file", "reward.txt"), "utf8")).toBe("1\n");
    // links out of the sandbox are never materialised on the host
    expect(await shared.download("/logs/verifier", join(out, "logs"))).toBe(true);
    await expect(stat(join(out, "logs", "host"))).rejects.toThrow();
    expect(await shared.download("/no/such/dir", join(out, "none"))).toBe(false);
    await expect(shared.download("/opt/skills/x", join(out, "capped"), 50_000)).rejects.toThrow(/larger than the 50000-byte cap/);
  });
});

describe("gcLeftovers", () => {
  test("removes containers of dead owners and keeps those of live ones", async () => {
    const child = spawnSync("true");
    const deadPid = child.pid!;
    // gc --all at the end also removes this file's other sandboxes (same run label); it runs last but one
    const label = (pid: number) =>
      docker.createContainer({
        Image: IMAGE,
        Cmd: ["true"],
        Labels: { "skilldelta.run": RUN, "skilldelta.pid": String(pid), "skilldelta.host": hostname() },
      });
    const dead = await label(deadPid);
    const alive = await label(process.pid);
    const result = await gcLeftovers({ runId: RUN });
    expect(result.removed.map((e) => e.id)).toContain(dead.id);
    expect(result.removed.map((e) => e.id)).not.toContain(alive.id);
    expect(result.kept.find((e) => e.id === alive.id)?.reason).toMatch(/alive/);
    expect(await containerExists(dead.id)).toBe(false);
    expect(await containerExists(alive.id)).toBe(true);
    const all = await gcLeftovers({ runId: RUN, all: true });
    expect(all.removed.map((e) => e.id)).toContain(alive.id);
    expect(await containerExists(alive.id)).toBe(false);
  });
});

describe("timing", () => {
  test("create + start + exec(true) + destroy, median of 5", async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const sandbox = await make();
      const result = await sandbox.exec("true");
      await sandbox.destroy();
      times.push(performance.now() - started);
      expect(result.exitCode).toBe(0);
    }
    times.sort((a, b) => a - b);
    const median = times[2]!;
    console.log(`[sandbox timing] create+start+exec(true)+destroy ms: ${times.map((t) => t.toFixed(0)).join(", ")}; median ${median.toFixed(0)}`);
    expect(median).toBeLessThan(5000);
  });
});
