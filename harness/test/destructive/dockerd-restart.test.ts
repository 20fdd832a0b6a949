import { execSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dockerContext } from "../../src/cli/docker-context.ts";
import { dockerClient } from "../../src/sandbox/index.ts";
import { executeRun, runConfigFromFlags, selectTasks, type TrialRecord } from "../../src/run/index.ts";

// DESTRUCTIVE: restarts dockerd (every container on the host dies). Run alone, after the main
// suite: `npx vitest run --config vitest.destructive.config.ts`.
const SLOW = join(import.meta.dirname, "../fixtures/reliability/slow");

async function daemonUp(): Promise<boolean> {
  return dockerClient().ping().then(() => true, () => false);
}

/** Stops dockerd with SIGTERM and starts it again the way this host runs it (no supervisor). */
async function restartDockerd(): Promise<void> {
  const pid = execSync("pidof dockerd").toString().trim().split(/\s+/)[0]!;
  process.kill(Number(pid), "SIGTERM");
  for (let i = 0; i < 300; i++) {
    try { process.kill(Number(pid), 0); } catch { break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  // under systemd this would be `systemctl restart docker`; here dockerd has no supervisor
  const child = spawn("sh", ["-c", "exec dockerd >> /var/log/dockerd.log 2>&1"], { detached: true, stdio: "ignore" });
  child.unref();
  for (let i = 0; i < 600 && !(await daemonUp()); i++) await new Promise((r) => setTimeout(r, 100));
}

describe("dockerd restarted in the middle of a run", () => {
  let results: string;
  beforeAll(async () => { results = await mkdtemp(join(tmpdir(), "sd-dockerd-")); });
  afterAll(async () => { await rm(results, { recursive: true, force: true }); });

  it("affected trials become infra_error, are retried, and the run completes with exact counts", async () => {
    const config = runConfigFromFlags({ id: "restart", results_dir: results, tasks: [SLOW], environments: inject("environmentsDirs"), conditions: ["no-skill"], agents: [{ kind: "oracle", id: "oracle" }], trials: 6, concurrency: 3, max_infra_retries: 4 });
    const { tasks } = await selectTasks(config);
    const journal = join(results, "restart", "trials.jsonl");
    const running = executeRun(config, tasks, { ...(await dockerContext({ environments: config.environments, quiet: true })), quiet: true });
    // restart once the first trials are mid-agent-phase (each agent sleeps 6 s)
    for (let i = 0; i < 1200; i++) {
      const n = (await dockerClient().listContainers({ filters: { label: ["skilldelta.run=restart"] } }).catch(() => [])).length;
      if (n >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1500));
    await restartDockerd();
    const r = await running;
    const lines = (await readFile(journal, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as TrialRecord);
    const infra = lines.filter((l) => l.outcome === "infra_error");
    console.log(`[dockerd-restart] ${lines.length} attempts, ${infra.length} infra_error: ${infra.map((l) => l.error?.slice(0, 80)).join(" | ")}`);
    expect(infra.length).toBeGreaterThanOrEqual(1);
    expect(r.run.status).toBe("finished");
    expect(r.records).toHaveLength(6);
    expect(r.records.every((x) => x.outcome === "passed")).toBe(true);
    // exactly one scored attempt per trial; every infra attempt was followed by a retry of its key
    expect(lines.filter((l) => l.outcome !== "infra_error")).toHaveLength(6);
    for (const l of infra) expect(lines.some((x) => x.key === l.key && x.attempt > l.attempt)).toBe(true);
    expect(await dockerClient().listContainers({ all: true, filters: { label: ["skilldelta.run=restart"] } })).toHaveLength(0);
  });
});
