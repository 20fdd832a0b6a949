// The trial skips the kill-and-reset exec after the agent only when it provably changes nothing:
// `Sandbox.quiescent` (the host's pids cgroup) says no agent process is left, and
// `verifierPathsPristine` (the final state's changes plus the runtime's stat) says /tests and
// /logs/verifier are as the harness made them. Each hostile agent below would pass the sloppy
// verifier (it writes 0 only when no reward file exists yet) if a skip were wrong. Containers
// are removed after the record is journaled; none may be left when the run returns.
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dockerContext } from "../src/cli/docker-context.ts";
import { executeRun, runConfigFromFlags, selectTasks } from "../src/run/index.ts";
import { verifierPathsPristine } from "../src/run/verifier.ts";
import { DockerProvider, dockerClient, type Sandbox } from "../src/sandbox/index.ts";

const TRIVIAL = join(import.meta.dirname, "fixtures/reliability/trivial/trivial-nop");

describe("quiescent and verifierPathsPristine on a real sandbox", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await new DockerProvider().create({
      image: inject("testenvImage"),
      limits: { cpus: 1, memoryMb: 256, pids: 128, storageMb: 512, network: false },
      labels: { "skilldelta.run": `test-skip-reset-${process.pid}` },
      dirs: ["/logs/agent", "/logs/verifier"],
    });
  });
  afterAll(async () => {
    await sandbox.destroy();
  });
  // an exec that just ended may linger a moment as a zombie (seen, hence not quiescent: the safe side)
  const settles = async () => {
    for (let i = 0; i < 20 && !(await sandbox.quiescent()); i++) await new Promise((r) => setTimeout(r, 100));
    return await sandbox.quiescent();
  };
  const pristine = async () => verifierPathsPristine(sandbox, await sandbox.changes());
  const restore = async () => {
    const r = await sandbox.exec("rm -rf /tests /logs /root/fake /root/l && mkdir -p /logs/agent /logs/verifier", { timeoutSec: 30 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await pristine()).toBe(true);
  };

  it("a fresh sandbox is quiescent and pristine; its directories were made before start", async () => {
    expect(await settles()).toBe(true);
    expect(await pristine()).toBe(true);
    const r = await sandbox.exec("stat -c '%n %a %U' /logs /logs/agent /logs/verifier", { timeoutSec: 30 });
    expect(r.stdout).toBe("/logs 755 root\n/logs/agent 755 root\n/logs/verifier 755 root\n");
  });

  it("a process left running, or a second keepalive by name, is seen until killed", async () => {
    await sandbox.exec("setsid sleep 300 >/dev/null 2>&1 < /dev/null &", { timeoutSec: 30 });
    expect(await sandbox.quiescent()).toBe(false);
    await sandbox.killAll();
    expect(await settles()).toBe(true);
    await sandbox.exec("setsid bash -c 'exec -a skilldelta-keepalive sleep 300' >/dev/null 2>&1 < /dev/null &", { timeoutSec: 30 });
    expect(await sandbox.quiescent()).toBe(false);
    // killAll spares only the first-started keepalive: the impostor goes, the sandbox lives on
    await sandbox.killAll();
    expect(await settles()).toBe(true);
    expect((await sandbox.exec("echo ok", { timeoutSec: 30 })).stdout).toBe("ok\n");
  });

  it.each([
    ["a planted reward file", "echo 1 > /logs/verifier/reward.txt"],
    ["an empty /tests", "mkdir /tests"],
    ["/logs/verifier replaced by a link", "rm -rf /logs/verifier && mkdir -p /root/fake && ln -s /root/fake /logs/verifier"],
    ["/logs/verifier replaced by a file", "rm -rf /logs/verifier && echo 1 > /logs/verifier"],
    ["/logs replaced by a link", "rm -rf /logs && mkdir -p /root/l/verifier /root/l/agent && ln -s /root/l /logs"],
  ])("is not pristine after %s", async (_what, script) => {
    const r = await sandbox.exec(script, { timeoutSec: 30 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await pristine()).toBe(false);
    await restore();
  });
});

describe("hostile agents through a run", () => {
  let results: string;
  beforeAll(async () => {
    results = await mkdtemp(join(tmpdir(), "sd-skip-reset-"));
  });
  afterAll(async () => {
    await rm(results, { recursive: true, force: true });
  });

  it("every attack fails, an honest agent passes, no container is left", async () => {
    const tasks = join(results, "tasks");
    await cp(TRIVIAL, join(tasks, "trivial-nop"), { recursive: true });
    // sloppy on purpose: trusts a reward file it finds
    await writeFile(join(tasks, "trivial-nop/tests/test.sh"), "#!/bin/bash\n[ -e /root/answer ] && echo 1 > /logs/verifier/reward.txt\n[ -e /logs/verifier/reward.txt ] || echo 0 > /logs/verifier/reward.txt\n");
    const agents = {
      honest: "touch /root/answer",
      plant: "mkdir -p /tests && echo 1 > /tests/extra && echo 1 > /logs/verifier/reward.txt",
      "plant-link": "rm -rf /logs/verifier && mkdir -p /root/fake && echo 1 > /root/fake/reward.txt && ln -s /root/fake /logs/verifier",
      "plant-logs-link": "rm -rf /logs && mkdir -p /root/l/verifier /root/l/agent && echo 1 > /root/l/verifier/reward.txt && ln -s /root/l /logs",
      // nothing planted when the agent returns: only the process it leaves behind plants, later
      // a process named like the sandbox's keepalive must not be spared
      impostor: `setsid bash -c 'exec -a skilldelta-keepalive bash -c "while true; do mkdir -p /logs/verifier; echo 1 > /logs/verifier/reward.txt; sleep 0.01; done"' >/dev/null 2>&1 < /dev/null &`,
      background: "setsid bash -c 'sleep 0.2; while true; do mkdir -p /tests /logs/verifier; echo 1 > /logs/verifier/reward.txt; sleep 0.01; done' >/dev/null 2>&1 < /dev/null &",
    };
    const config = runConfigFromFlags({
      id: "skip-reset",
      results_dir: results,
      tasks: [tasks],
      environments: inject("environmentsDirs"),
      conditions: ["no-skill"],
      agents: Object.entries(agents).map(([id, command]) => ({ kind: "command" as const, id, command, nonzero_exit_is_error: false })),
      trials: 1,
      concurrency: 2,
      max_infra_retries: 0,
    });
    const { tasks: selected } = await selectTasks(config);
    const ctx = await dockerContext({ environments: config.environments, quiet: true });
    const r = await executeRun(config, selected, { ...ctx, quiet: true });
    const outcome = (agent: string) => {
      const rec = r.records.find((x) => x.agent === agent)!;
      return { agent, outcome: rec.outcome, reward: rec.reward };
    };
    expect(outcome("honest")).toEqual({ agent: "honest", outcome: "passed", reward: 1 });
    for (const agent of Object.keys(agents).filter((a) => a !== "honest")) expect(outcome(agent)).toEqual({ agent, outcome: "failed", reward: 0 });
    expect(await dockerClient().listContainers({ all: true, filters: { label: ["skilldelta.run=skip-reset"] } })).toEqual([]);
  }, 120_000);
});
