// A server the agent started leaves sockets behind (e.g. PostgreSQL's /run/postgresql/.s.PGSQL.5432):
// such files have no content to archive, and must never turn a trial into an infra error.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { captureFinalState } from "../src/run/final-state.ts";
import { DockerProvider, type Sandbox } from "../src/sandbox/index.ts";

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sd-final-special-"));
  sandbox = await new DockerProvider().create({
    image: inject("testenvImage"),
    limits: { cpus: 1, memoryMb: 256, pids: 128, storageMb: 512, network: false },
    labels: { "skilldelta.run": `test-final-special-${process.pid}` },
  });
});
afterAll(async () => {
  await sandbox.destroy();
  await rm(dir, { recursive: true, force: true });
});

it("archives regular files and lists sockets and pipes as skipped", async () => {
  const made = await sandbox.exec(
    "mkdir -p /root/out /run/srv && echo data > /root/out/result.txt && mkfifo /run/srv/pipe && python3 -c \"import socket; s=socket.socket(socket.AF_UNIX); s.bind('/run/srv/.sock')\"",
    { timeoutSec: 30 },
  );
  expect(made.exitCode, made.stderr).toBe(0);
  const state = await captureFinalState(sandbox, dir);
  expect(state.files).toContain("/root/out/result.txt");
  expect(state.skipped?.sort()).toEqual(["/run/srv/.sock", "/run/srv/pipe"]);
  expect(JSON.parse(await readFile(join(dir, "final-state.json"), "utf8")).skipped).toHaveLength(2);
});
