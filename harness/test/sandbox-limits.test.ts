// Resource limits enforced for real on skilldelta-base:latest containers: memory (OOM kill of
// an exec'd process while the sandbox lives on), pids (fork bomb), output cap + timeout, and
// storage (watchdog on hosts without --storage-opt). Each test owns its sandbox.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, test } from "vitest";
import { dockerClient } from "../src/sandbox/docker-client.ts";
import { DockerProvider } from "../src/sandbox/docker.ts";
import { writableLayerBytes, type DockerSandbox } from "../src/sandbox/docker-sandbox.ts";
import { gcLeftovers } from "../src/sandbox/gc.ts";
import type { SandboxLimits } from "../src/sandbox/types.ts";

const IMAGE = "skilldelta-base:latest";
const RUN = `test-sbx-limits-${process.pid}-${randomBytes(3).toString("hex")}`;
const provider = new DockerProvider();
const sandboxes: DockerSandbox[] = [];

async function make(limits: Partial<SandboxLimits>): Promise<DockerSandbox> {
  const sandbox = await provider.create({
    image: IMAGE,
    name: "sd-test-limits",
    limits: { cpus: 1, memoryMb: 256, pids: 128, storageMb: 0, network: false, ...limits },
    labels: { "skilldelta.run": RUN },
  });
  sandboxes.push(sandbox);
  return sandbox;
}

afterAll(async () => {
  for (const sandbox of sandboxes) await sandbox.destroy();
  await gcLeftovers({ runId: RUN, all: true });
});

describe("memory", () => {
  test("a memory hog is OOM-killed, health says so, and the sandbox lives on", async () => {
    const sandbox = await make({ memoryMb: 64 });
    expect((await sandbox.health()).oomKilled).toBe(false);
    const hog = await sandbox.exec("tail /dev/zero", { timeoutSec: 30 });
    expect(hog.exitCode).toBe(137);
    expect(hog.timedOut).toBe(false);
    const health = await sandbox.health();
    expect(health).toMatchObject({ running: true, oomKilled: true });
    expect((await sandbox.exec("echo still here")).stdout).toBe("still here\n");
  });
});

describe("pids", () => {
  test("a fork bomb stops at the pids limit; killAll clears it and the sandbox works again", async () => {
    const limit = 64;
    const sandbox = await make({ pids: limit, cpus: 1 });
    const cgroup = `/sys/fs/cgroup/pids/docker/${sandbox.id}`;
    const current = () => Number(readFileSync(`${cgroup}/pids.current`, "utf8"));
    let peak = 0;
    let sampler: NodeJS.Timeout | undefined;
    try {
      // The bomb runs in its own session (setsid -f), so the exec returns at once and
      // timeout(1)'s process-group kill cannot reach it: whether a bomb in the exec's own group
      // outlives the exec depended on timing, and killAll below must face a live bomb.
      const launched = await sandbox.exec("setsid -f bash -c ':(){ :|:& };:'", { timeoutSec: 10 });
      expect(launched.exitCode).toBe(0);
      // sample only once the exec has finished: while `docker exec` starts, runc's init (a
      // multi-threaded Go process) joins the cgroup by migration, which pids.max does not refuse,
      // so its threads briefly count above the limit; fork() itself is what the limit stops
      sampler = setInterval(() => (peak = Math.max(peak, current())), 5);
      const deadline = Date.now() + 10_000;
      while (current() < limit && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1000));
      clearInterval(sampler);
      // the bomb's processes are there, pinned at the limit
      expect(current()).toBeGreaterThan(limit / 2);
      await sandbox.killAll();
    } finally {
      clearInterval(sampler);
    }
    const refused = Number(/^max (\d+)/m.exec(readFileSync(`${cgroup}/pids.events`, "utf8"))?.[1] ?? 0);
    console.log(`[sandbox pids] limit ${limit}, peak pids.current ${peak}, forks refused ${refused}`);
    expect(refused).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(limit);
    const after = await sandbox.exec("n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; echo $n");
    expect(after.exitCode).toBe(0);
    // docker-init, the keepalive, this bash (and the /proc glob's own entry at most)
    expect(Number(after.stdout)).toBeLessThanOrEqual(4);
    expect((await sandbox.health()).running).toBe(true);
  });
});

describe("output and timeout", () => {
  test("endless `yes` is capped with a marker and cut off by its timeout", async () => {
    const sandbox = await make({});
    let liveBytes = 0;
    const started = Date.now();
    const result = await sandbox.exec("yes", { timeoutSec: 3, onOutput: (_s, chunk) => (liveBytes += Buffer.byteLength(chunk)) });
    const wall = Date.now() - started;
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(124);
    expect(wall).toBeLessThan(3000 + 4000);
    expect(result.truncatedBytes.stdout).toBeGreaterThan(1_000_000);
    expect(result.stdout).toMatch(/\n\[skilldelta: output truncated, \d+ bytes omitted\]\n$/);
    expect(result.stdout.startsWith("y\ny\n")).toBe(true);
    const marker = `\n[skilldelta: output truncated, ${result.truncatedBytes.stdout} bytes omitted]\n`;
    expect(Buffer.byteLength(result.stdout)).toBe(64 * 1024 + Buffer.byteLength(marker));
    expect(liveBytes).toBe(Buffer.byteLength(result.stdout));
    // the command is really gone, not just abandoned
    const ps = await sandbox.exec("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done");
    expect(ps.stdout).not.toMatch(/^yes/m);
  });

  test("a command ignoring SIGTERM is SIGKILLed after the grace period", async () => {
    const sandbox = await make({});
    const result = await sandbox.exec("trap '' TERM; while :; do sleep 0.1; done", { timeoutSec: 1 });
    expect(result).toMatchObject({ timedOut: true, exitCode: 124 });
    expect(result.durationMs).toBeLessThan(1000 + 2000 + 2500);
  });
});

describe("harness-side deadline", () => {
  test("an exec whose container is frozen still returns shortly after its timeout", async () => {
    const sandbox = await make({});
    const container = dockerClient().getContainer(sandbox.id);
    const running = sandbox.exec("sleep 100", { timeoutSec: 1 });
    // pause only once the command runs: a loaded daemon may take a while to start it
    for (let i = 0; i < 100 && (await sandbox.exec("pgrep -x sleep", { timeoutSec: 10 })).exitCode !== 0; i++) await new Promise((r) => setTimeout(r, 50));
    // a paused container freezes timeout(1) too, so only the harness deadline can end this exec
    await container.pause();
    const started = Date.now();
    try {
      const result = await running;
      expect(result).toMatchObject({ timedOut: true, exitCode: 124 });
      expect(Date.now() - started).toBeLessThan(1000 + 2000 + 3000 + 2000);
    } finally {
      await container.unpause().catch(() => undefined);
    }
    expect((await sandbox.exec("echo ok")).stdout).toBe("ok\n");
  });
});

describe("storage", () => {
  test("the storage limit stops a writer that passes it", async () => {
    const caps = await provider.capabilities();
    const sandbox = await make({ storageMb: 20 });
    expect(sandbox.storageEnforcement).toBe(caps.storageLimit);
    // ~1 MiB every 50 ms: passes 20 MiB after about a second, would write 150 MiB in all
    const writer = await sandbox.exec("for i in $(seq 1 150); do head -c 1048576 /dev/zero >> /data.bin || exit 9; sleep 0.05; done; echo finished", {
      timeoutSec: 40,
    });
    expect(writer.stdout).not.toContain("finished");
    expect(writer.exitCode).not.toBe(0);
    const health = await sandbox.health();
    const written = Number((await sandbox.exec("stat -c %s /data.bin")).stdout);
    console.log(
      `[sandbox storage] enforcement ${sandbox.storageEnforcement}; writer stopped after ${writer.durationMs} ms with ${(written / 1048576).toFixed(1)} MiB written (limit 20 MiB); ` +
        `watchdog ${JSON.stringify(sandbox.watchdogStats)}`,
    );
    expect(written).toBeLessThan(150 * 1048576);
    if (caps.storageLimit === "watchdog") {
      expect(health.storageExceeded).toBe(true);
      expect(health.storageBytes).toBeGreaterThan(20 * 1048576);
    }
  });

  test("measuring the writable layer stays cheap with many files", async () => {
    const sandbox = await make({});
    await sandbox.exec("mkdir -p /many && cd /many && for i in $(seq 1 5000); do : > f$i; done; head -c 50000000 /dev/zero > /many/big", { timeoutSec: 60 });
    const container = dockerClient().getContainer(sandbox.id);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      bytes = await writableLayerBytes(container);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`[sandbox storage] inspect size over 5000 files + 50 MB: median ${times[5]!.toFixed(1)} ms, max ${times[9]!.toFixed(1)} ms`);
    expect(bytes).toBeGreaterThanOrEqual(50_000_000);
    expect(times[5]!).toBeLessThan(1000);
  });
});
